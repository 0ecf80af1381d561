#!/usr/bin/env bash
# Configures and builds Remora into build/ (Ninja, RelWithDebInfo with line tables only:
# -g1, see CMakeLists.txt; pass -DCMAKE_BUILD_TYPE=Debug for a debugger session).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${REMORA_JOBS:-$(nproc)}
studio=ON
# The studio needs Qt 6; everything else builds without it.
[ -f /usr/lib/x86_64-linux-gnu/cmake/Qt6/Qt6Config.cmake ] || studio=OFF
cmake -S . -B build -G Ninja -DREMORA_BUILD_STUDIO=$studio "$@"
cmake --build build -j "$jobs"
