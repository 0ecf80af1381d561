#!/usr/bin/env bash
# HSA end to end through the stack generated from the INFERRED spec (no edits): with no
# AMD GPU the runtime answers every call with a status, and those answers (codes, the
# library's own descriptions, untouched results) must read the same natively and
# through the stack. Usage: hsa_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
lib=""
for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
  [ -e "$d/libhsa-runtime64.so.1" ] && { lib=$d/libhsa-runtime64.so.1; break; }
done
[ -n "$lib" ] && [ -e /usr/include/hsa/hsa.h ] || { echo "REMORA-SKIP: libhsa-runtime-dev is not installed"; exit 0; }
server=$stack/build/server/hsa-server guest=$stack/build/guest
[ -x "$server" ] || { echo "the HSA stack was not built ($server): run codegen.header-stack.hsa first"; exit 1; }
mkdir -p "$work" && cd "$work"
sock=$work/hsa.sock
rm -f "$sock"
"$server" --listen "unix:$sock" --lib "$lib" >server.log 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

cc -std=c11 -Wall -Wextra -Werror -o hsa_no_device_probe "$src" -lhsa-runtime64
./hsa_no_device_probe >native.txt
REMORA_SERVER=unix:$sock LD_LIBRARY_PATH=$guest ./hsa_no_device_probe >remote.txt 2>remote.err || {
  echo "the probe failed through the stack:"; cat remote.err; exit 1; }
diff native.txt remote.txt
# The calls this test is about were remoted, not refused by a stub.
if grep -q "not supported by this remoting stack" remote.err; then
  echo "a call was refused by the stack:"; cat remote.err; exit 1
fi
grep -q '^hsa_status_string(0x0): 0x0 "HSA_STATUS_SUCCESS' remote.txt
grep -q "^hsa_status_string(unknown): 0x[0-9a-f]* \"the program's own string\"" remote.txt
echo "HSA without a device: identical output natively and through the stack ($(wc -l <remote.txt) lines)"
