#!/bin/sh
# Builds and runs the libFuzzer target of the API server (fuzz_server_requests.cpp) over
# one API: generates the stack's server.cpp from SPEC, compiles it into the target with
# clang-15 (-fsanitize=fuzzer,address,undefined), and fuzzes from the recorded seeds with
# the real library behind it.
#
# usage: run_server_fuzz.sh WORK REMORA SPEC LIB INCLUDE SEEDS [libFuzzer args...]
#   LIB: path or soname of the vendor library (':'-separated, one per library of the spec);
#   INCLUDE: a folder with the API's header, or - when the compiler finds it (<CL/cl.h>);
#   SEEDS/../<name of SEEDS>.left-out (optional): functions dropped from the inputs, one a
#   line with the reason after '#' (fuzz_server_requests.cpp says which and why).
#   e.g. run_server_fuzz.sh build/fuzz build/app/remora tests/data/toyapi/toy.spec.json \
#          build/tests/codegen/toy-native/libtoy.so tests/data/toyapi tests/fuzz/seeds/toy -runs=10000000
# Without clang++-15 or its libFuzzer it prints "REMORA-SKIP: ..." and exits 0 (CTest
# reports the test as skipped). New findings go to WORK/corpus, crashes to WORK/crash-*.
set -eu
work=$1 remora=$2 spec=$3 lib=$4 include=$5 seeds=$6
shift 6
# Absolute paths: the fuzzer runs from WORK (a soname stays as it is: dlopen searches it).
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
remora=$(abs "$remora") spec=$(abs "$spec") seeds=$(abs "$seeds")
libs=""
for l in $(echo "$lib" | tr ':' ' '); do
  case $l in */*) l=$(abs "$l") ;; esac
  libs="${libs:+$libs:}$l"
done
export REMORA_FUZZ_LIB="$libs"
[ "$include" = - ] || include=$(abs "$include")
left_out_file="$seeds.left-out"
if [ -f "$left_out_file" ]; then
  export REMORA_FUZZ_LEFT_OUT="$(sed 's/#.*//' "$left_out_file" | tr -s ' \t\n' ',' | sed 's/^,//;s/,$//')"
fi
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
# The API's defines and include folders, as the generated project compiles its server.
api_flags=$(sed -n 's/^set(API_DEFINES \(.*\))$/\1/p' "$work/stack/CMakeLists.txt" | tr -d '"' | tr ' ' '\n' | sed '/^$/d;s/^/-D/' | tr '\n' ' ')
api_flags="$api_flags $(sed -n 's/^set(API_INCLUDE_DIRS \(.*\))$/\1/p' "$work/stack/CMakeLists.txt" | tr -d '"' | tr ' ' '\n' | sed '/^$/d;s/^/-I/' | tr '\n' ' ')"
[ "$include" = - ] || api_flags="$api_flags -I$include"
# Rebuilt when the harness, the generated server or the runtime changed. Two compilers at
# once (the harness, which includes the generated server, is the larger half: minutes for
# OpenCL's), then one link.
if [ ! -x "$bin" ] || [ -n "$(find "$here/fuzz_server_requests.cpp" "$work/stack/server/server.cpp" "$rt" -newer "$bin" 2>/dev/null | head -1)" ]; then
  echo "building $bin"
  obj="$work/obj"
  mkdir -p "$obj"
  flags="-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Wno-deprecated-declarations -I$rt $api_flags"
  # shellcheck disable=SC2086 # flags: one word per flag
  "$cxx" $flags -DREMORA_FUZZ_SERVER_CPP="\"$work/stack/server/server.cpp\"" -DREMORA_FUZZ_LIB="\"$libs\"" \
    -c "$here/fuzz_server_requests.cpp" -o "$obj/harness.o" &
  harness=$!
  for f in remora_server remora_transport remora_shm_transport remora_vsock_transport remora_delay_stream \
           remora_auth remora_sandbox remora_virtio_serial_transport remora_mux; do
    # shellcheck disable=SC2086
    "$cxx" $flags -c "$rt/$f.cpp" -o "$obj/$f.o" || { kill "$harness" 2>/dev/null; exit 1; }
  done
  wait "$harness"
  "$cxx" -fsanitize=fuzzer,address,undefined "$obj"/*.o -ldl -lpthread -o "$bin"
fi
# A regression seed must still reach the check it guards (a changed frame format or function
# table would make it a truncated request, refused before that check). Each with a REASON
# file next to it (regression-x.bin, regression-x.want) is replayed alone, in a fresh
# process, and must still be refused for its reasons:
#  - a .want whose first line is `exact`: the replay's rejections (its `fuzz: request N
#    rejected: ...` lines, duplicates dropped) must be exactly the other lines, no more, no
#    fewer (the seeds make_regression_seeds.py writes: a refusal of a valid request beside
#    the bad one would fail them too);
#  - any other .want: each line must appear somewhere in what the replay printed (fuzzer
#    findings kept as found, whose other requests may be refused for reasons of their own).
# A crash fails the run below, where the seeds are part of the corpus.
for want in "$seeds"/regression-*.want; do
  [ -f "$want" ] || continue
  seed="${want%.want}.bin"
  got=$(REMORA_FUZZ_PRINT_REJECTIONS=1 ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$bin" "$seed" 2>&1 || true)
  if [ "$(head -n 1 "$want")" = exact ]; then
    rejections=$(echo "$got" | grep -a '^fuzz: request' | sort -u || true)
    expected=$(tail -n +2 "$want" | sort -u)
    if [ "$rejections" != "$expected" ]; then
      echo "$(basename "$seed") is no longer refused for exactly its reasons; want:"
      echo "${expected:-(no rejection)}"
      echo "replay said:"
      echo "${rejections:-(no rejection)}"
      echo "a seed make_regression_seeds.py writes: python3 $here/make_regression_seeds.py $work/stack/server/server.cpp $seeds"
      exit 1
    fi
  else
    while IFS= read -r line; do
      case $got in
        *"$line"*) ;;
        *) echo "$(basename "$seed") no longer refused for its reason ($line); replay said:"
           echo "$got" | grep -a '^fuzz: request\|ERROR\|PTHREAD' | head -20
           exit 1 ;;
      esac
    done < "$want"
  fi
  echo "$(basename "$seed"): refused for its reason"
done
mkdir -p "$work/corpus"
cd "$work"
# -close_fd_mask=2: the worker's per-request messages stay quiet; libFuzzer's and the
# sanitizers' reports still print.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$bin" -close_fd_mask=2 -max_len=65536 -rss_limit_mb=4096 "$@" "$work/corpus" "$seeds"
