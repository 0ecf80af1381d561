/* CBLAS through whatever libblas.so.3 the loader finds (the system OpenBLAS, or
 * the Remora guest standing in for it): level 1, 2 and 3 calls with row- and
 * column-major layouts, transposes, negative strides and leading dimensions
 * larger than the matrix. Each result is checked against a plain C loop and
 * printed, so the native and remoted runs can be compared line by line.
 * Padding between rows/columns and past the matrices holds a sentinel that
 * must survive every call: a stack that copies more than the library touches
 * (or less than it reads) shows up here. Exit status 0 when every check passed. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SENTINEL (-777.0)
static int failures = 0;

static void check(const char* what, double got, double want) {
  int ok = fabs(got - want) <= 1e-9 * (1.0 + fabs(want));
  printf("%-44s %14.6f %s\n", what, got, ok ? "ok" : "MISMATCH");
  if (!ok) {
    printf("  expected %.6f\n", want);
    ++failures;
  }
}

/* Element (r, c) of a matrix stored with leading dimension ld in a layout. */
static size_t at(CBLAS_ORDER order, int r, int c, int ld) {
  return order == CblasRowMajor ? (size_t)r * ld + c : (size_t)c * ld + r;
}

static void fill(double* p, int n, double seed) {
  for (int i = 0; i < n; ++i) p[i] = seed + 0.25 * (i % 7) - 0.5 * (i % 3);
}

static double checksum(const double* p, int n) {
  double s = 0;
  for (int i = 0; i < n; ++i) s += p[i] * (1 + i % 5);
  return s;
}

/* C = alpha * op(A) * op(B) + beta * C, all four layout/transpose combinations. */
static void gemm_case(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb) {
  enum { M = 5, N = 4, K = 3, PAD = 3 };
  /* op(A) is M x K: stored as M x K (no transpose) or K x M (transposed). */
  int arows = ta == CblasNoTrans ? M : K, acols = ta == CblasNoTrans ? K : M;
  int brows = tb == CblasNoTrans ? K : N, bcols = tb == CblasNoTrans ? N : K;
  int lda = (order == CblasRowMajor ? acols : arows) + PAD;
  int ldb = (order == CblasRowMajor ? bcols : brows) + PAD;
  int ldc = (order == CblasRowMajor ? N : M) + PAD;
  double a[64], b[64], c[64], want[64];
  for (int i = 0; i < 64; ++i) a[i] = b[i] = c[i] = SENTINEL;
  for (int r = 0; r < arows; ++r)
    for (int k = 0; k < acols; ++k) a[at(order, r, k, lda)] = 0.5 * r - 0.25 * k + 1;
  for (int r = 0; r < brows; ++r)
    for (int k = 0; k < bcols; ++k) b[at(order, r, k, ldb)] = 0.125 * (r + 1) * (k + 2);
  for (int r = 0; r < M; ++r)
    for (int k = 0; k < N; ++k) c[at(order, r, k, ldc)] = r - k;
  memcpy(want, c, sizeof c);
  double alpha = 1.5, beta = -0.5;
  for (int r = 0; r < M; ++r)
    for (int k = 0; k < N; ++k) {
      double s = 0;
      for (int x = 0; x < K; ++x) {
        double av = ta == CblasNoTrans ? a[at(order, r, x, lda)] : a[at(order, x, r, lda)];
        double bv = tb == CblasNoTrans ? b[at(order, x, k, ldb)] : b[at(order, k, x, ldb)];
        s += av * bv;
      }
      want[at(order, r, k, ldc)] = alpha * s + beta * want[at(order, r, k, ldc)];
    }
  cblas_dgemm(order, ta, tb, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc);
  char what[64];
  snprintf(what, sizeof what, "dgemm %s %c%c", order == CblasRowMajor ? "row" : "col",
           ta == CblasNoTrans ? 'N' : 'T', tb == CblasNoTrans ? 'N' : 'T');
  check(what, checksum(c, 64), checksum(want, 64));

  /* The same product in single precision. */
  float af[64], bf[64], cf[64];
  for (int i = 0; i < 64; ++i) af[i] = (float)a[i], bf[i] = (float)b[i], cf[i] = 0;
  cblas_sgemm(order, ta, tb, M, N, K, 1.0f, af, lda, bf, ldb, 0.0f, cf, ldc);
  double s = 0;
  for (int r = 0; r < M; ++r)
    for (int k = 0; k < N; ++k) s += cf[at(order, r, k, ldc)] * (1 + r + 2 * k);
  double w = 0;
  for (int r = 0; r < M; ++r)
    for (int k = 0; k < N; ++k)
      w += (want[at(order, r, k, ldc)] + 0.5 * (r - k)) / 1.5 * (1 + r + 2 * k);
  snprintf(what, sizeof what, "sgemm %s %c%c", order == CblasRowMajor ? "row" : "col",
           ta == CblasNoTrans ? 'N' : 'T', tb == CblasNoTrans ? 'N' : 'T');
  printf("%-44s %14.3f %s\n", what, s, fabs(s - w) < 1e-3 * (1 + fabs(w)) ? "ok" : "MISMATCH");
  if (fabs(s - w) >= 1e-3 * (1 + fabs(w))) ++failures;
}

/* y = alpha * op(A) * x + beta * y with strides 2 and -1. */
static void gemv_case(CBLAS_ORDER order, CBLAS_TRANSPOSE t) {
  enum { M = 4, N = 6, PAD = 2 };
  int lda = (order == CblasRowMajor ? N : M) + PAD;
  int xlen = t == CblasNoTrans ? N : M, ylen = t == CblasNoTrans ? M : N;
  double a[64], x[32], y[32], want[32];
  for (int i = 0; i < 64; ++i) a[i] = SENTINEL;
  for (int r = 0; r < M; ++r)
    for (int c = 0; c < N; ++c) a[at(order, r, c, lda)] = r + 0.5 * c - 1;
  for (int i = 0; i < 32; ++i) x[i] = y[i] = SENTINEL;
  for (int i = 0; i < xlen; ++i) x[2 * i] = 1 + 0.5 * i;   /* incx = 2 */
  for (int i = 0; i < ylen; ++i) y[i] = i - 2;              /* incy = -1: y[ylen-1-i] is element i */
  memcpy(want, y, sizeof y);
  for (int i = 0; i < ylen; ++i) {
    double s = 0;
    for (int j = 0; j < xlen; ++j)
      s += (t == CblasNoTrans ? a[at(order, i, j, lda)] : a[at(order, j, i, lda)]) * x[2 * j];
    want[ylen - 1 - i] = 2.0 * s + 0.5 * y[ylen - 1 - i];
  }
  cblas_dgemv(order, t, M, N, 2.0, a, lda, x, 2, 0.5, y, -1);
  char what[64];
  snprintf(what, sizeof what, "dgemv %s %c (incx 2, incy -1)", order == CblasRowMajor ? "row" : "col",
           t == CblasNoTrans ? 'N' : 'T');
  check(what, checksum(y, 32), checksum(want, 32));
}

/* C = alpha * A * A^T + beta * C (upper triangle), what numpy uses for a @ a.T. */
static void syrk_case(CBLAS_ORDER order) {
  enum { N = 4, K = 3, PAD = 1 };
  int lda = (order == CblasRowMajor ? K : N) + PAD, ldc = N + PAD;
  double a[32], c[32], want[32];
  for (int i = 0; i < 32; ++i) a[i] = c[i] = SENTINEL;
  for (int r = 0; r < N; ++r)
    for (int k = 0; k < K; ++k) a[at(order, r, k, lda)] = r * 0.5 + k;
  for (int r = 0; r < N; ++r)
    for (int k = 0; k < N; ++k) c[at(order, r, k, ldc)] = 1;
  memcpy(want, c, sizeof c);
  for (int r = 0; r < N; ++r)
    for (int k = r; k < N; ++k) {
      double s = 0;
      for (int x = 0; x < K; ++x) s += a[at(order, r, x, lda)] * a[at(order, k, x, lda)];
      want[at(order, r, k, ldc)] = s + 2.0;
    }
  cblas_dsyrk(order, CblasUpper, CblasNoTrans, N, K, 1.0, a, lda, 2.0, c, ldc);
  check(order == CblasRowMajor ? "dsyrk row upper N" : "dsyrk col upper N", checksum(c, 32), checksum(want, 32));
}

/* Square matrices (one dimension): x := A^-1 x (triangular solve), y := A x + y (symmetric). */
static void square_cases(CBLAS_ORDER order) {
  enum { N = 4, LDA = 6 };
  double a[N * LDA], x[8], y[8], want[8];
  for (int i = 0; i < N * LDA; ++i) a[i] = SENTINEL;
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) a[at(order, r, c, LDA)] = r == c ? 2.0 + r : (r < c ? 0.5 * (c - r) : -1.0);
  /* Lower triangle (unit -1 below the diagonal): solve L x = b by forward substitution. */
  for (int i = 0; i < 8; ++i) x[i] = want[i] = SENTINEL;
  for (int i = 0; i < N; ++i) x[2 * i] = 1.0 + i;
  for (int i = 0; i < N; ++i) {
    double s = x[2 * i];
    for (int j = 0; j < i; ++j) s -= a[at(order, i, j, LDA)] * want[2 * j];
    want[2 * i] = s / a[at(order, i, i, LDA)];
  }
  cblas_dtrsv(order, CblasLower, CblasNoTrans, CblasNonUnit, N, a, LDA, x, 2);
  check(order == CblasRowMajor ? "dtrsv row lower (incx 2)" : "dtrsv col lower (incx 2)", checksum(x, 8),
        checksum(want, 8));
  /* Symmetric from the upper triangle. */
  for (int i = 0; i < 8; ++i) y[i] = 0.5 * i, x[i] = 1.0 - 0.25 * i;
  memcpy(want, y, sizeof y);
  for (int i = 0; i < N; ++i) {
    double s = 0;
    for (int j = 0; j < N; ++j) s += (i <= j ? a[at(order, i, j, LDA)] : a[at(order, j, i, LDA)]) * x[j];
    want[i] = 3.0 * s + want[i];
  }
  cblas_dsymv(order, CblasUpper, N, 3.0, a, LDA, x, 1, 1.0, y, 1);
  check(order == CblasRowMajor ? "dsymv row upper" : "dsymv col upper", checksum(y, 8), checksum(want, 8));
}

static void level1(void) {
  double x[16], y[16], want[16];
  fill(x, 16, 1.0);
  fill(y, 16, -2.0);
  double dot = 0;
  for (int i = 0; i < 5; ++i) dot += x[3 * i] * y[15 - 2 * i];  /* incy = -2 starts at the far end */
  check("ddot n=5 incx 3 incy -2", cblas_ddot(5, x, 3, y + 7, -2), dot);
  float xf[8], yf[8];
  double fdot = 0;
  for (int i = 0; i < 8; ++i) xf[i] = (float)(i + 1) * 0.5f, yf[i] = (float)(8 - i), fdot += (double)xf[i] * yf[i];
  check("sdot n=8", cblas_sdot(8, xf, 1, yf, 1), fdot);
  memcpy(want, y, sizeof y);
  for (int i = 0; i < 6; ++i) want[2 * i] += 0.75 * x[i];
  cblas_daxpy(6, 0.75, x, 1, y, 2);
  check("daxpy n=6 incy 2", checksum(y, 16), checksum(want, 16));
  double n2 = 0;
  for (int i = 0; i < 4; ++i) n2 += x[4 * i] * x[4 * i];
  check("dnrm2 n=4 incx 4", cblas_dnrm2(4, x, 4), sqrt(n2));
  double as = 0;
  for (int i = 0; i < 16; ++i) as += fabs(y[i]);
  check("dasum n=16", cblas_dasum(16, y, 1), as);
  size_t best = 0;
  for (int i = 1; i < 16; ++i)
    if (fabs(y[i]) > fabs(y[best])) best = (size_t)i;
  check("idamax n=16", (double)cblas_idamax(16, y, 1), (double)best);
  memcpy(want, x, sizeof x);
  for (int i = 0; i < 8; ++i) want[2 * i] *= -3;
  cblas_dscal(8, -3.0, x, 2);
  check("dscal n=8 incx 2", checksum(x, 16), checksum(want, 16));
  double z[16];
  for (int i = 0; i < 16; ++i) z[i] = SENTINEL;
  cblas_dcopy(5, y, 3, z, 1);
  for (int i = 0; i < 16; ++i) want[i] = i < 5 ? y[3 * i] : SENTINEL;
  check("dcopy n=5 incx 3", checksum(z, 16), checksum(want, 16));
}

int main(void) {
  level1();
  const CBLAS_ORDER orders[] = {CblasRowMajor, CblasColMajor};
  const CBLAS_TRANSPOSE trans[] = {CblasNoTrans, CblasTrans};
  for (int o = 0; o < 2; ++o) {
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b) gemm_case(orders[o], trans[a], trans[b]);
    for (int t = 0; t < 2; ++t) gemv_case(orders[o], trans[t]);
    syrk_case(orders[o]);
    square_cases(orders[o]);
  }
  printf("%s: %d failure(s)\n", failures ? "FAILED" : "PASSED", failures);
  return failures ? 1 : 0;
}
