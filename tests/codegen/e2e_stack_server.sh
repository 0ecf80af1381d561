# Sourced by the end-to-end scripts of stacks inferred from a header (tests/e2e_*/):
# finds the real library, starts the stack's server on a unix socket in the work
# folder, and gives `remote CMD...` (CMD through the stack), `now` and `ratio`.
# Usage, after `set -euo pipefail`:
#   lib=$(find_real_library libz.so.1 [DIR...])   ("" when not installed)
#   start_stack_server STACK_DIR API LIB WORK_DIR  (exits 1 when the stack was not built)

find_real_library() {
  local soname=$1 d
  shift
  for d in "$@" /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
    [ -e "$d/$soname" ] && { echo "$d/$soname"; return; }
  done
  echo ""
}

start_stack_server() {
  local stack=$1 api=$2 lib=$3 work=$4
  local server=$stack/build/server/$api-server
  guest=$stack/build/guest
  [ -x "$server" ] || { echo "the $api stack was not built ($server): run codegen.header-stack.$api first"; exit 1; }
  mkdir -p "$work" && cd "$work"
  sock=$work/$api.sock
  rm -f "$sock"
  "$server" --listen "unix:$sock" --lib "$lib" >server.log 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
}

remote() { REMORA_SERVER=unix:$sock LD_LIBRARY_PATH=$guest "$@"; }
# Whether the server logged at least N (default 1) guest connections. The listener writes
# the line once it has handed the connection to a worker, which for a short program may
# be after the program is done: it is given up to 3 s to appear.
guest_connected() {
  local want=${1:-1}
  for _ in $(seq 30); do
    [ "$(grep -c "guest connected" server.log)" -ge "$want" ] && return 0
    sleep 0.1
  done
  return 1
}
now() { date +%s.%N; }
# remoted/native from three timestamps: native ran t0..t1, remoted t1..t2.
ratio() { python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); print(f'{(c-b)/(b-a):.2f}' if b>a else 'n/a')" "$1" "$2" "$3"; }

# Runs CMD natively (native.txt) and through the stack (remote.txt); fails when the
# outputs differ or the stack refused a call the program made (a stub's message).
compare_native_and_remoted() {
  "$@" >native.txt
  remote "$@" >remote.txt 2>remote.err || { echo "the program failed through the stack:"; cat remote.err; exit 1; }
  diff native.txt remote.txt
  guest_connected || { echo "the program never reached the stack's server:"; cat server.log; exit 1; }
  if grep -q "not supported by this remoting stack" remote.err; then
    echo "a call was refused by the stack:"; cat remote.err; exit 1
  fi
}
