// A program built with `nvcc -cudart shared` that goes through every path of the
// CUDA runtime module: nvcc's registration of its fat binary and kernels, `<<<>>>`
// launches (__cudaPushCallConfiguration / __cudaPopCallConfiguration /
// __cudaGetKernel / __cudaLaunchKernel), the public cudaLaunchKernel with a host stub,
// and plain runtime calls. It prints every status it gets, so its stdout and exit
// status natively and through a remoted libcudart must be identical: with a GPU the
// results, without one the driver's errors (tests/cuda/run_native_vs_remoted.sh).
#include <cstdio>

#include "kernel_arg_types.h"

__global__ void axpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += a * x[i];
}

// A struct by value and a char after it: the parameter layout has padding.
__global__ void by_struct(Padded p, char tag, double* out) {
  if (threadIdx.x == 0) out[0] = p.d + p.c + p.i + tag;
}

template <typename T>
__global__ void fill(T* out, T v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = v;
}

static int report(const char* what, cudaError_t e) {
  std::printf("%s: %d %s (%s)\n", what, static_cast<int>(e), cudaGetErrorName(e), cudaGetErrorString(e));
  return e == cudaSuccess ? 0 : 1;
}

int main() {
  int failures = 0;
  int count = -1;
  cudaError_t e = cudaGetDeviceCount(&count);
  failures += report("cudaGetDeviceCount", e);
  // Only a successful call defines its output (a remoted failed call may write zeros).
  if (e == cudaSuccess) std::printf("devices: %d\n", count);

  const int n = 256;
  float *x = nullptr, *y = nullptr;
  double* out = nullptr;
  failures += report("cudaMalloc x", cudaMalloc(&x, n * sizeof(float)));
  failures += report("cudaMalloc y", cudaMalloc(&y, n * sizeof(float)));
  failures += report("cudaMalloc out", cudaMalloc(&out, sizeof(double)));
  if (x && y) {
    float host[n];
    for (int i = 0; i < n; ++i) host[i] = static_cast<float>(i);
    failures += report("cudaMemcpy x", cudaMemcpy(x, host, sizeof host, cudaMemcpyHostToDevice));
    failures += report("cudaMemcpy y", cudaMemcpy(y, host, sizeof host, cudaMemcpyHostToDevice));
  }

  axpy<<<(n + 127) / 128, 128>>>(n, 2.0f, x, y);
  failures += report("axpy<<<>>> launch", cudaGetLastError());
  // The second launch of the same kernel: the fat binary is not shipped again.
  axpy<<<1, 64>>>(64, -1.0f, x, y);
  failures += report("axpy<<<>>> again", cudaGetLastError());

  Padded p{3, 0.5, 7};
  by_struct<<<1, 1>>>(p, 2, out);
  failures += report("by_struct<<<>>>", cudaGetLastError());
  fill<double><<<1, 32>>>(out, 1.25, 1);
  failures += report("fill<double><<<>>>", cudaGetLastError());

  // The public launch API with the host stub, as programs and libraries call it.
  int nn = n;
  float a = 0.5f;
  void* args[] = {&nn, &a, &x, &y};
  failures += report("cudaLaunchKernel(axpy)",
                     cudaLaunchKernel(reinterpret_cast<const void*>(axpy), dim3(2), dim3(128), args, 0, nullptr));

  // The host stub where the runtime takes a device function (the module translates it).
  cudaFuncAttributes attr{};
  e = cudaFuncGetAttributes(&attr, reinterpret_cast<const void*>(axpy));
  failures += report("cudaFuncGetAttributes(axpy)", e);
  if (e == cudaSuccess) std::printf("axpy: %s registers\n", attr.numRegs > 0 ? "some" : "no");
  int blocks = 0;
  e = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, reinterpret_cast<const void*>(axpy), 128, 0);
  failures += report("cudaOccupancyMaxActiveBlocksPerMultiprocessor(axpy)", e);
  if (e == cudaSuccess) std::printf("axpy: %s active blocks\n", blocks > 0 ? "some" : "no");

  failures += report("cudaDeviceSynchronize", cudaDeviceSynchronize());
  if (x && y && out) {
    float host[n];
    failures += report("cudaMemcpy back", cudaMemcpy(host, y, sizeof host, cudaMemcpyDeviceToHost));
    // y = i + 2i - i (first 64) + 0.5i = 2.5i for i < 64; 3.5i after.
    int wrong = 0;
    for (int i = 0; i < n; ++i) wrong += host[i] != (i < 64 ? 2.5f : 3.5f) * static_cast<float>(i);
    std::printf("wrong elements: %d\n", wrong);
    double d = 0;
    failures += report("cudaMemcpy out", cudaMemcpy(&d, out, sizeof d, cudaMemcpyDeviceToHost));
    std::printf("out: %.3f\n", d);
  }
  cudaFree(x);
  cudaFree(y);
  cudaFree(out);
  std::printf("failed calls: %d\n", failures);
  return failures ? 1 : 0;
}
