// Types shared by kernels.cu (compiled by nvcc) and the tests (compiled by the
// host compiler). cuobjdump is not installed here, so these C++ types are the
// reference: each *Args struct lists a kernel's parameters in order, and a
// kernel's parameter bank must have the struct's layout (same ABI on host and
// device), so offsetof/sizeof give the expected offsets and sizes.
#pragma once

// 24 bytes with padding: 7 after `c`, 4 after `i`.
struct Padded {
  char c;
  double d;
  int i;
};

struct ScalarsArgs {
  char c;
  int i;
  double d;
};
struct PointersArgs {
  float* a;
  const int* b;
  int n;
};
struct ByStructArgs {
  Padded p;
  int* out;
};
struct MixedArgs {
  char a;
  Padded p;
  char b;
};
template <typename T>
struct TemplateArgs {
  T* out;
  T v;
  short s;
};
