// Kernels with the parameter kinds a remoted cudaLaunchKernel must marshal:
// scalars of several sizes, pointers, a padded struct by value, templates, none.
// Built by nvcc at build time (tests/cuda/CMakeLists.txt); never run.
#include <cstdio>

#include "kernel_arg_types.h"

__global__ void scalars(char c, int i, double d) {}
__global__ void pointers(float* a, const int* b, int n) {}
__global__ void by_struct(Padded p, int* out) {}
__global__ void mixed(char a, Padded p, char b) {}
__global__ void no_params() {}
template <typename T>
__global__ void tmpl(T* out, T v, short s) {}
template __global__ void tmpl<double>(double*, double, short);
template __global__ void tmpl<char>(char*, char, short);

int main() {
  std::printf("%zu\n", sizeof(Padded));
  return 0;
}
