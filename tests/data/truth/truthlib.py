"""Turns hand-written labels into remora-spec/1 truth documents.

The labels themselves live in opencl_labels.py and cuda_runtime_labels.py; they
are a human reading of the reference documentation (see NOTES.md). This module
only (1) reads parameter names and C types from the real header with clang, so
the truth names every parameter exactly as the header does, (2) expands the
compact label strings, and (3) refuses to write a document in which any pointer
parameter lacks a hand-written label.

Label string grammar (space-separated tokens; an optional note follows ' -- '):
  in|out|inout                      direction
  value|handle|buffer|element|string|callback|userdata|opaque   kind
  size=EXPR                         size expression (no spaces)
  bytes|elements                    size unit
  nullable                          NULL is a documented, valid argument
  elem=KIND                         kind of each pointee (arrays of handles, ...)
  elemsize=EXPR elembytes           size/unit of each pointee when it is a buffer
  allocates|deallocates             object lifecycle
  shadow=map|unmap                  mapped host memory
"""
import json
import re
import subprocess

CLANG = "/usr/lib/llvm-15/bin/clang"


def header_declarations(source, header_suffix, args):
    """{name: {"ret": type, "params": [(name, type)]}} for functions declared in the header."""
    out = subprocess.run([CLANG, "-x", "c", "-fsyntax-only", "-Xclang", "-ast-dump=json", "-"] + args,
                         input=source, capture_output=True, text=True, check=True).stdout
    ast = json.loads(out)
    result, state = {}, {"file": None}
    for decl in ast.get("inner", []):
        # clang's JSON names a location's file only when it differs from the
        # previously printed location (spelling, expansion, ranges, children
        # included), so follow every location in document order.
        _follow_files(decl.get("loc", {}), state)
        decl_file = state["file"]
        _follow_files({k: v for k, v in decl.items() if k != "loc"}, state)
        if decl.get("kind") != "FunctionDecl" or not decl_file or not decl_file.endswith(header_suffix):
            continue
        qual = decl["type"]["qualType"]
        # An unnamed parameter is `arg<i>`, as the spec names it.
        params = [(p.get("name") or f"arg{i}", p["type"]["qualType"])
                  for i, p in enumerate(q for q in decl.get("inner", []) if q.get("kind") == "ParmVarDecl")]
        result[decl["name"]] = {"ret": qual.split("(")[0].strip(), "params": params}
    return result


def _follow_files(node, state):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "includedFrom":
                continue
            if key == "file" and isinstance(value, str):
                state["file"] = value
            elif key in ("spellingLoc", "expansionLoc") and isinstance(value, dict):
                # the expansion location is the one a declaration is "in"
                _follow_files(value, state)
            else:
                _follow_files(value, state)
    elif isinstance(node, list):
        for item in node:
            _follow_files(item, state)


def apply_renames(decls, header_path):
    """Names functions as the header spells them where a `#define name real_symbol`
    (also `#define name WRAP(real_symbol)`) renames a declared function: the CUDA
    driver's `cuMemAlloc` -> `cuMemAlloc_v2`. The truth then carries
    "symbol": real_symbol, as the spec does."""
    with open(header_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    renamed = dict(decls)
    for m in re.finditer(r"^\s*#\s*define\s+(\w+)[ \t]+([^\n]*?)\s*$", text, re.M):
        name, body = m.group(1), m.group(2)
        target = re.fullmatch(r"(\w+)|\w+\(\s*(\w+)\s*\)", body)
        target = target and (target.group(1) or target.group(2))
        if name in decls or not target or target == name or target not in renamed:
            continue
        decl = dict(renamed.pop(target))
        decl["symbol"] = target
        renamed[name] = decl
    return renamed


KINDS = {"value", "handle", "buffer", "element", "string", "callback", "userdata", "opaque"}


def parse_label(text):
    """Compact label -> (annotation dict, note or None)."""
    note = None
    if " -- " in text:
        text, note = text.split(" -- ", 1)
    ann, element = {}, {}
    for tok in text.split():
        if tok in ("in", "out", "inout"):
            ann["direction"] = tok
        elif tok in KINDS:
            ann["kind"] = tok
        elif tok.startswith("size="):
            ann["size"] = tok[5:]
        elif tok in ("bytes", "elements"):
            ann["size_unit"] = tok
        elif tok == "nullable":
            ann["nullable"] = True
        elif tok.startswith("elem="):
            element["kind"] = tok[5:]
        elif tok.startswith("elemsize="):
            element["size"] = tok[9:]
        elif tok == "elembytes":
            element["size_unit"] = "bytes"
        elif tok == "elemdir=out":
            element["direction"] = "out"
        elif tok in ("allocates", "deallocates"):
            ann[tok] = True
        elif tok.startswith("shadow="):
            ann["shadow"] = tok[7:]
        else:
            raise ValueError(f"unknown label token '{tok}' in '{text}'")
    if element:
        if element.get("kind") not in KINDS:
            raise ValueError(f"element needs a kind: '{text}'")
        ann["element"] = element
    if "kind" not in ann:
        raise ValueError(f"label without a kind: '{text}'")
    return ann, note


def is_pointer(ctype):
    return "*" in ctype or "[" in ctype


def pointer_handle(ctype, pointer_handles):
    """'sqlite3 *' -> 'sqlite3' when sqlite3 is a struct used only through pointers."""
    base = ctype.strip()
    if not base.endswith("*") or base.count("*") != 1:
        return None
    base = base[:-1].strip()
    return base if base in pointer_handles else None


def build_function(name, decl, spec, handle_types, nullable_handles, status_types, pointer_handles=()):
    params_spec = spec.get("params", {})
    known = {p for p, _ in decl["params"]}
    for p in params_spec:
        if p not in known:
            raise ValueError(f"{name}: label for unknown parameter '{p}' (header has {sorted(known)})")
    fn = {"name": name}
    if decl.get("symbol"):
        fn["symbol"] = decl["symbol"]
    ret_type = decl["ret"]
    ret = {"type": ret_type}
    if "ret" in spec:
        ann, note = parse_label(spec["ret"])
        ret.update(ann)
        if ann.get("kind") == "handle":
            ret["handle_type"] = pointer_handle(ret_type, pointer_handles) or ret_type
    elif ret_type in handle_types:
        raise ValueError(f"{name}: returns handle type {ret_type} but has no return label")
    elif is_pointer(ret_type):
        raise ValueError(f"{name}: returns a pointer but has no return label")
    else:
        ret["kind"] = "value"
    fn["return"] = ret
    sync = spec.get("sync", "sync")
    fn["sync"] = {"async_if": sync[3:]} if sync.startswith("if:") else sync
    if spec.get("barrier"):
        fn["barrier"] = True
    if spec.get("unsupported"):
        fn["supported"] = False
        fn["unsupported_reason"] = spec["unsupported"]
    fn["status"] = "confirmed"
    if spec.get("note"):
        fn["evidence"] = [{"source": "human", "weight": 1.0, "why": spec["note"]}]
    params = []
    for pname, ctype in decl["params"]:
        p = {"name": pname, "type": ctype}
        note = None
        if pname in params_spec:
            ann, note = parse_label(params_spec[pname])
            if "direction" not in ann:
                ann["direction"] = "in"
            p.update(ann)
            if ann["kind"] == "handle":
                p["handle_type"] = pointer_handle(ctype, pointer_handles) or ctype
        elif pointer_handle(ctype, pointer_handles):
            # `sqlite3 *db`: a handle spelled as a pointer to an incomplete struct
            p.update({"direction": "in", "kind": "handle", "handle_type": pointer_handle(ctype, pointer_handles)})
        elif is_pointer(ctype) or "(*)" in ctype:
            raise ValueError(f"{name}.{pname}: pointer parameter ({ctype}) has no hand-written label")
        elif ctype in handle_types:
            p.update({"direction": "in", "kind": "handle", "handle_type": ctype})
            if ctype in nullable_handles:
                p["nullable"] = True
        else:
            p.update({"direction": "in", "kind": "value"})
        if is_pointer(ctype) and "nullable" not in p:
            p["nullable"] = False
        if pname in spec.get("when", {}):
            p["when"] = spec["when"][pname]
        p["status"] = "confirmed"
        if note:
            p["evidence"] = [{"source": "human", "weight": 1.0, "why": note}]
        params.append(p)
    fn["params"] = params
    return fn


def build_spec(api, decls, labels, handle_types, nullable_handles, status_types, out_path, pointer_handles=()):
    missing = [n for n in labels if n not in decls]
    if missing:
        raise ValueError(f"labelled functions not in the header: {missing}")
    types = [{"name": t, "kind": "handle"} for t in sorted(set(handle_types) | set(pointer_handles))]
    types += [{"name": t, "kind": "status", "success": s} for t, s in sorted(status_types.items())]
    functions = [build_function(n, decls[n], labels[n], handle_types, nullable_handles, status_types, pointer_handles)
                 for n in labels]
    doc = {"format": "remora-spec/1", "api": api, "types": types, "functions": functions}
    with open(out_path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    # Pointers: spelled with '*'/'[' or labelled as pointees (typedefs of pointers: z_streamp, callbacks).
    pointer_params = sum(1 for fn in functions for p in fn["params"]
                         if is_pointer(p["type"]) or p["kind"] not in ("value", "handle"))
    print(f"{out_path}: {len(functions)} functions, "
          f"{sum(len(fn['params']) for fn in functions)} parameters ({pointer_params} pointers)")
