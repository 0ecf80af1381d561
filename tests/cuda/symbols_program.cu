// The symbol API through the stack (cudaMemcpyToSymbol/FromSymbol, cudaGetSymbolAddress,
// cudaGetSymbolSize): the program names each variable by its host shadow's address,
// which the guest translates to (fat binary, name) for the server
// (codegen/runtime/remora_cuda_symbols.cpp). Prints each status (and values that do
// not depend on the process), so a native and a remoted run compare line by line:
// without a GPU both get the runtime's initialisation error from each call (remoted:
// the server's load of the shipped fat binary fails the same way), on a GPU the same
// values.
#include <cuda_runtime_api.h>

#include <cstdio>

__device__ int counter;
__constant__ float coefficients[4];

__global__ void bump(float* out) {
  atomicAdd(&counter, 1);
  out[threadIdx.x] = coefficients[threadIdx.x];
}

int main() {
  const float c[4] = {1.5f, -2.0f, 3.25f, 4.0f};
  std::printf("cudaMemcpyToSymbol: %d\n",
              static_cast<int>(cudaMemcpyToSymbol(coefficients, c, sizeof c)));
  int v = 7;
  std::printf("cudaMemcpyToSymbol(counter): %d\n",
              static_cast<int>(cudaMemcpyToSymbol(counter, &v, sizeof v)));
  v = -1;
  std::printf("cudaMemcpyFromSymbol: %d, value %d\n",
              static_cast<int>(cudaMemcpyFromSymbol(&v, counter, sizeof v)), v);
  void* address = nullptr;
  cudaError_t e = cudaGetSymbolAddress(&address, counter);
  std::printf("cudaGetSymbolAddress: %d, %s\n", static_cast<int>(e),
              address ? "an address" : "none");
  size_t size = 0;
  std::printf("cudaGetSymbolSize: %d, %zu bytes\n",
              static_cast<int>(cudaGetSymbolSize(&size, coefficients)), size);
  // Past the variable's end: refused (natively the runtime's own check).
  std::printf("cudaMemcpyToSymbol past the end: %d\n",
              static_cast<int>(cudaMemcpyToSymbol(coefficients, c, sizeof c, 8)));
  return 0;
}
