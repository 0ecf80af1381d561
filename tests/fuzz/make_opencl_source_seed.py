#!/usr/bin/env python3
"""Writes seeds/opencl/regression-program-source-lengths.bin: clCreateProgramWithSource calls whose
source strings do not match their lengths, which a hostile guest sends and the worker must refuse.

Found by the 2026-12-04 long run (tests/fuzz/README.md): a `lengths[i]` of (size_t)-256 for a short
string made pocl memcpy a negative size. The spec now sizes strings[i] by lengths[i], or by its NUL
when lengths is NULL or lengths[i] is 0 (specs/review_edits.py, item 12), and the server checks every
element against the bytes that arrived. The seed is the recorded ocl-14-multi-source seed up to its
first clCreateProgramWithSource (context and queue creation, in the current frame format), then:
  request A: lengths[2] = (size_t)-256 for 10 bytes sent  -> element 2 has no size (overflows)
  request B: lengths[1] = 300 for 20 bytes sent            -> 20 elements sent, exactly 300 required
  request C: lengths NULL, element 0 without its NUL       -> no NUL within the 16 bytes sent
  request D: a valid call (the worker still serves)
Re-run after re-recording the OpenCL seeds (record_opencl_seeds.sh) or a change of this call's frame:

usage: make_opencl_source_seed.py SERVER_CPP SEEDS_DIR
  SERVER_CPP: the server generated from specs/opencl.reviewed.json (its handler table gives ids).
"""
import re
import struct
import sys

MAGIC = 0x41524D52  # "RMRA"


def function_ids(server_cpp):
    # kFunctions[]: one entry per function in id order, unsupported ones with a nullptr handler.
    table = open(server_cpp).read().split("kFunctions[] = {", 1)[1].split("};", 1)[0]
    names = re.findall(r'^\s*\{"(\w+)", (?:srv_\1|nullptr),', table, re.M)
    return {name: i for i, name in enumerate(names)}


def frames(data):
    at = 0
    while at + 24 <= len(data):
        header = struct.unpack("<6I", data[at:at + 24])
        if header[0] != MAGIC:
            break
        yield header, data[at:at + 24 + header[1]]
        at += 24 + header[1]


def call(fid, request, context, elements, lengths):
    """clCreateProgramWithSource(context, count, strings, lengths, errcode_ret) as the guest sends it:
    scalars, then strings (presence, count, each element: presence, byte count, bytes), lengths
    (presence, count, size_t each) and errcode_ret (presence, the program's 4 bytes)."""
    f = struct.pack("<QI", context, len(elements))
    f += b"\x01" + struct.pack("<Q", len(elements))
    for e in elements:
        f += b"\x01" + struct.pack("<Q", len(e)) + e
    if lengths is None:
        f += b"\x00"
    else:
        f += b"\x01" + struct.pack("<Q", len(lengths)) + struct.pack(f"<{len(lengths)}Q", *lengths)
    f += b"\x01" + struct.pack("<i", 0)
    return struct.pack("<6I", MAGIC, len(f), fid, request, 0, 0) + f


def main():
    server_cpp, seeds = sys.argv[1], sys.argv[2]
    fid = function_ids(server_cpp)["clCreateProgramWithSource"]
    prefix, context, request = b"", None, 0
    for header, raw in frames(open(f"{seeds}/ocl-14-multi-source.bin", "rb").read()):
        if header[2] == fid:
            context = struct.unpack("<Q", raw[24:32])[0]
            break
        prefix += raw
        request = header[3]
    if context is None:
        sys.exit("ocl-14-multi-source.bin has no clCreateProgramWithSource frame")
    define = b"#define SCALE 3\n"  # 16 bytes, no NUL
    helper = b"int scaled(int x) { return SCALE * x; }\n"
    kernel = b"__kernel void k(__global int *o) { o[0] = scaled(1); }\n"
    out = prefix
    out += call(fid, request + 1, context, [define, helper, kernel[:10]], [16, len(helper), (1 << 64) - 256])
    out += call(fid, request + 2, context, [define, helper[:20], kernel + b"\0"], [16, 300, 0])
    out += call(fid, request + 3, context, [define, helper + b"\0", kernel + b"\0"], None)
    out += call(fid, request + 4, context, [define, helper + b"\0", kernel], [16, 0, len(kernel)])
    with open(f"{seeds}/regression-program-source-lengths.bin", "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
