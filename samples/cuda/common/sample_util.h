/* Small helpers shared by the CUDA runtime samples.
 *
 * The samples use only the CUDA runtime API (cuda_runtime_api.h) from plain
 * C, so they build with the host compiler, and run the same natively and
 * through a remoted libcudart. Kernels come as embedded PTX loaded with
 * cudaLibraryLoadData, so no nvcc is needed to build them. stdout carries only
 * deterministic results; diagnostics go to stderr.
 *
 * Exit codes: 0 correct, 1 wrong result or failed call, 77 no usable CUDA
 * device (CTest reports the test as skipped). */
#ifndef REMORA_SAMPLES_CUDA_SAMPLE_UTIL_H
#define REMORA_SAMPLES_CUDA_SAMPLE_UTIL_H

#include <cuda_runtime_api.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_SKIP 77

#define CHECK(call)                                                                  \
  do {                                                                               \
    cudaError_t check_err_ = (call);                                                 \
    if (check_err_ != cudaSuccess) {                                                 \
      fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", __FILE__, __LINE__, #call,      \
              cudaGetErrorName(check_err_), cudaGetErrorString(check_err_));         \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

#define EXPECT(cond, ...)                                                            \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);       \
      fprintf(stderr, __VA_ARGS__);                                                  \
      fprintf(stderr, "\n");                                                         \
      exit(1);                                                                       \
    }                                                                                \
  } while (0)

/* Selects device 0, or exits with SAMPLE_SKIP when there is no usable device
 * (no GPU, no driver, or a driver older than the runtime). */
static inline int sample_require_device(void) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    fprintf(stderr, "no usable CUDA device (%s): skipped\n",
            err == cudaSuccess ? "0 devices" : cudaGetErrorName(err));
    exit(SAMPLE_SKIP);
  }
  CHECK(cudaSetDevice(0));
  return count;
}

#endif
