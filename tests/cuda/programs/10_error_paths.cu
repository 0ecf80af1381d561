// Calls that must fail, as programs make them by mistake: an invalid device, an
// impossible allocation, an invalid copy direction, a bad launch configuration,
// freeing what was never allocated, a null destination, a destroyed event, an
// event never recorded. Each error's name is printed (natively and remoted
// must agree on the exact error); each must be an error, and the device must
// still work afterwards.
#include "program_check.h"

__global__ void touch(int* p) {
  p[threadIdx.x] = threadIdx.x;
}

static int unexpected = 0;

static void must_fail(const char* what, cudaError_t e) {
  std::printf("%s: %s\n", what, cudaGetErrorName(e));
  if (e == cudaSuccess) {
    std::fprintf(stderr, "%s: succeeded, an error was expected\n", what);
    ++unexpected;
  }
}

int main() {
  int count = 0;
  CHECK(cudaGetDeviceCount(&count));
  EXPECT(count > 0, "no CUDA device");
  CHECK(cudaSetDevice(0));

  must_fail("cudaSetDevice(device count)", cudaSetDevice(count));
  must_fail("cudaGetDeviceProperties(-1)", [] {
    cudaDeviceProp p;
    return cudaGetDeviceProperties(&p, -1);
  }());
  void* huge = nullptr;
  must_fail("cudaMalloc(1 << 62)", cudaMalloc(&huge, size_t(1) << 62));
  std::printf("last error after the failed allocation: %s\n", cudaGetErrorName(cudaGetLastError()));
  std::printf("last error again (reset): %s\n", cudaGetErrorName(cudaGetLastError()));

  int* d = nullptr;
  CHECK(cudaMalloc(&d, 64 * sizeof(int)));
  int host[64] = {};
  must_fail("cudaMemcpy with kind 99",
            cudaMemcpy(d, host, sizeof host, static_cast<cudaMemcpyKind>(99)));
  cudaGetLastError();
  must_fail("cudaMemcpy to a null device pointer",
            cudaMemcpy(nullptr, host, sizeof host, cudaMemcpyHostToDevice));
  cudaGetLastError();
  must_fail("cudaMemset of a null pointer", cudaMemset(nullptr, 0, 16));
  cudaGetLastError();
  must_fail("cudaFree of a host address", cudaFree(host));
  cudaGetLastError();

  touch<<<1, 4096>>>(d);  // more threads per block than any device allows
  cudaError_t launch = cudaGetLastError();
  must_fail("launch with 4096 threads per block", launch);
  std::printf("last error after it was read: %s\n", cudaGetErrorName(cudaGetLastError()));
  touch<<<dim3(1, 1, 1 << 20), 1>>>(d);  // a grid z beyond the limit
  must_fail("launch with a grid z of 2^20", cudaGetLastError());

  cudaEvent_t never, gone;
  CHECK(cudaEventCreate(&never));
  CHECK(cudaEventCreate(&gone));
  float ms = 0;
  CHECK(cudaEventRecord(gone, 0));
  CHECK(cudaEventSynchronize(gone));
  must_fail("cudaEventElapsedTime of an event never recorded",
            cudaEventElapsedTime(&ms, never, gone));
  cudaGetLastError();

  cudaStream_t s;
  CHECK(cudaStreamCreate(&s));
  must_fail("cudaStreamCreateWithFlags(flags 0x80)", [] {
    cudaStream_t t;
    return cudaStreamCreateWithFlags(&t, 0x80);
  }());
  cudaGetLastError();
  must_fail("cudaDeviceSetLimit of an unknown limit",
            cudaDeviceSetLimit(static_cast<cudaLimit>(0x7777), 1));
  cudaGetLastError();
  std::printf("cudaGetErrorName(12345): %s\n", cudaGetErrorName(static_cast<cudaError_t>(12345)));

  // The device still works after all of that.
  touch<<<1, 64, 0, s>>>(d);
  CHECK(cudaGetLastError());
  CHECK(cudaStreamSynchronize(s));
  CHECK(cudaMemcpy(host, d, sizeof host, cudaMemcpyDeviceToHost));
  int want[64];
  for (int i = 0; i < 64; ++i) want[i] = i;
  EXPECT_SAME("a launch after the errors", host, want, 64);

  CHECK(cudaEventDestroy(never));
  CHECK(cudaEventDestroy(gone));
  CHECK(cudaStreamDestroy(s));
  CHECK(cudaFree(d));
  std::printf("unexpected successes: %d\n", unexpected);
  return unexpected ? 1 : 0;
}
