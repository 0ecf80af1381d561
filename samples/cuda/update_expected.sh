#!/bin/sh
# Regenerate samples/cuda/expected/<target>.txt from real runs.
# Each sample runs 3 times; a sample whose stdout differs between runs or that
# exits non-zero is reported and its expected file is left alone.
# Usage: samples/cuda/update_expected.sh [build-dir]   (default: build-samples)
set -u
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-"$here/../../build-samples"}
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for target in $(grep -E '^cuda-[0-9]+-[a-z0-9-]+[[:space:]]+pass' "$here/samples.txt" | awk '{print $1}'); do
  exe="$build/samples/cuda/$target"
  if [ ! -x "$exe" ]; then
    echo "$target: not built ($exe missing); run cmake --build $build --target $target" >&2
    status=1
    continue
  fi
  ok=1
  for run in 1 2 3; do
    "$exe" >"$tmp/$run.txt" 2>"$tmp/$run.err"
    rc=$?
    if [ $rc -eq 77 ]; then
      echo "$target: skipped (no usable CUDA device); expected output not written" >&2
      ok=2
      break
    fi
    if [ $rc -ne 0 ]; then
      echo "$target: run $run exited non-zero; stderr:" >&2
      cat "$tmp/$run.err" >&2
      ok=0
      status=1
      break
    fi
  done
  if [ $ok = 1 ] && cmp -s "$tmp/1.txt" "$tmp/2.txt" && cmp -s "$tmp/1.txt" "$tmp/3.txt"; then
    cp "$tmp/1.txt" "$here/expected/$target.txt"
    echo "$target: deterministic over 3 runs, expected output written"
  elif [ $ok = 2 ]; then
    :
  elif [ $ok = 1 ]; then
    echo "$target: stdout differs between runs; not written" >&2
    status=1
    diff "$tmp/1.txt" "$tmp/2.txt" >&2
    diff "$tmp/1.txt" "$tmp/3.txt" >&2
  fi
done
exit $status
