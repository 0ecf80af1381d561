#!/usr/bin/env bash
# NVRTC end to end through the stack generated from the INFERRED spec (no edits): NVRTC
# compiles CUDA C++ to PTX on the CPU, so a program's answers (status, log, PTX) must
# read the same natively and through the stack, with or without a GPU.
# Usage: nvrtc_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
cuda=/usr/local/cuda
lib=$(ls "$cuda"/lib64/libnvrtc.so.[0-9]* 2>/dev/null | grep -E 'libnvrtc\.so\.[0-9]+$' | head -n 1 || true)
[ -n "$lib" ] && [ -e "$cuda/include/nvrtc.h" ] || { echo "REMORA-SKIP: the CUDA toolkit (NVRTC) is not in $cuda"; exit 0; }
server=$stack/build/server/nvrtc-server guest=$stack/build/guest
[ -x "$server" ] || { echo "the NVRTC stack was not built ($server): run codegen.header-stack.nvrtc first"; exit 1; }
mkdir -p "$work" && cd "$work"
sock=$work/nvrtc.sock
rm -f "$sock"
"$server" --listen "unix:$sock" --lib "$lib" >server.log 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done

cc -std=c11 -Wall -Wextra -Werror -I"$cuda/include" -o nvrtc_compile_probe "$src" -L"$cuda/lib64" -lnvrtc
LD_LIBRARY_PATH=$cuda/lib64 ./nvrtc_compile_probe >native.txt
REMORA_SERVER=unix:$sock LD_LIBRARY_PATH=$guest ./nvrtc_compile_probe >remote.txt 2>remote.err || {
  echo "the probe failed through the stack:"; cat remote.err; exit 1; }
diff native.txt remote.txt
if grep -q "not supported by this remoting stack" remote.err; then
  echo "a call was refused by the stack:"; cat remote.err; exit 1
fi
grep -q '^ptx: [0-9]* bytes, NUL-terminated 1, declares saxpy 1$' remote.txt
# Both programs were destroyed: the worker had nothing of this guest's left to release.
sleep 0.3
if grep -q "left behind" server.log; then echo "the worker still held a destroyed program:"; cat server.log; exit 1; fi
echo "NVRTC: identical output natively and through the stack ($(wc -l <remote.txt) lines)"
