// cuBLAS: Sgemm and Dgemm (with transposes, alpha and beta) against a CPU gemm,
// on a stream set with cublasSetStream. Matrices travel with cudaMemcpy (the
// cublasSetMatrix/GetMatrix helpers have no size the stack can infer yet). cuBLAS's statuses are
// checked by program_check.h's CHECK_BLAS, like every other call. The inputs are small
// integers so the products are exact in any summation order: the results must equal the CPU's.
#include <cublas_v2.h>

#include <vector>

#include "program_check.h"

// Column-major C = alpha * op(A) * op(B) + beta * C, as BLAS defines it.
template <typename T>
static void cpu_gemm(bool ta, bool tb, int m, int n, int k, T alpha, const T* a, int lda,
                     const T* b, int ldb, T beta, T* c, int ldc) {
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < m; ++i) {
      T s = 0;
      for (int p = 0; p < k; ++p)
        s += (ta ? a[p + i * lda] : a[i + p * lda]) * (tb ? b[j + p * ldb] : b[p + j * ldb]);
      c[i + j * ldc] = alpha * s + beta * c[i + j * ldc];
    }
}

template <typename T, typename Gemm>
static void check_gemm(const char* what, cublasHandle_t h, Gemm gemm, bool ta, bool tb) {
  const int m = 67, n = 45, k = 33;
  const int lda = ta ? k : m, ldb = tb ? n : k, ldc = m;
  const size_t asize = static_cast<size_t>(lda) * (ta ? m : k),
               bsize = static_cast<size_t>(ldb) * (tb ? k : n),
               csize = static_cast<size_t>(ldc) * n;
  std::vector<T> a(asize), b(bsize), c(csize), want(csize), got(csize);
  for (size_t i = 0; i < asize; ++i) a[i] = static_cast<T>(static_cast<int>(i * 7 % 13) - 6);
  for (size_t i = 0; i < bsize; ++i) b[i] = static_cast<T>(static_cast<int>(i * 5 % 11) - 5);
  for (size_t i = 0; i < csize; ++i) c[i] = static_cast<T>(static_cast<int>(i % 9) - 4);
  want = c;
  const T alpha = 2, beta = -1;
  cpu_gemm<T>(ta, tb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, want.data(), ldc);

  T *da = nullptr, *db = nullptr, *dc = nullptr;
  CHECK(cudaMalloc(&da, asize * sizeof(T)));
  CHECK(cudaMalloc(&db, bsize * sizeof(T)));
  CHECK(cudaMalloc(&dc, csize * sizeof(T)));
  CHECK(cudaMemcpy(da, a.data(), asize * sizeof(T), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(db, b.data(), bsize * sizeof(T), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dc, c.data(), csize * sizeof(T), cudaMemcpyHostToDevice));
  CHECK_BLAS(gemm(h, ta ? CUBLAS_OP_T : CUBLAS_OP_N, tb ? CUBLAS_OP_T : CUBLAS_OP_N, m, n, k,
                  &alpha, da, lda, db, ldb, &beta, dc, ldc));
  CHECK(cudaDeviceSynchronize());
  CHECK(cudaMemcpy(got.data(), dc, csize * sizeof(T), cudaMemcpyDeviceToHost));
  EXPECT_SAME(what, got.data(), want.data(), csize);
  print_checksum(what, got.data(), csize * sizeof(T));
  CHECK(cudaFree(da));
  CHECK(cudaFree(db));
  CHECK(cudaFree(dc));
}

int main() {
  use_first_device();
  cublasHandle_t h;
  CHECK_BLAS(cublasCreate(&h));
  int version = 0;
  CHECK_BLAS(cublasGetVersion(h, &version));
  std::printf("cuBLAS version: %s\n", version >= 130000 ? "13 or later" : "older");
  cudaStream_t s;
  CHECK(cudaStreamCreate(&s));
  CHECK_BLAS(cublasSetStream(h, s));
  CHECK_BLAS(cublasSetPointerMode(h, CUBLAS_POINTER_MODE_HOST));

  check_gemm<float>("Sgemm NN", h, cublasSgemm, false, false);
  check_gemm<float>("Sgemm TN", h, cublasSgemm, true, false);
  check_gemm<double>("Dgemm NN", h, cublasDgemm, false, false);
  check_gemm<double>("Dgemm NT", h, cublasDgemm, false, true);

  // A wrong argument is refused with a status, not a crash.
  float one = 1;
  cublasStatus_t bad = cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, -1, 1, 1, &one, nullptr, 1, nullptr,
                                   1, &one, nullptr, 1);
  std::printf("Sgemm with m = -1: %s\n", cublasGetStatusName(bad));
  EXPECT(bad != CUBLAS_STATUS_SUCCESS, "a negative dimension was accepted");

  CHECK_BLAS(cublasDestroy(h));
  CHECK(cudaStreamDestroy(s));
  std::printf("done\n");
  return 0;
}
