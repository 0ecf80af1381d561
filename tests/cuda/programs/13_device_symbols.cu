// Device variables and constant memory: cudaMemcpyToSymbol / FromSymbol with
// the host address of a __device__ or __constant__ variable, cudaGetSymbolAddress
// and cudaGetSymbolSize, and kernels reading them.
//
// Remoted, the guest translates each variable's host address to (fat binary, name)
// and the server resolves it in the library the kernels come from
// (codegen/runtime/remora_cuda_symbols.cpp): the same results as natively.
#include "program_check.h"

__constant__ float coefficients[16];
__device__ int counter;
__device__ int table[256];

__global__ void apply(const float* in, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    out[i] = in[i] * coefficients[i % 16];
    atomicAdd(&counter, 1);
    table[i % 256] = i;
  }
}

int main() {
  use_first_device();
  float c[16];
  for (int i = 0; i < 16; ++i) c[i] = static_cast<float>(i) - 7.5f;
  CHECK(cudaMemcpyToSymbol(coefficients, c, sizeof c));
  int zero = 0;
  CHECK(cudaMemcpyToSymbol(counter, &zero, sizeof zero));
  size_t size = 0;
  CHECK(cudaGetSymbolSize(&size, table));
  std::printf("table: %zu bytes\n", size);
  int* table_ptr = nullptr;
  CHECK(cudaGetSymbolAddress(reinterpret_cast<void**>(&table_ptr), table));
  CHECK(cudaMemset(table_ptr, 0xff, size));

  const int n = 1000;
  float in[n], out[n], want[n];
  for (int i = 0; i < n; ++i) in[i] = static_cast<float>(i % 50);
  float *din = nullptr, *dout = nullptr;
  CHECK(cudaMalloc(&din, sizeof in));
  CHECK(cudaMalloc(&dout, sizeof out));
  CHECK(cudaMemcpy(din, in, sizeof in, cudaMemcpyHostToDevice));
  apply<<<(n + 127) / 128, 128>>>(din, dout, n);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(out, dout, sizeof out, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) want[i] = in[i] * c[i % 16];
  EXPECT_SAME("constant memory", out, want, n);

  int count = 0;
  CHECK(cudaMemcpyFromSymbol(&count, counter, sizeof count));
  std::printf("counter: %d\n", count);
  EXPECT(count == n, "counter %d, want %d", count, n);
  int t[256];
  CHECK(cudaMemcpyFromSymbol(t, table, sizeof t));
  // Several threads write each element: which one wins is not defined, its residue is.
  for (int i = 0; i < 256; ++i) EXPECT(t[i] % 256 == i, "table[%d] = %d", i, t[i]);
  std::printf("table: every element written by a thread of its residue\n");

  CHECK(cudaFree(din));
  CHECK(cudaFree(dout));
  std::printf("done\n");
  return 0;
}
