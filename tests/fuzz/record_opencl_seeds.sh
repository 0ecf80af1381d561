#!/bin/sh
# Records the OpenCL fuzz target's seeds (tests/fuzz/seeds/opencl/): runs each OpenCL sample
# through a stack generated from the same spec the target fuzzes (specs/opencl.reviewed.json)
# with REMORA_RECORD_FRAMES, and keeps each sample's frames as <sample>.bin. Frames carry
# function ids, so re-record after a change of that spec or of the frame format.
#
# usage: record_opencl_seeds.sh STACK SAMPLES OUT
#   STACK: a built stack (`remora generate --spec specs/opencl.reviewed.json -o STACK`, then
#          cmake -S STACK -B STACK/build && cmake --build STACK/build)
#   SAMPLES: the folder of the built samples (build/samples/opencl)
#   OUT: where the seeds go (tests/fuzz/seeds/opencl)
set -eu
stack=$1 samples=$2 out=$3
list=$(dirname "$0")/../../samples/opencl/samples.txt
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/rec" "$out"
REMORA_RECORD_FRAMES="$work/rec" "$stack/build/server/opencl-server" --listen "unix:$work/s.sock" \
  --lib "${REMORA_OPENCL_LIB:-/usr/lib/x86_64-linux-gnu/libOpenCL.so.1}" 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do [ -S "$work/s.sock" ] && break; sleep 0.1; done
# Each sample is its own guest, so its own worker and frames file (flushed frame by frame).
grep -v '^#' "$list" | while read -r name _; do
  [ -n "$name" ] || continue
  REMORA_SERVER="unix:$work/s.sock" LD_LIBRARY_PATH="$stack/build/guest" "$samples/$name" >/dev/null 2>&1 ||
    echo "$name: exit $? through the stack (its frames are kept: a failing program is input too)"
  sleep 0.2  # the worker sees its guest gone
  i=0
  for f in "$work"/rec/frames-*.bin; do
    [ -s "$f" ] || continue
    if [ $i = 0 ]; then mv "$f" "$out/$name.bin"; else mv "$f" "$out/$name-$i.bin"; fi
    i=$((i + 1))
  done
done
ls -l "$out"
