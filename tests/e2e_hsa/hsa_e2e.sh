#!/usr/bin/env bash
# HSA end to end through the stack generated from the INFERRED spec (no edits): with no
# AMD GPU the runtime answers every call with a status, and those answers (codes, the
# library's own descriptions, untouched results) must read the same natively and
# through the stack. Usage: hsa_e2e.sh STACK_DIR WORK_DIR PROGRAM_SOURCE
set -euo pipefail
stack=$(realpath "$1") work=$2 src=$(realpath "$3")
source "$(dirname "$0")/../codegen/e2e_stack_server.sh"
lib=$(find_real_library libhsa-runtime64.so.1)
[ -n "$lib" ] && [ -e /usr/include/hsa/hsa.h ] || { echo "REMORA-SKIP: libhsa-runtime-dev is not installed"; exit 0; }
start_stack_server "$stack" hsa "$lib" "$work"

cc -std=c11 -Wall -Wextra -Werror -o hsa_no_device_probe "$src" -lhsa-runtime64
compare_native_and_remoted ./hsa_no_device_probe
grep -q '^hsa_status_string(0x0): 0x0 "HSA_STATUS_SUCCESS' remote.txt
grep -q "^hsa_status_string(unknown): 0x[0-9a-f]* \"the program's own string\"" remote.txt
echo "HSA without a device: identical output natively and through the stack ($(wc -l <remote.txt) lines)"
