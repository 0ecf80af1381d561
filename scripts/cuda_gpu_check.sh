#!/usr/bin/env bash
# CUDA on a GPU machine, in one run (device time is short): builds the CUDA stack from
# the inferred spec and the CUDA programs, runs each natively and remoted (unix socket),
# and prints a summary: identical or not, exit statuses, wall times and their ratio.
# Prepared for a GPU session (issue 17); not run where no GPU is lent.
#
#   scripts/cuda_gpu_check.sh [BUILD_DIR]     (default: build; configured and built if needed)
#
# Needs: the CUDA toolkit at /usr/local/cuda (nvcc, headers, libcudart.so.13, libcublas.so.13)
# and a driver (libcuda.so.1). The stack spans the runtime, the driver API and cuBLAS; the
# driver and cuBLAS programs of tests/cuda run beside the samples. Exit 0 when every program gave identical output natively and remoted.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cuda=/usr/local/cuda
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-}
jobs=${REMORA_JOBS:-$(nproc)}

echo "== GPU"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"

echo "== build remora, the samples and the nvcc test program"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DREMORA_BUILD_STUDIO=OFF >/dev/null || exit 1
fi
cmake --build "$build" -j "$jobs" --target remora cuda_launch_program cuda_driver_program cuda_cublas_program \
  cuda-01-device-query cuda-02-memcpy cuda-03-streams-events cuda-04-ptx-kernels >/dev/null || exit 1

echo "== infer, generate and build the CUDA stack"
work=$build/cuda-gpu-check
mkdir -p "$work"
remora=$build/app/cli/remora
cudart=$cuda/lib64/libcudart.so.13
cublas=$cuda/lib64/libcublas.so.13
# The driver's own library (the toolkit's stub only where no driver is installed).
libcuda=$(ldconfig -p | awk '/libcuda\.so\.1 .*x86-64/ { print $NF; exit }')
[ -n "$libcuda" ] || libcuda=$cuda/lib64/stubs/libcuda.so
# One spec for the runtime, the driver API and cuBLAS; each function resolved in its own library.
"$remora" infer $cuda/include/cuda_runtime_api.h $cuda/include/cuda.h $cuda/include/cublas_v2.h -I $cuda/include \
  --api-glob cublas_api.h --api-name CUDA --library libcudart.so.13 --library libcuda.so.1 --library libcublas.so.13 \
  -o "$work/cuda.json" --quiet || exit 1
"$remora" generate --spec "$work/cuda.json" -o "$work/stack" --real-lib "$cudart" --real-lib "$libcuda" \
  --real-lib "$cublas" | grep -E 'remoted|stubbed|by library' | head -3
cmake -S "$work/stack" -B "$work/stack/build" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
cmake --build "$work/stack/build" -j "$jobs" >/dev/null || exit 1

# Extra programs: every tests/cuda/gpu/*.cu (if any) built with -cudart shared for this GPU.
programs=("$build"/samples/cuda/cuda-0*-* "$build/tests/cuda/launch_program_nvcc"
  "$build/tests/cuda/cuda_driver_program" "$build/tests/cuda/cuda_cublas_program")
for cu in "$root"/tests/cuda/gpu/*.cu; do
  [ -e "$cu" ] || continue
  exe=$work/$(basename "$cu" .cu)
  $cuda/bin/nvcc -std=c++17 -cudart shared -arch=native -lcublas -o "$exe" "$cu" || exit 1
  programs+=("$exe")
done

echo "== native vs remoted"
sock=$work/server.sock
rm -f "$sock"
# The CUDA driver reserves host address space far beyond the worker sandbox's default
# RLIMIT_AS (32 GiB) for unified addressing: without lifting it the remoted runs would
# fail in cuInit, which says nothing about remoting.
REMORA_SANDBOX_AS_MB=${REMORA_SANDBOX_AS_MB:-0} \
  "$work/stack/build/server/cuda-server" --listen "unix:$sock" --lib "$cudart" --lib "libcuda.so.1=$libcuda" \
  --lib "$cublas" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 1 500); do [ -S "$sock" ] && break; sleep 0.01; done
pass=0 fail=0
printf '%-28s %-10s %-8s %-8s %-9s %-9s %s\n' program result native remoted native_s remoted_s ratio
for exe in "${programs[@]}"; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe")
  t0=$(date +%s.%N)
  timeout 300 "$exe" >"$work/$name.native" 2>"$work/$name.native.err"
  n_rc=$?
  t1=$(date +%s.%N)
  LD_LIBRARY_PATH="$work/stack/build/guest" REMORA_SERVER="unix:$sock" REMORA_STATS=1 timeout 300 "$exe" \
    >"$work/$name.remoted" 2>"$work/$name.remoted.err"
  r_rc=$?
  t2=$(date +%s.%N)
  if [ $n_rc -eq $r_rc ] && cmp -s "$work/$name.native" "$work/$name.remoted"; then
    result=identical
    pass=$((pass + 1))
  else
    result=DIFFERENT
    fail=$((fail + 1))
  fi
  awk -v n="$name" -v r="$result" -v a="$n_rc" -v b="$r_rc" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
    'BEGIN { printf "%-28s %-10s %-8s %-8s %-9.3f %-9.3f %.2fx\n", n, r, a, b, t1 - t0, t2 - t1, (t2 - t1) / (t1 - t0) }'
  if [ "$result" = DIFFERENT ]; then
    diff "$work/$name.native" "$work/$name.remoted" | head -10 | sed 's/^/    /'
    grep -v '^remora: [0-9]* calls' "$work/$name.remoted.err" | head -5 | sed 's/^/    stderr: /'
  fi
  grep '^remora: [0-9]* calls' "$work/$name.remoted.err" | sed 's/^/    /'
done

# Small-call round trip: the same cheap call natively and remoted, many times.
cat >"$work/round_trip.c" <<'EOF'
#include <cuda_runtime_api.h>
#include <stdio.h>
#include <time.h>
int main(void) {
  int v = 0, n = 20000;
  struct timespec a, b;
  cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, 0);
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (int i = 0; i < n; ++i) cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.2f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / 1000.0);
  return 0;
}
EOF
cc -O2 -I$cuda/include -o "$work/round_trip" "$work/round_trip.c" -L$cuda/lib64 -lcudart -Wl,-rpath,$cuda/lib64 &&
  {
    native_us=$("$work/round_trip")
    remoted_us=$(LD_LIBRARY_PATH="$work/stack/build/guest" REMORA_SERVER="unix:$sock" "$work/round_trip")
    awk -v a="$native_us" -v b="$remoted_us" \
      'BEGIN { printf "small call (cudaDeviceGetAttribute): native %.2f us, remoted %.2f us, remoted/native %.1fx\n", a, b, b / a }'
  }

echo "== summary: $pass identical, $fail different (server log: $work/server.log)"
[ $fail -eq 0 ]
