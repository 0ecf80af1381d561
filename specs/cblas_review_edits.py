# The human review of the inferred CBLAS spec, written down so it can be replayed on a
# re-inferred spec (python3 specs/cblas_review_edits.py specs/cblas.inferred.json
# specs/cblas.reviewed.json) and every edit is readable with its reason in one place.
#
# Inference (header only: cblas.h has no comments) sizes every strided vector whose
# length is the function's only dimension, and leaves the matrices (x, lda) and the
# vectors of multi-dimension calls without a size: those functions stay unsupported,
# with the reason, until a person writes the extent. This review writes it for the
# real-valued (s, d) GEMM, GEMV, GER and SYRK, from the CBLAS reference
# (netlib.org/blas/blast-forum/cinterface.pdf, Annex B; OpenBLAS interface/gemm.c).
#
# A matrix of `outer` rows (row-major) or columns (column-major), `inner` elements
# each, `ld` apart, spans (outer - 1) * ld + inner elements: not outer * ld, which
# would read past the end of a caller's exact allocation and, for an output, write
# past it. Whether M or K counts the stored rows depends on the layout and on the
# transpose flag: with layout row-major, an untransposed A (op(A) = A, M x K) has M
# rows; transposed (op(A) = A^T), its K rows are stored. CblasConjNoTrans is
# untransposed (OpenBLAS: transa = 0 for both), CblasConjTrans transposed; any other
# value makes the library reject the call before it reads memory.
import json
import sys

src, dst = sys.argv[1], sys.argv[2]
s = json.load(open(src))
fs = {f['name']: f for f in s['functions']}
REF = 'CBLAS reference (cinterface.pdf, Annex B) / OpenBLAS interface/'


def param(fn, name):
    for p in fs[fn]['params']:
        if p['name'] == name:
            return p
    raise KeyError(fn + '.' + name)


def edit_param(fn, name, why, **claims):
    p = param(fn, name)
    for k, v in claims.items():
        p[k] = v
    p['status'] = 'edited'
    p['confidence'] = 1.0
    p.setdefault('evidence', []).append(
        {"source": "human", "says": dict(claims), "weight": 1.0, "why": why})
    p.pop('conflicts', None)


def untransposed(flag):
    return f"{flag} == CblasNoTrans || {flag} == CblasConjNoTrans"


def span(outer, inner, ld):
    """Elements of `outer` rows/columns of `inner` elements, `ld` apart."""
    return f"{outer} > 0 ? ({outer} - 1) * {ld} + {inner} : 0"


def stored(order, flag, rows, cols, ld):
    """op(X) is rows x cols: which of the two counts the stored rows (row-major) or
    columns (column-major) depends on the layout and the transpose flag."""
    return (f"({order} == CblasRowMajor) == ({untransposed(flag)}) ? {span(rows, cols, ld)} : "
            f"{span(cols, rows, ld)}")


def general(order, rows, cols, ld):
    """An untransposed rows x cols matrix."""
    return f"{order} == CblasRowMajor ? {span(rows, cols, ld)} : {span(cols, rows, ld)}"


def strided(length, inc):
    n = f"({length})"
    return f"{n} > 0 ? 1 + ({n} - 1) * ({inc} < 0 ? -{inc} : {inc}) : 0"


def matrix(fn, name, size, why, direction='in'):
    edit_param(fn, name, why, kind='buffer', direction=direction, size=size, size_unit='elements')


for t in ('s', 'd'):
    # C := alpha * op(A) * op(B) + beta * C; op(A) is M x K, op(B) K x N, C M x N.
    fn = f'cblas_{t}gemm'
    matrix(fn, 'A', stored('Order', 'TransA', 'M', 'K', 'lda'),
           "op(A) is M x K: A stores M rows of K (row-major, untransposed) or K rows of M (transposed); "
           "column-major swaps the two; lda apart. " + REF + 'gemm.c')
    matrix(fn, 'B', stored('Order', 'TransB', 'K', 'N', 'ldb'),
           "op(B) is K x N, stored like A with ldb. " + REF + 'gemm.c')
    matrix(fn, 'C', general('Order', 'M', 'N', 'ldc'),
           "C is M x N, read (beta) and written: inout; the elements between rows (ldc > N) "
           "are the program's and come back unchanged. " + REF + 'gemm.c', direction='inout')

    # y := alpha * op(A) * x + beta * y; A is m x n.
    fn = f'cblas_{t}gemv'
    matrix(fn, 'a', general('order', 'm', 'n', 'lda'),
           "A is m x n whatever the transpose flag (it only says which product). " + REF + 'gemv.c')
    edit_param(fn, 'x', "x has n elements (untransposed) or m (transposed), incx apart. " + REF + 'gemv.c',
               kind='buffer', direction='in', size_unit='elements',
               size=strided(f"{untransposed('trans')} ? n : m", 'incx'))
    edit_param(fn, 'y', "y has m elements (untransposed) or n (transposed), incy apart; read (beta) and "
               "written: inout. " + REF + 'gemv.c', kind='buffer', direction='inout', size_unit='elements',
               size=strided(f"{untransposed('trans')} ? m : n", 'incy'))

    # A := alpha * x * y^T + A; A is M x N, x has M elements, y has N.
    fn = f'cblas_{t}ger'
    matrix(fn, 'A', general('order', 'M', 'N', 'lda'),
           "A is M x N, read and written: inout. " + REF + 'ger.c', direction='inout')
    edit_param(fn, 'X', "x has M elements, incX apart. " + REF + 'ger.c',
               kind='buffer', direction='in', size_unit='elements', size=strided('M', 'incX'))
    edit_param(fn, 'Y', "y has N elements, incY apart. " + REF + 'ger.c',
               kind='buffer', direction='in', size_unit='elements', size=strided('N', 'incY'))

    # C := alpha * op(A) * op(A)^T + beta * C; op(A) is N x K, C is N x N (one triangle used).
    fn = f'cblas_{t}syrk'
    matrix(fn, 'A', stored('Order', 'Trans', 'N', 'K', 'lda'),
           "op(A) is N x K (A * A^T) or A is K x N (A^T * A), lda apart. " + REF + 'syrk.c')
    matrix(fn, 'C', general('Order', 'N', 'N', 'ldc'),
           "C is N x N; only the Uplo triangle is read and written, the other comes back "
           "unchanged: inout. " + REF + 'syrk.c', direction='inout')

    # rotg: (a, b) -> (r, z) in place, c and s written: a and b are read first.
    fn = f'cblas_{t}rotg'
    for name in ('a', 'b'):
        edit_param(fn, name, "read (the vector (a, b) to rotate) and overwritten with r and z: inout, "
                   "not out (the server would start from uninitialised values). " + REF + 'rotg.c',
                   direction='inout', kind='element')


def unsupported(fn, why):
    f = fs[fn]
    f['supported'] = False
    f['unsupported_reason'] = why
    f['status'] = 'unsupported'
    f.setdefault('evidence', []).append({"source": "human", "says": {}, "weight": 1.0, "why": why})


for t in ('s', 'd'):
    unsupported(f'cblas_{t}rotmg', "d1, d2 and b1 are read and written and P is a 5-element output; "
                "inferred as single outputs: not reviewed, so not remoted")
for t in ('c', 'z'):
    unsupported(f'cblas_{t}rotg', "a, b and s are complex scalars passed as void *: their size is not in "
                "the prototype (inferred as raw addresses, which the server must never dereference)")
unsupported('openblas_setaffinity', "pins a thread of the server to CPUs: a guest has no say over the host's "
            "CPUs (and cpu_set is read, not written)")

# Unsupported until a person writes the sizes stays unsupported, with the generator's reason.
# A function whose every sizeless buffer now has a size is remoted.
for f in s['functions']:
    if not any(p.get('status') == 'edited' for p in f['params']):
        continue
    f['status'] = 'edited'
    if all(p.get('kind') != 'buffer' or p.get('size') for p in f['params']):
        f['supported'] = True
        f.pop('unsupported_reason', None)

json.dump(s, open(dst, 'w'), indent=2)
open(dst, 'a').write('\n')
