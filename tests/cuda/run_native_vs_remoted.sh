#!/usr/bin/env bash
# Runs one CUDA program natively and through the generated CUDA stack (unix socket)
# and requires the same exit status, the same stdout and the same stderr (minus the
# stack's own "remora..." lines). Unlike tests/codegen/run_remoted.sh a non-zero
# exit is fine: without a GPU both runs must fail the same way (the driver's errors),
# which shows that calls, errors and the registration path are forwarded.
#
# run_native_vs_remoted.sh SERVER REAL_LIBS GUEST_DIR NAME [REQUIRE] -- PROGRAM [ARGS...]
#   REAL_LIBS  the server's libraries, comma-separated, each PATH or SONAME=PATH (a
#            stack spanning several: libcudart, libcuda, libcublas). A SONAME=PATH whose
#            file has another name (the toolkit's stubs/libcuda.so for libcuda.so.1) is
#            also put on the native run's library path under SONAME, so that both runs
#            load the same libraries.
#   REQUIRE  optional extended regex the remoted run's stderr must match, with
#            REMORA_CUDA_LOG=1 (what the CUDA runtime module did); "-" for none
set -u
server=$1 real_libs=$2 guest_dir=$3 name=$4
require=-
shift 4
if [ "${1:-}" != "--" ]; then
  require=$1
  shift
fi
[ "${1:-}" = "--" ] && shift
# shellcheck source=../codegen/start_server.sh source-path=SCRIPTDIR
. "$(dirname "$0")/../codegen/start_server.sh"
remora_scratch
remora_require_server "$name" "$server"
remora_server_libs "$name" "$real_libs"

# A program linking a CUDA library the guest stack does not provide (say libcublas.so.13
# from a stack for libcudart only) would mix the real library with remoted calls: skip it.
for lib in $(readelf -d "$1" 2>/dev/null | sed -n 's/.*Shared library: \[\(libcu[a-z]*\.so[.0-9]*\)\].*/\1/p'); do
  if [ ! -e "$guest_dir/$lib" ]; then
    echo "REMORA-SKIP: $name links $lib, which the guest stack ($guest_dir) does not provide"
    exit 0
  fi
done

LD_LIBRARY_PATH="$native_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" timeout 120 "$@" \
  >"$work/native.out" 2>"$work/native.err"
native_rc=$?

remora_start_server "$name" "$server" "${lib_args[@]}"
env_log=()
[ "$require" != "-" ] && env_log=(REMORA_CUDA_LOG=1)
LD_LIBRARY_PATH="$guest_dir" REMORA_SERVER="unix:$sock" env "${env_log[@]}" timeout 120 "$@" \
  >"$work/remoted.out" 2>"$work/remoted.err"
remoted_rc=$?

grep -v '^remora' "$work/remoted.err" >"$work/remoted.err.program"
status=0
if [ $native_rc -ne $remoted_rc ]; then
  echo "$name: exit status natively $native_rc, remoted $remoted_rc"
  status=1
fi
if ! cmp -s "$work/native.out" "$work/remoted.out"; then
  echo "$name: stdout differs (native -> remoted):"
  diff "$work/native.out" "$work/remoted.out" | head -40
  status=1
fi
if ! cmp -s "$work/native.err" "$work/remoted.err.program"; then
  echo "$name: the program's stderr differs (native -> remoted):"
  diff "$work/native.err" "$work/remoted.err.program" | head -20
  status=1
fi
# The remoted run must have gone through the stack: the guest library is the one loaded.
if [ "$require" != "-" ] && ! grep -Eq "$require" "$work/remoted.err"; then
  echo "$name: the remoted stderr does not show /$require/ (REMORA_CUDA_LOG=1)"
  status=1
fi
# ... and it reached the server (a library the guest does not stand in for would have
# been loaded from the system instead, without a connection).
if ! grep -q "guest connected" "$work/server.log"; then
  echo "$name: the remoted run never connected to the server"
  status=1
fi
if [ $status -ne 0 ]; then
  echo "--- remoted stderr:"
  head -40 "$work/remoted.err"
  echo "--- server log:"
  tail -30 "$work/server.log"
  exit 1
fi
echo "$name: identical natively and remoted: exit status $native_rc, $(wc -l <"$work/native.out") stdout line(s)"
head -5 "$work/native.out" "$work/native.err" | sed "s/^/$name:   /"
[ "$require" != "-" ] && grep -E "$require|^remora-cuda" "$work/remoted.err" | head -8 | sed "s/^/$name:   /"
exit 0
