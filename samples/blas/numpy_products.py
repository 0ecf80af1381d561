"""Matrix products with Debian's numpy, whose _multiarray_umath links libblas.so.3:
run natively and with the Remora guest standing in for libblas.so.3 (LD_LIBRARY_PATH),
the printed results must be identical. Exercises cblas_dgemm, cblas_sgemm (C- and
Fortran-ordered operands, transposed views), cblas_dgemv, cblas_ddot, cblas_sdot and
cblas_dsyrk (a @ a.T), then checks each against a product numpy computes without BLAS.
"""
import sys

import numpy as np


def blasless_matmul(a, b):
    # Sum of broadcast products: no BLAS call, the reference for every product below.
    return (a[:, :, None] * b[None, :, :]).sum(axis=1)


def report(name, got, want):
    ok = np.allclose(got, want, rtol=1e-5, atol=1e-6)
    print(f"{name:<36} shape={str(got.shape):<10} sum={float(np.sum(got)):.6f} "
          f"first={float(np.ravel(got)[0]):.6f} {'ok' if ok else 'MISMATCH'}")
    return ok


def main():
    ok = True
    a = (np.arange(96 * 80, dtype=np.float64).reshape(96, 80) % 13 - 6) / 4
    b = (np.arange(80 * 64, dtype=np.float64).reshape(80, 64) % 7 - 3) / 2
    ok &= report("dgemm C-order", a @ b, blasless_matmul(a, b))
    af = np.asfortranarray(a)
    ok &= report("dgemm Fortran-order A", af @ b, blasless_matmul(a, b))
    ok &= report("dgemm transposed view", b.T @ a.T, blasless_matmul(b.T, a.T))
    sub = a[::2, 3:40]  # a strided view: numpy copies or passes a leading dimension
    ok &= report("dgemm of a sliced view", sub @ b[3:40, :], blasless_matmul(sub, b[3:40, :]))
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    ok &= report("sgemm float32", a32 @ b32, blasless_matmul(a32, b32))
    x = np.linspace(-1, 1, 80)
    ok &= report("dgemv matrix @ vector", a @ x, (a * x[None, :]).sum(axis=1))
    ok &= report("dgemv vector @ matrix", x @ b, (x[:, None] * b).sum(axis=0))
    ok &= report("ddot vector . vector", np.array(np.dot(x, x)), np.array((x * x).sum()))
    x32 = x.astype(np.float32)
    ok &= report("sdot float32", np.array(np.dot(x32, x32)), np.array((x32 * x32).sum()))
    ok &= report("dsyrk a @ a.T", a @ a.T, blasless_matmul(a, a.T))
    print("PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
