#!/usr/bin/env bash
# Runs one program through the generated CUDA stack only (unix socket) and requires
# exit status 0 and, on its stderr, every line of EXPECTED as a fixed string (the
# stack's reasons for what it refuses). For behaviour the guest decides by itself
# (pinned memory answered in the guest, refusals), which a run without a GPU cannot
# compare with a native run: natively those calls fail at the runtime's initialisation.
#
# run_remoted_expect.sh SERVER REAL_LIBS GUEST_DIR NAME EXPECTED -- PROGRAM [ARGS...]
#   REAL_LIBS  the server's libraries, comma-separated, each PATH or SONAME=PATH
set -u
server=$1 real_libs=$2 guest_dir=$3 name=$4 expected=$5
shift 5
[ "${1:-}" = "--" ] && shift
# shellcheck source=../codegen/start_server.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../codegen/start_server.sh"
remora_scratch
remora_require_server "$name" "$server"
remora_server_libs "$name" "$real_libs"
remora_start_server "$name" "$server" "${lib_args[@]}"
LD_LIBRARY_PATH="$guest_dir" REMORA_SERVER="unix:$sock" timeout 120 "$@" >"$work/out" 2>"$work/err"
rc=$?
status=0
if [ $rc -ne 0 ]; then
  echo "$name: exit status $rc"
  status=1
fi
while IFS= read -r line; do
  case "$line" in '' | '#'*) continue ;; esac
  if ! grep -qF -- "$line" "$work/err"; then
    echo "$name: stderr lacks: $line"
    status=1
  fi
done <"$expected"
if ! grep -q "guest connected" "$work/server.log"; then
  echo "$name: the run never connected to the server (the guest library was not the one loaded)"
  status=1
fi
if [ $status -ne 0 ]; then
  echo "--- stdout:"; cat "$work/out"
  echo "--- stderr:"; head -60 "$work/err"
  echo "--- server log:"; tail -30 "$work/server.log"
  exit 1
fi
cat "$work/out"
echo "$name: exit status 0, $(grep -c '^remora: ' "$work/err") refusal reason(s) on stderr, all expected ones present"
