/* Strided vectors and matrices with a leading dimension, BLAS-style, invented
 * names: what the stride rules (inference/header/src/stride_rules.cpp) read. */
#ifndef STRIDED_DEMO_H
#define STRIDED_DEMO_H
typedef int idx_t;
enum demo_layout { DemoRowMajor = 101, DemoColMajor = 102 };

/* One dimension: each strided vector holds 1 + (n - 1) * |inc| elements. */
double demo_dot(idx_t n, const double *x, idx_t incx, const double *y, idx_t incy);
void demo_axpy(int count, double alpha, const float *X, int incX, float *Y, int incY);
/* Two dimensions: which one is x's length the prototype does not say. */
void demo_mv(enum demo_layout layout, int m, int n, const double *a, int lda, const double *x, int incx,
             double *y, int incy);
/* One dimension: the matrix is n x n. */
void demo_trsv(enum demo_layout layout, int n, const double *a, int lda, double *x, int incx);
/* A leading-dimension matrix with a one-letter family prefix, a packed array and
 * complex data passed as void *. */
void demo_copy(enum demo_layout layout, int crows, int ccols, const double *a, int clda, double *b, int cldb);
void demo_packed(int n, const double *ap, double *x, int incx);
void demo_caxpy(int n, const void *alpha, const void *x, int incx, void *y, int incy);
/* No stride anywhere: the lone-pointer rules still apply (one element each). */
void demo_rot(double *a, double *b, double *c, double *s);
#endif
