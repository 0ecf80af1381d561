#!/usr/bin/env bash
# Runs one program natively and through a generated Remora stack (unix socket),
# and passes when both print the same and the guest library really made the calls.
#
#   run_remoted.sh SERVER REAL_LIB GUEST_DIR WORK -- PROGRAM [ARGS...]
#
# SERVER is the generated API server, REAL_LIB the library it loads, GUEST_DIR the
# folder holding the guest library (put first on LD_LIBRARY_PATH for the remoted
# run). Prints the remoted/native wall-time ratio (measured in this run; not a
# pass/fail criterion) and the guest's REMORA_STATS line.
set -u
server=$1 real_lib=$2 guest_dir=$3 work=$4
shift 4
[ "${1:-}" = "--" ] && shift
mkdir -p "$work"
source "$(dirname "$0")/start_server.sh"

now_ns() { date +%s%N; }
# Best of 3 timed runs each, after one untimed native run that warms the page cache
# (the first run of a program pays for loading it from disk, whichever it is).
"$@" >/dev/null 2>&1
best() { [ -z "$1" ] || [ "$2" -lt "$1" ] && echo "$2" || echo "$1"; }
native_ns="" remoted_ns=""
for _ in 1 2 3; do
  t0=$(now_ns)
  "$@" >"$work/native.txt" 2>"$work/native.err"
  native_rc=$?
  t1=$(now_ns)
  REMORA_SERVER="unix:$sock" REMORA_STATS=1 LD_LIBRARY_PATH="$guest_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$@" >"$work/remoted.txt" 2>"$work/remoted.err"
  remoted_rc=$?
  t2=$(now_ns)
  native_ns=$(best "$native_ns" $((t1 - t0)))
  remoted_ns=$(best "$remoted_ns" $((t2 - t1)))
  [ "$native_rc" -eq 0 ] && [ "$remoted_rc" -eq 0 ] || break
done

echo "--- native (exit $native_rc)"
cat "$work/native.txt"
if [ "$native_rc" -ne 0 ]; then
  echo "FAIL: the program fails natively:"; cat "$work/native.err"; exit 1
fi
if [ "$remoted_rc" -ne 0 ] || ! cmp -s "$work/native.txt" "$work/remoted.txt"; then
  echo "FAIL: remoted run (exit $remoted_rc) differs from the native run:"
  diff "$work/native.txt" "$work/remoted.txt"
  cat "$work/remoted.err"
  echo "--- server log"; cat "$work/server.log"
  exit 1
fi
stats=$(grep '^remora: [0-9]* calls' "$work/remoted.err")
calls=$(echo "$stats" | sed -n 's/^remora: \([0-9]*\) calls.*/\1/p')
if [ -z "$calls" ] || [ "$calls" -eq 0 ]; then
  echo "FAIL: the remoted run made no call through the guest library (was it loaded?):"
  cat "$work/remoted.err"; exit 1
fi
native_ms=$((native_ns / 1000000)) remoted_ms=$((remoted_ns / 1000000))
ratio=$(awk -v r="$remoted_ms" -v n="$native_ms" 'BEGIN { printf "%.2f", (n > 0 ? r / n : 0) }')
echo "--- identical output remoted; guest: $stats"
echo "wall time (best of 3): native ${native_ms} ms, remoted ${remoted_ms} ms, remoted/native ${ratio}"
