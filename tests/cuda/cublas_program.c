/* cuBLAS through a stack (issue 17): a handle, device matrices from the runtime API,
 * cublasSgemm with alpha/beta by host pointer (the default pointer mode), the result
 * copied back. Built with cc, linked with -lcublas -lcudart. On a GPU it prints C = A*B
 * and exits 0; without one cublasCreate and the runtime fail with the driver's errors,
 * natively and remoted alike. */
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <stdio.h>

static int failures;

static void blas(const char* what, cublasStatus_t s) {
  printf("%-20s %d %s\n", what, (int)s, cublasGetStatusString(s));
  if (s != CUBLAS_STATUS_SUCCESS) ++failures;
}

static void rt(const char* what, cudaError_t e) {
  printf("%-20s %d %s\n", what, (int)e, cudaGetErrorName(e));
  if (e != cudaSuccess) ++failures;
}

int main(void) {
  int major = -1, minor = -1, patch = -1;
  blas("cublasGetProperty", cublasGetProperty(MAJOR_VERSION, &major));
  cublasGetProperty(MINOR_VERSION, &minor);
  cublasGetProperty(PATCH_LEVEL, &patch);
  printf("  cuBLAS %d.%d.%d\n", major, minor, patch);
  cublasHandle_t handle = NULL;
  blas("cublasCreate", cublasCreate(&handle));
  int version = -1;
  blas("cublasGetVersion", cublasGetVersion(handle, &version));
  printf("  version %d\n", version);
  cublasPointerMode_t mode = CUBLAS_POINTER_MODE_DEVICE;
  blas("cublasGetPointerMode", cublasGetPointerMode(handle, &mode));
  printf("  pointer mode %d\n", (int)mode);

  /* Column-major 2x2: C = alpha * A * B + beta * C. */
  const float a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
  float c[4] = {1, 1, 1, 1};
  const float alpha = 1.0f, beta = 0.5f;
  float *da = NULL, *db = NULL, *dc = NULL;
  rt("cudaMalloc A", cudaMalloc((void**)&da, sizeof a));
  rt("cudaMalloc B", cudaMalloc((void**)&db, sizeof b));
  rt("cudaMalloc C", cudaMalloc((void**)&dc, sizeof c));
  rt("cudaMemcpy A", cudaMemcpy(da, a, sizeof a, cudaMemcpyHostToDevice));
  rt("cudaMemcpy B", cudaMemcpy(db, b, sizeof b, cudaMemcpyHostToDevice));
  rt("cudaMemcpy C", cudaMemcpy(dc, c, sizeof c, cudaMemcpyHostToDevice));
  blas("cublasSgemm",
       cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 2, 2, 2, &alpha, da, 2, db, 2, &beta, dc, 2));
  rt("cudaDeviceSynchronize", cudaDeviceSynchronize());
  rt("cudaMemcpy back", cudaMemcpy(c, dc, sizeof c, cudaMemcpyDeviceToHost));
  printf("  C = [%g %g; %g %g]\n", c[0], c[2], c[1], c[3]);
  cudaFree(da);
  cudaFree(db);
  cudaFree(dc);
  if (handle) blas("cublasDestroy", cublasDestroy(handle));
  printf("%d call(s) failed\n", failures);
  return failures ? 1 : 0;
}
