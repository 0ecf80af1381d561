#!/usr/bin/env bash
# CUDA natively and remoted, in one run (device time is short, issue 17): builds what it
# needs (remora, the CUDA samples, the nvcc test programs, the round-trip benchmark),
# infers, generates and builds the CUDA stack, runs every program natively and through
# the stack (unix socket), and prints a summary table: identical or not (exit status,
# stdout, stderr), wall times and their ratio, then the small-call round trip.
#
#   scripts/cuda_gpu_check.sh [--strict] [BUILD_DIR]     build what is needed, then run
#   scripts/cuda_gpu_check.sh --bundle DIR [BUILD_DIR]   build, then copy what the runs need
#                                                        (about 6 MB) into DIR and stop
#   scripts/cuda_gpu_check.sh [--strict] --from-bundle DIR   run from DIR, building nothing
#
# A bundle lets a short GPU slot go to the runs alone: build it where CPUs are free, carry
# it to the GPU machine (same OS image: the stack and programs are native binaries;
# CMAKE_CUDA_ARCHITECTURES 90 = sm_90 code + compute_90 PTX for any newer GPU).
#
# Exit 0 when every program gave identical results natively and remoted (and, on a
# GPU, passed its own CPU-reference checks natively); 1 otherwise. Programs listed in
# tests/cuda/programs/known_limits.txt are reported apart and fail the run only with
# --strict. Without a GPU it runs to the end too: every program fails natively with the
# driver's error and must fail the same way remoted.
#
# Environment:
#   REMORA_JOBS             build parallelism (default: nproc)
#   REMORA_CUDA_STACK       a built CUDA stack to reuse (its build dir, holding server/ and
#                           guest/), e.g. build/tests/cuda/stacks/CUDA-stack/build from CTest
#   REMORA_GPU_CHECK_BUDGET_S  seconds for the whole run (default 540: under a 10-minute slot)
#   REMORA_GPU_CHECK_OUT    where outputs go (default BUILD_DIR/cuda-gpu-check, or DIR/run)
#   REMORA_SANDBOX_AS_MB    the server workers' address-space limit (default here 0 = none:
#                           the driver reserves host address space for unified addressing)
set -u
strict=0 make_bundle='' from_bundle=''
while [ $# -gt 0 ]; do
  case $1 in
    --strict) strict=1 ;;
    --bundle) make_bundle=${2:?--bundle needs a folder}; shift ;;
    --from-bundle) from_bundle=${2:?--from-bundle needs a folder}; shift ;;
    -*) echo "usage: cuda_gpu_check.sh [--strict] [--bundle DIR | --from-bundle DIR] [BUILD_DIR]" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
cuda=/usr/local/cuda
jobs=${REMORA_JOBS:-$(nproc)}
started=$(date +%s)
deadline=$((started + ${REMORA_GPU_CHECK_BUDGET_S:-540}))
# Seconds left in the budget, at least 1 (`timeout 0` would mean no limit at all).
left() {
  local s=$((deadline - $(date +%s)))
  echo $((s > 0 ? s : 1))
}
# A program's time limit: 120 s or what is left.
run_limit() {
  local s
  s=$(left)
  echo $((s < 120 ? s : 120))
}
step() { echo "== $* ($(($(date +%s) - started)) s)"; }
die() {
  echo "cuda_gpu_check: $*" >&2
  exit 1
}

step "GPU"
gpu=$(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
arch=90  # sm_90 code + compute_90 PTX: H100/H200 natively, newer GPUs by JIT
if [ -n "$gpu" ]; then
  echo "$gpu"
  cap=$(echo "$gpu" | awk -F', ' '{ print $2 }' | tr -d .)
  [[ "$cap" =~ ^[0-9]+$ ]] && arch=$cap
else
  echo "no GPU (nvidia-smi absent or without devices): natively every program fails with the driver's error"
fi
tools=(readelf)
[ -z "$from_bundle" ] && tools+=(cmake "$cuda/bin/nvcc")
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || die "$tool not found"
done
[ -n "$from_bundle" ] || [ -e "$cuda/include/cuda_runtime_api.h" ] || die "no CUDA toolkit headers at $cuda/include"
cudart=$cuda/lib64/libcudart.so.13
[ -e "$cudart" ] || die "no $cudart"

if [ -n "$from_bundle" ]; then
  from_bundle=$(cd "$from_bundle" && pwd) || die "no bundle $from_bundle"
  work=${REMORA_GPU_CHECK_OUT:-$from_bundle/run}
else
  work=${REMORA_GPU_CHECK_OUT:-$build/cuda-gpu-check}
fi
mkdir -p "$work" || die "cannot create $work"
work_log=$work/build.log
samples=$(awk '/^cuda-[0-9]/ { print $1 }' "$root/samples/cuda/samples.txt")

# The real library for a soname: the toolkit's, else the dynamic linker's (the driver's
# libcuda.so.1), else, for libcuda.so.1 on a machine without a driver, the toolkit's stub.
real_lib() {
  if [ -e "$cuda/lib64/$1" ]; then
    echo "$cuda/lib64/$1"
    return
  fi
  local found
  found=$(ldconfig -p 2>/dev/null | awk -v s="$1" '$1 == s && /x86-64/ { print $NF; exit }')
  if [ -z "$found" ] && [ "$1" = libcuda.so.1 ] && [ -e "$cuda/lib64/stubs/libcuda.so" ]; then
    found=$cuda/lib64/stubs/libcuda.so
  fi
  echo "$found"
}

# Builds remora, the programs and the stack; sets stack, programs and bench.
build_from_source() {
  step "build remora, the samples, the programs and the benchmark (sm_$arch + compute_$arch PTX, -j$jobs)"
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  if [ ! -f "$build/CMakeCache.txt" ]; then
    timeout "$(left)" cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      -DREMORA_BUILD_STUDIO=OFF -DCMAKE_CUDA_ARCHITECTURES="$arch" >"$work_log" 2>&1 ||
      die "configure failed: $work_log"
  elif ! grep -q "^CMAKE_CUDA_ARCHITECTURES:STRING=$arch\$" "$build/CMakeCache.txt"; then
    timeout "$(left)" cmake "$build" -DCMAKE_CUDA_ARCHITECTURES="$arch" >/dev/null || die "reconfigure failed"
  fi
  # shellcheck disable=SC2086
  timeout "$(left)" cmake --build "$build" -j "$jobs" --target remora cuda-programs cuda_launch_program \
    cuda_round_trip $samples >>"$work_log" 2>&1 ||
    {
      tail -30 "$work_log"
      die "build failed"
    }

  stack=${REMORA_CUDA_STACK:-}
  if [ -n "$stack" ]; then
    step "reuse the CUDA stack in $stack"
  else
    step "infer, generate and build the CUDA stack"
    stack=$work/stack/build
    remora=$build/app/cli/remora
    # One spec for the runtime, the driver API and cuBLAS; each function belongs to the
    # library that exports it (the driver's libcuda.so.1, or the toolkit's stub).
    timeout "$(left)" "$remora" infer $cuda/include/cuda_runtime_api.h $cuda/include/cuda.h \
      $cuda/include/cublas_v2.h -I $cuda/include --api-glob cublas_api.h --api-name CUDA \
      --library libcudart.so.13 --library libcuda.so.1 --library libcublas.so.13 \
      -o "$work/cuda.json" --quiet || die "remora infer failed"
    timeout "$(left)" "$remora" generate --spec "$work/cuda.json" -o "$work/stack" --real-lib "$cudart" \
      --real-lib "$(real_lib libcuda.so.1)" --real-lib "$(real_lib libcublas.so.13)" \
      >"$work/generate.log" 2>&1 || die "remora generate failed: $work/generate.log"
    grep -E 'remoted|stubbed' "$work/generate.log" | head -2
    timeout "$(left)" cmake -S "$work/stack" -B "$stack" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
      >>"$work_log" 2>&1 || die "configuring the stack failed: $work_log"
    timeout "$(left)" cmake --build "$stack" -j "$jobs" >>"$work_log" 2>&1 ||
      {
        tail -30 "$work_log"
        die "building the stack failed"
      }
  fi
  programs=()
  for s in $samples; do programs+=("$build/samples/cuda/$s"); done
  programs+=("$build/tests/cuda/launch_program_nvcc")
  for exe in "$build"/tests/cuda/programs/cuda-prog-*; do [ -x "$exe" ] && programs+=("$exe"); done
  bench=$build/bench/cuda/cuda_round_trip
}

# Copies what the runs need into $make_bundle (numbered so that the runs keep the order:
# samples, the launch program, the programs).
write_bundle() {
  step "bundle into $make_bundle"
  mkdir -p "$make_bundle/stack/server" "$make_bundle/stack/guest" "$make_bundle/programs" ||
    die "cannot create $make_bundle"
  cp -a "$stack/server/cuda-server" "$make_bundle/stack/server/" || die "no server in $stack"
  cp -a "$stack"/guest/lib*.so* "$make_bundle/stack/guest/" || die "no guest library in $stack"
  local i=0 exe
  for exe in "${programs[@]}"; do
    i=$((i + 1))
    cp -a "$exe" "$make_bundle/programs/$(printf %02d $i)-$(basename "$exe")" || die "cannot copy $exe"
  done
  cp -a "$bench" "$make_bundle/" || die "cannot copy $bench"
  du -sh "$make_bundle"
}

if [ -n "$from_bundle" ]; then
  step "run from the bundle $from_bundle (nothing built)"
  stack=$from_bundle/stack
  programs=("$from_bundle"/programs/*)
  bench=$from_bundle/cuda_round_trip
else
  build_from_source
  if [ -n "$make_bundle" ]; then
    write_bundle
    exit 0
  fi
fi

server_exe=$stack/server/cuda-server
guest=$stack/guest
[ -x "$server_exe" ] && [ -e "$guest/libcudart.so.13" ] || die "no cuda-server or guest libcudart.so.13 under $stack"

# One --lib per vendor library the guest stack stands in for (libcudart.so.13,
# libcuda.so.1, libcublas.so.13): the real one; without a driver the toolkit's stub
# stands in for libcuda.so.1, natively too (native_libs), so both runs see the same one.
server_libs=()
native_libs=
for provided in "$guest"/libcu*.so.[0-9]*; do
  soname=$(basename "$provided")
  path=$(real_lib "$soname")
  if [ -z "$path" ]; then
    echo "the guest stack provides $soname but no $soname is installed: its calls will be rejected"
    continue
  fi
  server_libs+=(--lib "$soname=$path")
  if [ "$(basename "$path")" != "$soname" ]; then
    mkdir -p "$work/native-libs"
    ln -sf "$path" "$work/native-libs/$soname"
    native_libs=$work/native-libs
  fi
done
echo "server libraries: ${server_libs[*]}"

sock=$work/server.sock
server=
start_server() {
  rm -f "$sock"
  REMORA_SANDBOX_AS_MB=${REMORA_SANDBOX_AS_MB:-0} \
    "$server_exe" --listen "unix:$sock" "${server_libs[@]}" 2>>"$work/server.log" &
  server=$!
  for _ in $(seq 1 500); do
    [ -S "$sock" ] && return 0
    kill -0 "$server" 2>/dev/null || break
    sleep 0.01
  done
  tail -20 "$work/server.log"
  die "the server did not start"
}
trap '[ -n "$server" ] && kill "$server" 2>/dev/null' EXIT
: >"$work/server.log"
start_server

# The CUDA libraries a program links (its NEEDED entries): it runs remoted only when the
# guest stack provides each of them, otherwise natively only and the table says why.
cuda_needs() { readelf -d "$1" 2>/dev/null | sed -n 's/.*Shared library: \[\(libcu[a-z]*\.so[.0-9]*\)\].*/\1/p'; }
known_limit() { awk -v t="$1" '$1 == t { $1 = ""; sub(/^ /, ""); print; exit }' \
  "$root/tests/cuda/programs/known_limits.txt"; }
# Seconds since the epoch with nanoseconds, for wall times.
clock() { date +%s.%N; }

step "native vs remoted (${#programs[@]} programs)"
identical=0 different=0 limits=0 native_only=0 native_failed=0
printf '%-30s %-18s %6s %6s %9s %9s %8s\n' program result native remoted native_s remoted_s ratio
for exe in "${programs[@]}"; do
  name=$(basename "$exe" | sed 's/^[0-9][0-9]-//')  # bundle copies are numbered
  [ -x "$exe" ] || {
    echo "$name: not built"
    different=$((different + 1))
    continue
  }
  [ "$(left)" -gt 20 ] || {
    echo "out of time budget before $name"
    different=$((different + 1))
    break
  }
  t0=$(clock)
  LD_LIBRARY_PATH="$native_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timeout "$(run_limit)" "$exe" \
    >"$work/$name.native.out" 2>"$work/$name.native.err"
  n_rc=$?
  t1=$(clock)
  missing=
  for lib in $(cuda_needs "$exe"); do [ -e "$guest/$lib" ] || missing="$missing $lib"; done
  if [ -n "$missing" ]; then
    result="native only"
    native_only=$((native_only + 1))
    awk -v n="$name" -v r="$result" -v a="$n_rc" -v t0="$t0" -v t1="$t1" -v m="$missing" \
      'BEGIN { printf "%-30s %-18s %6s %6s %9.3f %9s %8s  (the guest stack lacks%s)\n", n, r, a, "-", t1 - t0, "-", "-", m }'
    [ -n "$gpu" ] && [ "$n_rc" -ne 0 ] && native_failed=$((native_failed + 1))
    continue
  fi
  kill -0 "$server" 2>/dev/null || {
    echo "(the server had exited: restarted; its log: $work/server.log)"
    start_server
  }
  LD_LIBRARY_PATH="$guest" REMORA_SERVER="unix:$sock" REMORA_STATS=1 timeout "$(run_limit)" "$exe" \
    >"$work/$name.remoted.out" 2>"$work/$name.remoted.err"
  r_rc=$?
  t2=$(clock)
  grep -v '^remora' "$work/$name.remoted.err" >"$work/$name.remoted.err.program"
  if [ "$n_rc" -eq "$r_rc" ] && cmp -s "$work/$name.native.out" "$work/$name.remoted.out" &&
    cmp -s "$work/$name.native.err" "$work/$name.remoted.err.program"; then
    result=identical
    identical=$((identical + 1))
  else
    limit=$(known_limit "$name")
    if [ -n "$limit" ]; then
      result="differs: known"
      limits=$((limits + 1))
    else
      result=DIFFERENT
      different=$((different + 1))
    fi
  fi
  # On a GPU the native run must pass the program's own CPU-reference checks.
  if [ -n "$gpu" ] && [ "$n_rc" -ne 0 ]; then
    result="$result, NATIVE FAILED"
    native_failed=$((native_failed + 1))
  fi
  awk -v n="$name" -v r="$result" -v a="$n_rc" -v b="$r_rc" -v t0="$t0" -v t1="$t1" -v t2="$t2" \
    'BEGIN { printf "%-30s %-18s %6s %6s %9.3f %9.3f %7.2fx\n", n, r, a, b, t1 - t0, t2 - t1, (t2 - t1) / (t1 - t0) }'
  if [ "$result" != identical ]; then
    [ "$result" = "differs: known" ] && echo "    known limit: $limit"
    diff "$work/$name.native.out" "$work/$name.remoted.out" | head -8 | sed 's/^/    stdout: /'
    diff "$work/$name.native.err" "$work/$name.remoted.err.program" | head -4 | sed 's/^/    stderr: /'
    grep '^remora' "$work/$name.remoted.err" | grep -v '^remora: [0-9]* calls' | head -3 | sed 's/^/    /'
  fi
  grep '^remora: [0-9]* calls' "$work/$name.remoted.err" | head -1 | sed 's/^/    /'
done

step "small-call round trip (bench/cuda/cuda_round_trip, 10000 calls each)"
if [ -x "$bench" ]; then
  LD_LIBRARY_PATH="$native_libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timeout "$(run_limit)" "$bench" 10000 \
    >"$work/round_trip.native" 2>&1
  LD_LIBRARY_PATH="$guest" REMORA_SERVER="unix:$sock" timeout "$(run_limit)" "$bench" 10000 \
    >"$work/round_trip.remoted" 2>&1
  # Both runs print the same calls in the same order: "<call> <us per call> <status>".
  printf '%-24s %12s %12s %9s  %s\n' call native_us remoted_us ratio "status (native / remoted)"
  paste -d ' ' "$work/round_trip.native" "$work/round_trip.remoted" |
    awk '{ if ($2 == "-" || $5 == "-") printf "%-24s %12s %12s %9s  %s / %s\n", $1, $2, $5, "-", $3, $6;
           else printf "%-24s %12.3f %12.3f %8.1fx  %s / %s\n", $1, $2, $5, ($2 > 0 ? $5 / $2 : 0), $3, $6 }'
else
  echo "not built: $bench"
  different=$((different + 1))
fi

step "summary"
echo "$identical identical, $different different, $limits known limits (tests/cuda/programs/known_limits.txt)," \
  "$native_only native only (no guest library), $native_failed failed natively on the GPU"
echo "outputs: $work/<program>.{native,remoted}.{out,err}; server log: $work/server.log"
status=0
[ "$different" -eq 0 ] && [ "$native_failed" -eq 0 ] || status=1
[ "$strict" -eq 1 ] && [ "$limits" -gt 0 ] && status=1
exit $status
