# Sourced: starts $server on unix:$work/server.sock with $real_lib, stops it on exit,
# and fails (exit 1, with its log) if it does not listen. Sets $sock.
sock="$work/server.sock"
rm -f "$sock"

"$server" --listen "unix:$sock" --lib "$real_lib" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
for _ in $(seq 100); do
  [ -S "$sock" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "FAIL: the server exited:"; cat "$work/server.log"; exit 1; }
  sleep 0.05
done
[ -S "$sock" ] || { echo "FAIL: the server did not listen on $sock"; cat "$work/server.log"; exit 1; }

