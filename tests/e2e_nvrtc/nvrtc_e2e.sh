#!/usr/bin/env bash
# NVRTC end to end through the stack generated from the INFERRED spec (no edits): NVRTC
# compiles CUDA C++ to PTX on the CPU, so a program's answers (status, log, PTX) must
# read the same natively and through the stack, with or without a GPU.
# Usage: nvrtc_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
cuda=/usr/local/cuda
lib=$(ls "$cuda"/lib64/libnvrtc.so.[0-9]* 2>/dev/null | grep -E 'libnvrtc\.so\.[0-9]+$' | head -n 1 || true)
[ -n "$lib" ] && [ -e "$cuda/include/nvrtc.h" ] || { echo "REMORA-SKIP: the CUDA toolkit (NVRTC) is not in $cuda"; exit 0; }
start_stack_server "$stack" nvrtc "$lib" "$work"

cc -std=c11 -Wall -Wextra -Werror -I"$cuda/include" -o nvrtc_compile_probe "$src" -L"$cuda/lib64" -Wl,-rpath,"$cuda/lib64" -lnvrtc
compare_native_and_remoted ./nvrtc_compile_probe  # found natively through its RUNPATH
grep -q '^ptx: [0-9]* bytes, NUL-terminated 1, declares saxpy 1$' remote.txt
# Both programs were destroyed: the worker had nothing of this guest's left to release.
sleep 0.3
if grep -q "left behind" server.log; then echo "the worker still held a destroyed program:"; cat server.log; exit 1; fi
echo "NVRTC: identical output natively and through the stack ($(wc -l <remote.txt) lines)"
