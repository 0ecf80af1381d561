#!/usr/bin/env bash
# Runs one real program natively and through a generated remoting stack, and requires
# the same exit status (0) and the same stdout. Prints both wall times and their ratio.
#
# run_remoted.sh SERVER REAL_LIB GUEST_DIR GAPS NAME [EXPECTED] -- PROGRAM [ARGS...]
#   SERVER    the generated API server;  REAL_LIB  the library it loads (--lib)
#   GUEST_DIR folder of the guest library (LD_LIBRARY_PATH of the remoted run)
#   GAPS      known gaps, "<name> <reason>" per line: a failing run of a listed program is
#             reported as skipped (exit 77) with the reason; a passing one says to remove it
#   EXPECTED  optional: the native stdout must also equal this file ("-" for none)
# The environment (e.g. VK_ICD_FILENAMES) reaches the native run and the server alike.
set -u
server=$1 real_lib=$2 guest_dir=$3 gaps=$4 name=$5 expected=${6:--}
shift 6
[ "${1:-}" = "--" ] && shift
# shellcheck source=start_server.sh source-path=SCRIPTDIR
. "$(dirname "$0")/start_server.sh"
remora_scratch
now() { date +%s.%N; }

remora_require_server "$name" "$server"
known_gap=$(grep -E "^$name " "$gaps" 2>/dev/null | head -1 | cut -d' ' -f2-)

t0=$(now)
timeout 120 "$@" >"$work/native.out" 2>"$work/native.err"
native_rc=$?
t1=$(now)
if [ $native_rc -ne 0 ]; then
  echo "$name: the native run exited with $native_rc; stderr:"
  cat "$work/native.err"
  exit 1
fi
if [ "$expected" != "-" ] && ! diff -u "$expected" "$work/native.out"; then
  echo "$name: the native stdout differs from $expected"
  exit 1
fi

remora_start_server "$name" "$server" --lib "$real_lib"

t2=$(now)
LD_LIBRARY_PATH="$guest_dir" REMORA_SERVER="unix:$sock" timeout 120 "$@" >"$work/remoted.out" 2>"$work/remoted.err"
remoted_rc=$?
t3=$(now)

if [ $remoted_rc -eq 0 ] && cmp -s "$work/native.out" "$work/remoted.out"; then
  echo "$name: identical output natively and through the stack ($(wc -l <"$work/native.out") lines)"
  # The ratio is only meaningful for a run that did the same work.
  awk -v n="$name" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" \
    'BEGIN { printf "%s: native %.3f s, remoted %.3f s, remoted/native %.2fx\n", n, b - a, d - c, (d - c) / (b - a) }'
  [ -n "$known_gap" ] && echo "$name: passes now: remove its line from $gaps"
  exit 0
fi
report() {
  echo "--- remoted run: exit $remoted_rc; stdout diff (native -> remoted):"
  diff "$work/native.out" "$work/remoted.out" | head -40
  echo "--- remoted stderr:"
  head -60 "$work/remoted.err"
  echo "--- server log:"
  tail -30 "$work/server.log"
}
if [ -n "$known_gap" ]; then
  echo "REMORA-SKIP: $name does not run through the stack yet (known gap: $known_gap)"
  report
  exit 77
fi
echo "$name: the remoted run differs from the native one"
report
exit 1
