#!/usr/bin/env python3
"""Regenerates opencl.truth.json and cuda_runtime.truth.json from the
hand-written labels, taking parameter names and types from the real headers.
Usage: python3 tests/data/truth/build_truth.py   (needs /usr/lib/llvm-15/bin/clang
and the CUDA headers in /usr/local/cuda/include)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import truthlib  # noqa: E402
import opencl_labels  # noqa: E402
import cuda_runtime_labels  # noqa: E402


def main():
    cl = truthlib.header_declarations("#define CL_TARGET_OPENCL_VERSION 300\n#include <CL/cl.h>\n", "CL/cl.h", [])
    truthlib.build_spec(
        {"name": "OpenCL", "headers": ["CL/cl.h"], "include_dirs": [], "defines": ["CL_TARGET_OPENCL_VERSION=300"],
         "library": "libOpenCL.so.1", "sonames": ["libOpenCL.so.1", "libOpenCL.so"]},
        cl, opencl_labels.LABELS, opencl_labels.HANDLE_TYPES, opencl_labels.NULLABLE_HANDLES,
        opencl_labels.STATUS_TYPES, os.path.join(HERE, "opencl.truth.json"))
    cuda = truthlib.header_declarations("#include <cuda_runtime_api.h>\n", "cuda_runtime_api.h",
                                        ["-I/usr/local/cuda/include"])
    truthlib.build_spec(
        {"name": "CUDA runtime", "headers": ["cuda_runtime_api.h"], "include_dirs": ["/usr/local/cuda/include"],
         "defines": [], "library": "libcudart.so.13", "sonames": ["libcudart.so.13", "libcudart.so"]},
        cuda, cuda_runtime_labels.LABELS, cuda_runtime_labels.HANDLE_TYPES, cuda_runtime_labels.NULLABLE_HANDLES,
        cuda_runtime_labels.STATUS_TYPES, os.path.join(HERE, "cuda_runtime.truth.json"))


if __name__ == "__main__":
    main()
