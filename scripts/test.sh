#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
# Tests start servers and pocl; keep them from competing for 2 cores.
export QT_QPA_PLATFORM=offscreen
cd build
ctest --output-on-failure -j "${REMORA_TEST_JOBS:-2}" --timeout 600
