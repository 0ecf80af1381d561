#!/usr/bin/env bash
# Screenshots of Remora Studio's main views into docs/images/*.png.
# Drives the real window (remora-studio --screenshots) on cl.h; uses Xvfb when
# available (real X11 rendering), else Qt's offscreen platform.
#   scripts/screenshots.sh [build-dir]        (default: build-studio)
#   REMORA_SHARED_DIR=/path/to/shared scripts/screenshots.sh build   (docs corpus elsewhere)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-studio}"
[[ "$build" = /* ]] || build="$root/$build"
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DREMORA_BUILD_STUDIO=ON
fi
cmake --build "$build" -j2 --target remora-studio remora ocl-02-vector-add
studio="$build/app/studio/remora-studio"
out="$root/docs/images"
mkdir -p "$out"
docs=()
shared="${REMORA_SHARED_DIR:-$root/../shared}"  # the docs corpus (as for cmake -DREMORA_SHARED_DIR)
[[ -d "$shared/corpus/opencl-docs" ]] && docs=(--docs "$(realpath "$shared/corpus/opencl-docs")")
sample=()
[[ -x "$build/samples/opencl/ocl-02-vector-add" ]] && sample=(--sample "$build/samples/opencl/ocl-02-vector-add")
args=(--screenshots "$out" --header /usr/include/CL/cl.h --define CL_TARGET_OPENCL_VERSION=300 "${docs[@]}" "${sample[@]}")
export REMORA_CLI="$build/app/cli/remora"
# The tour's recent-projects entries go to a throwaway config, not the user's.
export XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
cd "$root"
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1280x800x24" "$studio" "${args[@]}"
else
  QT_QPA_PLATFORM=offscreen "$studio" "${args[@]}"
fi
ls -l "$out"/*.png
