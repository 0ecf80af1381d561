#!/bin/sh
# Builds and runs the libFuzzer target of the API server (fuzz_server_requests.cpp) over
# the toy API: generates the toy stack's server.cpp, compiles it into the target with
# clang-15 (-fsanitize=fuzzer,address,undefined), and fuzzes from the recorded seeds.
#
# usage: run_server_fuzz.sh WORK REMORA TOY_SPEC TOY_LIB TOY_INCLUDE SEEDS [libFuzzer args...]
#   e.g. run_server_fuzz.sh build/fuzz build/app/remora tests/data/toyapi/toy.spec.json \
#          build/tests/codegen/toy-native/libtoy.so tests/data/toyapi tests/fuzz/seeds -runs=10000000
# Without clang++-15 or its libFuzzer it prints "REMORA-SKIP: ..." and exits 0 (CTest
# reports the test as skipped). New findings go to WORK/corpus, crashes to WORK/crash-*.
set -eu
work=$1 remora=$2 spec=$3 lib=$4 include=$5 seeds=$6
shift 6
# Absolute paths: the fuzzer runs from WORK.
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
remora=$(abs "$remora") spec=$(abs "$spec") lib=$(abs "$lib") include=$(abs "$include") seeds=$(abs "$seeds")
export REMORA_FUZZ_LIB="$lib"
here=$(cd "$(dirname "$0")" && pwd)
cxx=${REMORA_FUZZ_CXX:-clang++-15}
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "REMORA-SKIP: $cxx not found (apt-get install clang-15); the server fuzz target is not built"
  exit 0
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
probe="$work/probe.cpp"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe" -o "$work/probe" >/dev/null 2>&1; then
  echo "REMORA-SKIP: $cxx has no libFuzzer runtime (libclang-rt-15-dev); the server fuzz target is not built"
  exit 0
fi
"$remora" generate --spec "$spec" -o "$work/stack" --quiet
rt="$work/stack/runtime"
bin="$work/fuzz_server_requests"
# Rebuilt when the harness, the generated server or the runtime changed.
if [ ! -x "$bin" ] || [ -n "$(find "$here/fuzz_server_requests.cpp" "$work/stack/server/server.cpp" "$rt" -newer "$bin" 2>/dev/null | head -1)" ]; then
  echo "building $bin"
  "$cxx" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DREMORA_FUZZ_SERVER_CPP="\"$work/stack/server/server.cpp\"" -DREMORA_FUZZ_LIB="\"$lib\"" \
    -I"$rt" -I"$include" "$here/fuzz_server_requests.cpp" "$rt/remora_server.cpp" "$rt/remora_transport.cpp" \
    "$rt/remora_shm_transport.cpp" "$rt/remora_vsock_transport.cpp" "$rt/remora_delay_stream.cpp" \
    "$rt/remora_auth.cpp" "$rt/remora_sandbox.cpp" "$rt/remora_virtio_serial_transport.cpp" "$rt/remora_mux.cpp" -ldl -lpthread -o "$bin"
fi
# A regression seed must still reach the check it guards (a changed frame format or function
# table would make it a truncated request, refused before that check): replayed, it must be
# refused for its reason and nothing else. Regenerate with make_regression_seeds.py.
if [ -f "$seeds/regression-null-sum.bin" ]; then
  got=$(REMORA_FUZZ_PRINT_REJECTIONS=1 "$bin" "$seeds/regression-null-sum.bin" 2>&1 | grep '^fuzz: request' | sort -u || true)
  want='fuzz: request 2 rejected: toySum.values: NULL for 5 elements (the spec says it cannot be NULL)'
  if [ "$got" != "$want" ]; then
    echo "regression-null-sum.bin no longer reaches its check; replay said:"
    echo "${got:-(no rejection)}"
    echo "regenerate it: python3 $here/make_regression_seeds.py $work/stack/server/server.cpp $seeds"
    exit 1
  fi
  echo "regression seeds: each reaches the check it guards"
fi
mkdir -p "$work/corpus"
cd "$work"
# -close_fd_mask=2: the worker's per-request messages stay quiet; libFuzzer's and the
# sanitizers' reports still print.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$bin" -close_fd_mask=2 -max_len=65536 -rss_limit_mb=4096 "$@" "$work/corpus" "$seeds"
