#!/usr/bin/env bash
# The runtime, codegen and end-to-end tests under ASan+UBSan (not part of scripts/test.sh:
# an instrumented build of everything they need takes a while on 2 cores).
#
# Builds into build-asan/ with -fsanitize=address,undefined for the host code (remora,
# the tests, the toy library and its client, the OpenCL samples) and, through CFLAGS and
# CXXFLAGS, for the stacks the tests generate and build (guest library and API server),
# then runs the codegen tests (toy and OpenCL stacks end to end, hostile frames, liveness,
# authentication), the runtime's own tests and the server fuzz target's short run.
#   scripts/test_sanitized.sh [ctest -R regex]     default: '^codegen$|^fuzz\.opencl'
# fuzz.server-requests is left out: its clang-built target dlopens the toy library, which
# this build instruments with GCC's ASan, and two ASan runtimes cannot share a process (the
# fuzz targets are ASan+UBSan builds in every run anyway; pocl, behind the OpenCL one, is
# not instrumented).
# scripts/test_sanitized_lean.sh is the subset that fits CI (the generated stacks only).
set -euo pipefail
cd "$(dirname "$0")/.."
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
export CFLAGS="$flags" CXXFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREMORA_BUILD_STUDIO=OFF \
  ${REMORA_SHARED_DIR:+-DREMORA_SHARED_DIR=$REMORA_SHARED_DIR}
cmake --build build-asan -j "${REMORA_JOBS:-2}" --target remora remora_codegen_tests
# pocl and the ICD loader are not instrumented and keep memory for the process's life:
# leaks are not reported (the generated code's own bugs still are, as errors). LeakSanitizer
# would need ptrace, which confined workers refuse: REMORA_SANDBOX_SECCOMP=off to turn it on.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd build-asan
ctest --output-on-failure -j 1 --timeout 1800 -R "${1:-^codegen\$|^fuzz\\.opencl}"
