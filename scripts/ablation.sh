#!/usr/bin/env bash
# Ablation: how much each evidence source contributes to OpenCL inference accuracy.
#
# Runs `remora infer` on the real CL/cl.h (OpenCL 3.0) header-only, with the OpenCL
# reference docs, with program traces (when there are any) and with both; scores each
# spec against the hand-written truth with `remora score`; prints one table.
#
# usage: scripts/ablation.sh [--keep DIR]
# env:   REMORA         the remora binary (default: newest build*/app/cli/remora)
#        REMORA_SHARED  the shared folder holding corpus/opencl-docs (default: ../shared)
#        REMORA_TRACES  space-separated trace databases to use; when unset, the OpenCL
#                       samples found next to the remora binary are traced (skipped if none)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
keep=""
if [[ "${1:-}" == "--keep" ]]; then keep=${2:?--keep needs a folder}; fi

remora=${REMORA:-}
if [[ -z "$remora" ]]; then
  remora=$(ls -t "$root"/build*/app/cli/remora 2>/dev/null | head -n1 || true)
fi
if [[ -z "$remora" || ! -x "$remora" ]]; then
  echo "ablation: no remora binary; build one (cmake --build build-X --target remora) or set REMORA=" >&2
  exit 2
fi
command -v jq >/dev/null || { echo "ablation: jq is required (apt-get install jq)" >&2; exit 2; }

shared=${REMORA_SHARED:-$root/../shared}
docs=$shared/corpus/opencl-docs
header=/usr/include/CL/cl.h
truth=$root/tests/data/truth/opencl.truth.json
for f in "$header" "$truth"; do
  [[ -e "$f" ]] || { echo "ablation: missing $f" >&2; exit 2; }
done
have_docs=1
[[ -d "$docs" ]] || { echo "ablation: no docs corpus at $docs; the +docs runs are skipped" >&2; have_docs=0; }

work=${keep:-$(mktemp -d)}
mkdir -p "$work"
[[ -n "$keep" ]] || trap 'rm -rf "$work"' EXIT
infer=("$remora" infer "$header" -DCL_TARGET_OPENCL_VERSION=300 --quiet)

"${infer[@]}" -o "$work/header.json"

# Traces: given, or recorded now from the built OpenCL samples.
traces=()
if [[ -n "${REMORA_TRACES:-}" ]]; then
  read -r -a traces <<<"$REMORA_TRACES"
else
  samples_dir=$(cd "$(dirname "$remora")/../.." && pwd)/samples/opencl
  if [[ -d "$samples_dir" ]]; then
    for exe in "$samples_dir"/ocl-* "$samples_dir"/[0-9]*; do
      [[ -f "$exe" && -x "$exe" ]] || continue
      db="$work/trace-$(basename "$exe").db"
      if timeout 120 "$remora" trace --spec "$work/header.json" --quiet -o "$db" -- "$exe" >/dev/null 2>&1 &&
         [[ -s "$db" ]]; then
        traces+=("$db")
      fi
    done
  fi
fi
trace_args=()
for t in "${traces[@]}"; do trace_args+=(--trace "$t"); done

configs=(header)
[[ $have_docs == 1 ]] && { "${infer[@]}" --docs "$docs" -o "$work/docs.json"; configs+=(docs); }
if ((${#traces[@]})); then
  "${infer[@]}" "${trace_args[@]}" -o "$work/trace.json"; configs+=(trace)
  if [[ $have_docs == 1 ]]; then
    "${infer[@]}" --docs "$docs" "${trace_args[@]}" -o "$work/all.json"; configs+=(all)
  fi
else
  echo "ablation: no traces (set REMORA_TRACES or build the OpenCL samples); trace columns skipped" >&2
fi

for c in "${configs[@]}"; do
  "$remora" score --spec "$work/$c.json" --truth "$truth" --json >"$work/$c.score.json"
done

declare -A title=([header]="header" [docs]="+docs" [trace]="+trace" [all]="+docs+trace")
fields=$(jq -r '.fields | keys_unsorted[]' "$work/header.score.json")
echo "OpenCL accuracy vs tests/data/truth/opencl.truth.json ($(jq .functions_scored "$work/header.score.json") functions," \
     "$(jq .params_scored "$work/header.score.json") pointer-like params; P = precision, R = recall)"
printf '%-14s' field
for c in "${configs[@]}"; do printf ' %17s' "${title[$c]} P/R"; done
echo
for f in $fields overall; do
  printf '%-14s' "$f"
  for c in "${configs[@]}"; do
    printf ' %17s' "$(jq -r --arg f "$f" '(if $f == "overall" then .overall else .fields[$f] end) as $x |
      if $x == null then "-" else "\($x.precision*1000|round/1000)/\($x.recall*1000|round/1000)" end' \
      "$work/$c.score.json")"
  done
  echo
done
((${#traces[@]})) && echo "traces: ${#traces[@]} database(s)"
[[ -n "$keep" ]] && echo "specs and scores kept in $work"
exit 0
