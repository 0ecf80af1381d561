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
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -x "$server" ]; then
  echo "$name: the stack's server $server is missing (its fixture test failed or was skipped)"
  exit 1
fi
lib_args=()
IFS=, read -ra libs <<<"$real_libs"
for lib in "${libs[@]}"; do
  if [ ! -e "${lib#*=}" ]; then
    echo "REMORA-SKIP: $name: ${lib#*=} is not installed"
    exit 0
  fi
  lib_args+=(--lib "$lib")
done
sock="$work/server.sock"
"$server" --listen "unix:$sock" "${lib_args[@]}" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 500); do
  [ -S "$sock" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.01
done
if [ ! -S "$sock" ]; then
  echo "$name: the server did not start; its log:"
  cat "$work/server.log"
  exit 1
fi
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
