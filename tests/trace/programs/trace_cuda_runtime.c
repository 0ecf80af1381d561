/* A CUDA runtime program for tracing a second API (runs without a GPU: the
 * calls then return errors, which are recorded like any other result). */
#include <cuda_runtime_api.h>
#include <stdio.h>

int main(void) {
  int n = -1;
  cudaError_t e = cudaGetDeviceCount(&n);
  printf("count %d err %d (%s)\n", n, (int)e, cudaGetErrorString(e));
  int version = 0;
  cudaRuntimeGetVersion(&version);
  printf("runtime %d\n", version);
  return 0;
}
