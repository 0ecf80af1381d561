#!/usr/bin/env python3
"""Writes tests/data/trace/opencl-header-only.spec.json: the OpenCL API as a
header alone describes it (function names, C types, handle typedefs), with no
annotations, so trace tests show the tracer needs nothing a review would add.
Source of names/types: the truth spec's prototypes (all annotations dropped)."""
import json, pathlib
root = pathlib.Path(__file__).resolve().parents[2]
truth = json.load(open(root / "tests/data/truth/opencl.truth.json"))
spec = {"format": "remora-spec/1", "api": truth["api"],
        "types": [{"name": t["name"], "kind": t["kind"]} for t in truth["types"] if t["kind"] == "handle"],
        "functions": []}
for f in truth["functions"]:
    fn = {"name": f["name"], "return": {"type": f["return"]["type"], "kind": "value"},
          "params": [{"name": p["name"], "type": p["type"]} for p in f["params"]]}
    if f.get("variadic"): fn["variadic"] = True
    spec["functions"].append(fn)
out = root / "tests/data/trace/opencl-header-only.spec.json"
out.write_text(json.dumps(spec, indent=1) + "\n")
print(f"wrote {out} ({len(spec['functions'])} functions)")
