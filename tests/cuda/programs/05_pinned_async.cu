// Page-locked host memory: cudaMallocHost, cudaHostAlloc and cudaHostRegister
// of ordinary memory, and chunked cudaMemcpyAsync through two streams (copies
// overlapping kernels), checked against the CPU.
//
// Remoted, pinned memory is the program's own memory, answered in the guest
// (codegen/runtime/remora_cuda_host_memory.cpp): the async copies from and to it
// carry its bytes like pageable copies, so the results are the same as natively.
#include <vector>

#include "program_check.h"

__global__ void square_plus(double* v, int n, double c) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] = v[i] * v[i] + c;
}

int main() {
  use_first_device();
  const int n = 1 << 20, chunks = 8, chunk = n / chunks;
  const size_t bytes = n * sizeof(double);
  double *pinned = nullptr, *portable = nullptr, *dev = nullptr;
  CHECK(cudaMallocHost(&pinned, bytes));
  CHECK(cudaHostAlloc(&portable, bytes, cudaHostAllocPortable));
  CHECK(cudaMalloc(&dev, bytes));
  unsigned int flags = 0;
  CHECK(cudaHostGetFlags(&flags, portable));
  std::printf("cudaHostAlloc flags include portable: %s\n",
              flags & cudaHostAllocPortable ? "yes" : "no");

  for (int i = 0; i < n; ++i) pinned[i] = (i % 977) * 0.5;
  cudaStream_t s[2];
  CHECK(cudaStreamCreate(&s[0]));
  CHECK(cudaStreamCreate(&s[1]));
  for (int c = 0; c < chunks; ++c) {
    cudaStream_t st = s[c % 2];
    size_t at = static_cast<size_t>(c) * chunk;
    CHECK(
        cudaMemcpyAsync(dev + at, pinned + at, chunk * sizeof(double), cudaMemcpyHostToDevice, st));
    square_plus<<<(chunk + 255) / 256, 256, 0, st>>>(dev + at, chunk, c);
    CHECK(cudaGetLastError());
    CHECK(cudaMemcpyAsync(portable + at, dev + at, chunk * sizeof(double), cudaMemcpyDeviceToHost,
                          st));
  }
  CHECK(cudaStreamSynchronize(s[0]));
  CHECK(cudaStreamSynchronize(s[1]));
  std::vector<double> want(n);
  for (int i = 0; i < n; ++i) want[i] = pinned[i] * pinned[i] + i / chunk;
  EXPECT_SAME("pinned chunks through two streams", portable, want.data(), n);
  print_checksum("pinned result", portable, bytes);

  // Ordinary memory made page-locked in place.
  std::vector<double> mine(n, 0.0);
  CHECK(cudaHostRegister(mine.data(), bytes, cudaHostRegisterDefault));
  CHECK(cudaMemcpyAsync(mine.data(), dev, bytes, cudaMemcpyDeviceToHost, s[0]));
  CHECK(cudaStreamSynchronize(s[0]));
  EXPECT_SAME("registered host memory", mine.data(), want.data(), n);
  CHECK(cudaHostUnregister(mine.data()));

  CHECK(cudaStreamDestroy(s[0]));
  CHECK(cudaStreamDestroy(s[1]));
  CHECK(cudaFreeHost(pinned));
  CHECK(cudaFreeHost(portable));
  CHECK(cudaFree(dev));
  std::printf("done\n");
  return 0;
}
