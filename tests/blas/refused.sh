#!/usr/bin/env bash
# No silent wrong answers: a function the reviewed spec leaves unsupported (complex
# GEMM: its operands are void *, element size unknown) stops the program with the
# reason, through the same stack numpy uses for the real-valued products.
#   refused.sh SERVER REAL_LIB GUEST_DIR WORK
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "REMORA-SKIP: /usr/bin/python3 cannot import numpy (install python3-numpy; scripts/setup.sh does)"
  exit 0
fi
server=$1 real_lib=$2 guest_dir=$3 work=$4
mkdir -p "$work"
source "$(dirname "$0")/start_server.sh"
REMORA_SERVER="unix:$sock" LD_LIBRARY_PATH="$guest_dir" /usr/bin/python3 -c '
import numpy as np
a = np.ones((4, 4), complex)
print("complex product:", (a @ a)[0, 0])' >"$work/out.txt" 2>"$work/err.txt"
rc=$?
cat "$work/out.txt" "$work/err.txt"
if [ "$rc" -eq 0 ] || ! grep -q "cblas_zgemm cannot be made: it is not supported" "$work/err.txt"; then
  echo "FAIL: cblas_zgemm ran (exit $rc) instead of being refused with its reason"
  exit 1
fi
echo "refused as it should be (exit $rc)"
