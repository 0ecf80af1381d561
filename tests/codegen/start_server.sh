# shellcheck shell=bash disable=SC2034  # sets variables (work, lib_args, native_path, sock) for its caller
# Sourced (not run) by the scripts that run a program through a generated stack
# (tests/codegen/run_remoted.sh, tests/cuda/run_native_vs_remoted.sh,
# tests/cuda/run_remoted_expect.sh): their scratch folder, the server's --lib list and
# the server's start-up, written once. Each function exits the script on failure
# (exit 1, or exit 0 with a REMORA-SKIP: line when a library is not installed).

# $work, a scratch folder; on exit the server started below is stopped and $work removed.
remora_scratch() {
  work=$(mktemp -d)
  server_pid=
  trap remora_cleanup EXIT
}
remora_cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}

# remora_require_server NAME SERVER: the stack's server must have been built.
remora_require_server() {
  if [ ! -x "$2" ]; then
    echo "$1: the stack's server $2 is missing (its fixture test failed or was skipped)"
    exit 1
  fi
}

# remora_server_libs NAME REAL_LIBS: REAL_LIBS is comma-separated, each PATH or
# SONAME=PATH. Sets lib_args (the server's --lib arguments) and native_path: a folder
# (or empty) where each SONAME=PATH whose file has another name (the toolkit's
# stubs/libcuda.so for libcuda.so.1) is linked under SONAME, for a native run to load
# the same libraries. A library that is not installed skips the test.
remora_server_libs() {
  local name=$1 lib path libs
  lib_args=()
  native_path=
  IFS=, read -ra libs <<<"$2"
  for lib in "${libs[@]}"; do
    path=${lib#*=}
    if [ ! -e "$path" ]; then
      echo "REMORA-SKIP: $name: $path is not installed"
      exit 0
    fi
    lib_args+=(--lib "$lib")
    if [ "$lib" != "$path" ] && [ "$(basename "$path")" != "${lib%%=*}" ]; then
      mkdir -p "$work/native-libs"
      ln -sf "$path" "$work/native-libs/${lib%%=*}"
      native_path=$work/native-libs
    fi
  done
}

# remora_start_server NAME SERVER ARGS...: starts SERVER on the unix socket $sock
# (in $work) with ARGS (its --lib list), logging to $work/server.log, and waits until
# it listens. Sets server_pid.
remora_start_server() {
  local name=$1 server=$2
  shift 2
  sock="$work/server.sock"
  "$server" --listen "unix:$sock" "$@" 2>"$work/server.log" &
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
}
