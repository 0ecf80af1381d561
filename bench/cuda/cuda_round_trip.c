/* The small-call round trip of the CUDA runtime: many cheap calls in a row, the
 * time per call printed in microseconds. Run natively and against a remoted
 * libcudart in the same script (scripts/cuda_gpu_check.sh), the ratio of the two
 * is the cost remoting adds to a call that does almost nothing.
 *
 *   cuda_round_trip [CALLS]      (default 10000)
 *
 * One line per call: "<call> <microseconds per call> <status of the last call>".
 * Without a device the calls still run (they fail with the driver's error,
 * natively and remoted alike) and the line says which status they gave. */
#include <cuda_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

#define MEASURE(name, calls, expr)                                             \
  do {                                                                         \
    cudaError_t last_ = cudaSuccess;                                           \
    last_ = (expr); /* the first call may initialise the runtime: not timed */ \
    double start_ = now_us();                                                  \
    for (int i_ = 0; i_ < (calls); ++i_) last_ = (expr);                       \
    double per_call_ = (now_us() - start_) / (calls);                          \
    printf("%s %.3f %s\n", (name), per_call_, cudaGetErrorName(last_));        \
  } while (0)

int main(int argc, char** argv) {
  int calls = argc > 1 ? atoi(argv[1]) : 10000;
  if (calls <= 0) {
    fprintf(stderr, "usage: cuda_round_trip [CALLS > 0]\n");
    return 2;
  }
  int device = -1, value = 0;
  MEASURE("cudaGetDevice", calls, cudaGetDevice(&device));
  MEASURE("cudaDeviceGetAttribute", calls,
          cudaDeviceGetAttribute(&value, cudaDevAttrMultiProcessorCount, 0));
  MEASURE("cudaStreamQuery(0)", calls, cudaStreamQuery(0));

  cudaEvent_t event = NULL;
  if (cudaEventCreate(&event) == cudaSuccess) {
    cudaEventRecord(event, 0);
    cudaEventSynchronize(event);
    MEASURE("cudaEventQuery", calls, cudaEventQuery(event));
    cudaEventDestroy(event);
  } else {
    printf("cudaEventQuery - %s\n", cudaGetErrorName(cudaGetLastError()));
  }

  /* A 4-byte copy each way: the smallest call that moves data. */
  int* d = NULL;
  int host = 42;
  if (cudaMalloc((void**)&d, sizeof host) == cudaSuccess) {
    MEASURE("cudaMemcpy(4B,H2D)", calls / 10 > 0 ? calls / 10 : 1,
            cudaMemcpy(d, &host, sizeof host, cudaMemcpyHostToDevice));
    MEASURE("cudaMemcpy(4B,D2H)", calls / 10 > 0 ? calls / 10 : 1,
            cudaMemcpy(&host, d, sizeof host, cudaMemcpyDeviceToHost));
    cudaFree(d);
  } else {
    printf("cudaMemcpy(4B) - %s\n", cudaGetErrorName(cudaGetLastError()));
  }
  return 0;
}
