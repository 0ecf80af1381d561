// cudaMemcpyDefault, which many programs use on unified-addressing systems: the
// runtime tells host from device memory by the pointers. Host to device, device
// to device, device to host, host to host, and cudaMemcpyAsync with the default
// kind, each checked against the CPU.
//
// Remoted, the pointers' kind is what decides what must travel, and nothing in
// the call says it: a `kind` no `when` clause of the spec matches is refused
// (cudaErrorNotSupported and a reason), never passed with a host address of the
// program (codegen/README.md, "Limits of the CUDA stack"): this program shows
// the refusal on a GPU.
#include <vector>

#include "program_check.h"

__global__ void negate(int* v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] = -v[i];
}

int main() {
  use_first_device();
  int unified = 0;
  CHECK(cudaDeviceGetAttribute(&unified, cudaDevAttrUnifiedAddressing, 0));
  std::printf("unified addressing: %d\n", unified);
  EXPECT(unified, "cudaMemcpyDefault needs unified addressing");

  const int n = 1 << 14;
  const size_t bytes = n * sizeof(int);
  std::vector<int> host(n), back(n, 0), want(n);
  for (int i = 0; i < n; ++i) host[i] = i * 3 - 7000;
  int *a = nullptr, *b = nullptr;
  CHECK(cudaMalloc(&a, bytes));
  CHECK(cudaMalloc(&b, bytes));

  CHECK(cudaMemcpy(a, host.data(), bytes, cudaMemcpyDefault));  // host to device
  CHECK(cudaMemcpy(b, a, bytes, cudaMemcpyDefault));            // device to device
  negate<<<(n + 255) / 256, 256>>>(b, n);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(back.data(), b, bytes, cudaMemcpyDefault));  // device to host
  for (int i = 0; i < n; ++i) want[i] = -host[i];
  EXPECT_SAME("cudaMemcpyDefault H2D, D2D, kernel, D2H", back.data(), want.data(), n);
  print_checksum("result", back.data(), bytes);

  std::vector<int> copy(n, 0);
  CHECK(cudaMemcpy(copy.data(), host.data(), bytes, cudaMemcpyDefault));  // host to host
  EXPECT_SAME("cudaMemcpyDefault H2H", copy.data(), host.data(), n);

  cudaStream_t s;
  CHECK(cudaStreamCreate(&s));
  std::vector<int> async_back(n, 0);
  CHECK(cudaMemcpyAsync(a, want.data(), bytes, cudaMemcpyDefault, s));
  negate<<<(n + 255) / 256, 256, 0, s>>>(a, n);
  CHECK(cudaGetLastError());
  CHECK(cudaMemcpyAsync(async_back.data(), a, bytes, cudaMemcpyDefault, s));
  CHECK(cudaStreamSynchronize(s));
  EXPECT_SAME("cudaMemcpyAsync with cudaMemcpyDefault", async_back.data(), host.data(), n);

  CHECK(cudaStreamDestroy(s));
  CHECK(cudaFree(a));
  CHECK(cudaFree(b));
  std::printf("done\n");
  return 0;
}
