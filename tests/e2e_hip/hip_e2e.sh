#!/usr/bin/env bash
# HIP end to end through the stack generated from the INFERRED spec (no edits): with no
# AMD GPU, AMD's HIP runtime answers every call with a status, and those answers (codes,
# the library's own names and descriptions, versions, outputs left alone) must read the
# same natively and through the stack. Usage: hip_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libamdhip64.so.5)
[ -n "$lib" ] && [ -e /usr/include/hip/hip_runtime_api.h ] || { echo "REMORA-SKIP: libamdhip64-dev is not installed"; exit 0; }
start_stack_server "$stack" hip "$lib" "$work"

cc -std=c11 -Wall -Wextra -Werror -D__HIP_PLATFORM_AMD__ -o hip_no_device_probe "$src" -lamdhip64
compare_native_and_remoted ./hip_no_device_probe
# The same with every call waiting for its reply (REMORA_STRICT=1): still identical.
REMORA_STRICT=1 remote ./hip_no_device_probe >strict.txt
diff native.txt strict.txt
grep -q '^hipGetDeviceCount: 100 hipErrorNoDevice' remote.txt
grep -q '^  memory untouched$' remote.txt
echo "HIP without a device: identical output natively and through the stack ($(wc -l <remote.txt) lines)"
