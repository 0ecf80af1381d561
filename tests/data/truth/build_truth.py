#!/usr/bin/env python3
"""Regenerates the truth documents from the hand-written labels, taking
parameter names and types from the real headers:
  opencl.truth.json           <- opencl_labels.py (CL/cl.h, OpenCL 3.0)
  <id>.truth.json             <- <id>_labels.py, for every API of
                                 tests/data/corpus/corpus.json whose "truth" is set
Usage: python3 tests/data/truth/build_truth.py [ID...]   (needs
/usr/lib/llvm-15/bin/clang and the installed headers; an API whose header is
absent is skipped with a message)."""
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)

import truthlib  # noqa: E402
import opencl_labels  # noqa: E402


def build_opencl():
    cl = truthlib.header_declarations("#define CL_TARGET_OPENCL_VERSION 300\n#include <CL/cl.h>\n", "CL/cl.h", [])
    truthlib.build_spec(
        {"name": "OpenCL", "headers": ["CL/cl.h"], "include_dirs": [], "defines": ["CL_TARGET_OPENCL_VERSION=300"],
         "library": "libOpenCL.so.1", "sonames": ["libOpenCL.so.1", "libOpenCL.so"]},
        cl, opencl_labels.LABELS, opencl_labels.HANDLE_TYPES, opencl_labels.NULLABLE_HANDLES,
        opencl_labels.STATUS_TYPES, os.path.join(HERE, "opencl.truth.json"))


def sonames(library):
    """libz.so.1 -> [libz.so.1, libz.so]"""
    base = library.split(".so")[0] + ".so"
    return [library, base] if base != library else [library]


def build_corpus_api(entry):
    missing = [h for h in entry["headers"] if not os.path.exists(h)]
    if missing:
        print(f"{entry['id']}: skipped, {missing[0]} is absent")
        return
    labels = importlib.import_module(f"{entry['id']}_labels")
    args = [f"-I{d}" for d in entry["include_dirs"]] + [f"-D{d}" for d in entry["defines"]]
    decls = {}
    for header in entry["headers"]:
        found = truthlib.header_declarations(f"#include \"{header}\"\n", os.path.basename(header), args)
        decls.update(truthlib.apply_renames(found, header))
    api = {"name": entry["name"], "headers": [os.path.basename(h) for h in entry["headers"]],
           "include_dirs": entry["include_dirs"], "defines": entry["defines"],
           "library": entry["library"], "sonames": sonames(entry["library"])}
    truthlib.build_spec(api, decls, labels.LABELS, labels.HANDLE_TYPES, labels.NULLABLE_HANDLES,
                        labels.STATUS_TYPES, os.path.join(ROOT, entry["truth"]),
                        getattr(labels, "POINTER_HANDLES", ()))


def main():
    wanted = set(sys.argv[1:])
    if not wanted or "opencl" in wanted:
        build_opencl()
    with open(os.path.join(ROOT, "tests/data/corpus/corpus.json")) as f:
        corpus = json.load(f)
    for entry in corpus["apis"]:
        if entry.get("truth") and (not wanted or entry["id"] in wanted):
            build_corpus_api(entry)


if __name__ == "__main__":
    main()
