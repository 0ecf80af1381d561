#!/usr/bin/env bash
# Round trips per API call of every OpenCL sample through the stacks of one or more specs,
# side by side: what a spec's sync / cacheable / guest-assigned handle choices cost on a
# link where each round trip is paid. Each spec's stack is generated and built in WORK
# (kept for reruns), its server started on a unix socket, every sample run with
# REMORA_STATS=1 and its output compared with samples/opencl/expected.
#
# usage: bench/codegen/sample_round_trips.sh [-w WORK] SPEC.json [SPEC.json...]
#   e.g. remora infer /usr/include/CL/cl.h -DCL_TARGET_OPENCL_VERSION=300 --api-name OpenCL \
#          --library libOpenCL.so.1 --docs ../shared/corpus/opencl-docs -o inferred.json
#        bench/codegen/sample_round_trips.sh inferred.json specs/opencl.reviewed.json
# Needs the build (build/app/cli/remora, build/samples/opencl) and pocl.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${TMPDIR:-/tmp}/remora-sample-round-trips
if [ "${1:-}" = "-w" ]; then work=$2; shift 2; fi
[ $# -ge 1 ] || { sed -n '2,12p' "$0"; exit 2; }
remora=$root/build/app/cli/remora
samples=$root/build/samples/opencl
lib=
for candidate in /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 /usr/lib64/libOpenCL.so.1 /usr/lib/libOpenCL.so.1; do
  [ -e "$candidate" ] && { lib=$candidate; break; }
done
[ -x "$remora" ] && [ -d "$samples" ] && [ -n "$lib" ] || { echo "build Remora and its OpenCL samples first (needs ocl-icd)"; exit 1; }
mkdir -p "$work"

columns=()
for spec in "$@"; do
  i=${#columns[@]}
  stack=$work/stack$i
  echo "[$((i + 1))/$#] generating and building the stack of $spec ..." >&2
  "$remora" generate --spec "$spec" -o "$stack" --real-lib "$lib" >"$work/generate$i.log" 2>&1
  cmake -S "$stack" -B "$stack/build" -G Ninja >"$work/cmake$i.log" 2>&1
  ninja -C "$stack/build" >"$work/build$i.log" 2>&1
  server=$(ls "$stack"/build/server/*-server)
  sock=$work/stack$i.sock
  rm -f "$sock"
  "$server" --listen "unix:$sock" --lib "$lib" >"$work/server$i.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  out=$work/column$i.txt
  : >"$out"
  for exe in "$samples"/ocl-*; do
    [ -x "$exe" ] && [ -f "$exe" ] || continue
    name=$(basename "$exe")
    got=$(cd "$work" && REMORA_STATS=1 REMORA_SERVER=unix:$sock LD_LIBRARY_PATH=$stack/build/guest \
          timeout 120 "$exe" 2>"$work/$name.$i.err" || true)
    same=differs
    [ "$got" = "$(cat "$root/samples/opencl/expected/$name.txt" 2>/dev/null)" ] && same=same
    read -r calls trips < <(sed -n 's/.*remora: \([0-9]*\) calls, \([0-9]*\) round trips.*/\1 \2/p' \
                              "$work/$name.$i.err" | tail -1; echo)
    echo "$name $same ${calls:-0} ${trips:-0}" >>"$out"
  done
  kill "$pid" 2>/dev/null || true
  columns+=("$out")
done

printf '%-32s' "sample (calls)"
for spec in "$@"; do printf ' | %-22s' "$(basename "$spec")"; done
printf '\n'
paste -d' ' "${columns[@]}" | awk -v n=$# '
  { printf "%-26s %5s", $1, $3;
    for (k = 0; k < n; ++k) {
      trips = $(4 + 4 * k); same = $(2 + 4 * k);
      printf " | %6d rt %5.3f/call %s", trips, ($3 ? trips / $3 : 0), (same == "same" ? "  " : " *");
      if (same == "same") { total[k] += trips; calls[k] += $3 }
    }
    printf "\n" }
  END { printf "%-32s", "total (output as expected)";
        for (k = 0; k < n; ++k) printf " | %6d rt %5.3f/call  ", total[k], (calls[k] ? total[k] / calls[k] : 0);
        printf "\n(* output differs from samples/opencl/expected: left out of the total)\n" }'
