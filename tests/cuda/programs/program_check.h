// Helpers shared by the CUDA test programs (tests/cuda/programs/*.cu).
//
// The programs are built by nvcc with `-cudart shared`, so the same binary runs
// natively and against the generated guest libcudart (LD_LIBRARY_PATH). Their
// stdout carries only deterministic results (checksums, counts, "ok"), never
// timings or addresses, so the native and the remoted run can be compared byte
// for byte; each also checks its results against a CPU reference it computes
// itself, so a GPU run needs no stored expected output.
//
// Like real programs they check every CUDA return code: a failed call prints its
// error name and string to stderr and exits 1 (without a GPU: at the first call,
// with the driver's error, natively and remoted alike).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#define CHECK(call)                                                                                \
  do {                                                                                             \
    cudaError_t check_err_ = (call);                                                               \
    if (check_err_ != cudaSuccess) {                                                               \
      std::fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", program_file(__FILE__), __LINE__, #call, \
                   cudaGetErrorName(check_err_), cudaGetErrorString(check_err_));                  \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)

// A launch reports configuration errors through cudaGetLastError and execution
// errors at the next synchronisation: check both, as careful programs do.
#define CHECK_LAUNCH()              \
  do {                              \
    CHECK(cudaGetLastError());      \
    CHECK(cudaDeviceSynchronize()); \
  } while (0)

#define EXPECT(cond, ...)                                                                         \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "%s:%d: check failed: %s: ", program_file(__FILE__), __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                          \
      std::fprintf(stderr, "\n");                                                                 \
      std::exit(1);                                                                               \
    }                                                                                             \
  } while (0)

// The source's file name without its folder: messages stay the same wherever the
// tree is checked out.
inline const char* program_file(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

// FNV-1a over bytes: a checksum printed for results, equal natively and remoted
// when every byte is.
inline uint64_t checksum(const void* data, size_t size) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

inline void print_checksum(const char* what, const void* data, size_t size) {
  std::printf("%s: checksum %016llx (%zu bytes)\n", what,
              static_cast<unsigned long long>(checksum(data, size)), size);
}

// Index of the first element differing from the reference, or -1.
template <typename T>
long first_mismatch(const T* got, const T* want, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!(got[i] == want[i])) return static_cast<long>(i);
  return -1;
}

#define EXPECT_SAME(what, got, want, n)                                                        \
  do {                                                                                         \
    long bad_ = first_mismatch((got), (want), (n));                                            \
    EXPECT(bad_ < 0, "%s: element %ld differs from the CPU reference", (what), bad_);          \
    std::printf("%s: %zu elements match the CPU reference\n", (what), static_cast<size_t>(n)); \
  } while (0)

// Device 0, after checking that one exists (the first call of every program).
inline void use_first_device() {
  int count = 0;
  CHECK(cudaGetDeviceCount(&count));
  EXPECT(count > 0, "no CUDA device");
  CHECK(cudaSetDevice(0));
}

// cuBLAS statuses, checked the same way (for programs that include cublas_v2.h first).
#if defined(CUBLAS_API_H_)
#define CHECK_BLAS(call)                                                                           \
  do {                                                                                             \
    cublasStatus_t blas_status_ = (call);                                                          \
    if (blas_status_ != CUBLAS_STATUS_SUCCESS) {                                                   \
      std::fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", program_file(__FILE__), __LINE__, #call, \
                   cublasGetStatusName(blas_status_), cublasGetStatusString(blas_status_));        \
      std::exit(1);                                                                                \
    }                                                                                              \
  } while (0)
#endif
