#!/usr/bin/env bash
# Installs every Debian package Remora needs. Idempotent, never prompts.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  # Compiles the runtime once for the tests' many generated stacks (header_stack.cmake).
  ccache
  libclang-15-dev llvm-15-dev clang-15
  qt6-base-dev libqt6sql6-sqlite libgl1-mesa-dev
  libsqlite3-dev sqlite3 nlohmann-json3-dev catch2 libexpat1-dev
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  xvfb xauth jq
  # Headers of the accuracy corpus (tests/data/corpus/corpus.json); the CUDA
  # entries use /usr/local/cuda when present and are skipped otherwise.
  libvulkan-dev zlib1g-dev libbz2-dev liblzma-dev libssl-dev libpng-dev libopenblas-dev
  libhsa-runtime-dev libze-dev libamdhip64-dev libbrotli-dev
  # Real tools traced for the accuracy table's "+ docs + traces" column (bench/inference).
  bzip2
  # Vulkan end to end (samples/vulkan, tests/codegen): lavapipe, vulkaninfo, glslangValidator.
  mesa-vulkan-drivers vulkan-tools glslang-tools
  # BLAS end to end (tests/blas/): Debian's numpy links libblas.so.3.
  python3-numpy
  # The QEMU guest test (tests/codegen/test_guest_environments.cpp): a TCG VM booting
  # Debian's kernel with a busybox initramfs; util-linux gives unshare (container test).
  qemu-system-x86 linux-image-amd64 busybox-static cpio xz-utils util-linux
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "remora setup: installing ${#missing[@]} package(s): ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "remora setup: all packages present"
fi
