#!/usr/bin/env python3
"""Writes the fuzz target's regression seeds (tests/fuzz/seeds/toy/regression-*.bin) and
what each must be refused for (regression-*.want).

A regression seed is the request that once crashed the server, in the current frame format
(24-byte header + fields, as fuzz_server_requests.cpp reads them after its hello), so that
it still reaches the check that fixed it. Its .want starts with `exact`: run_server_fuzz.sh
replays the seed and fails unless the worker's rejections are exactly the lines after it
(a changed frame format or function table refuses it for another reason, or refuses the
valid requests beside it too): then run this again.

usage: make_regression_seeds.py SERVER_CPP OUT_DIR
  SERVER_CPP: the generated toy server (its handler table gives each function's id).
"""
import re
import struct
import sys

MAGIC = 0x41524D52  # "RMRA"


def frame(type_id, request, fields):
    return struct.pack("<6I", MAGIC, len(fields), type_id, request, 0, 0) + fields


def function_ids(server_cpp):
    names = re.findall(r'^\s*\{"(\w+)", srv_\1,', open(server_cpp).read(), re.M)
    return {name: i for i, name in enumerate(names)}


def null_sum(ids):
    # toySum(count, values, result): count u32, values presence (+ u64 count + elements),
    # result presence + the program's 8 bytes.
    def call(count, values):
        f = struct.pack("<I", count)
        f += b"\x00" if values is None else b"\x01" + struct.pack("<Q", len(values)) + struct.pack(f"<{len(values)}i", *values)
        return f + b"\x01" + struct.pack("<q", 0)
    s = ids["toySum"]
    # A valid sum, then 5 elements from NULL (the library read NULL before the fix: refused
    # with "cannot be NULL"), then NULL for 0 elements (the library's business, as natively):
    # request 2 alone is refused.
    seed = frame(s, 1, call(2, [1, 2])) + frame(s, 2, call(5, None)) + frame(s, 3, call(0, None))
    want = ["fuzz: request 2 rejected: toySum.values: NULL for 5 elements (the spec says it cannot be NULL)"]
    return seed, want


SEEDS = {"regression-null-sum": null_sum}


def main():
    server_cpp, out = sys.argv[1], sys.argv[2]
    ids = function_ids(server_cpp)
    for name, make in SEEDS.items():
        seed, want = make(ids)
        with open(f"{out}/{name}.bin", "wb") as f:
            f.write(seed)
        with open(f"{out}/{name}.want", "w") as f:
            f.write("exact\n" + "".join(line + "\n" for line in want))


if __name__ == "__main__":
    main()
