#!/usr/bin/env bash
# Brotli end to end through a stack generated from the INFERRED spec of a header no rule
# was written for (brotli/encode.h or brotli/decode.h: C99 array parameters sized by other
# parameters). The program runs natively and with one of the two libraries replaced by
# the stack's guest; outputs must be identical.
# Usage: brotli_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE (the stack dir names the side)
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
case "$stack" in
  *brotli_enc*) api=brotli_enc soname=libbrotlienc.so.1 mode=enc ;;
  *) api=brotli_dec soname=libbrotlidec.so.1 mode=dec ;;
esac
lib=$(find_real_library $soname)
[ -n "$lib" ] && [ -e /usr/include/brotli/encode.h ] || { echo "REMORA-SKIP: libbrotli-dev is not installed"; exit 0; }
start_stack_server "$stack" $api "$lib" "$work"
cc -O1 -o brotli_roundtrip "$src" -lbrotlienc -lbrotlidec
compare_native_and_remoted ./brotli_roundtrip $mode 600000
grep -q "identical" remote.txt
grep -q DIFFERENT remote.txt && { echo "a round trip differs"; exit 1; }
echo "brotli ($mode) through the stack: identical output ($(wc -l <remote.txt) lines)"
cat remote.txt
echo "brotli $mode end to end: OK"
