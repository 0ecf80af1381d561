// Kernel arguments of many types and layouts: scalars of every width (signed and
// unsigned, bool, float, double), enums, pointers, structs by value with padding,
// an array inside a struct, a large struct, a template instantiated for several
// types, and a kernel with many parameters. Each kernel folds its arguments into
// one 64-bit value with the same __host__ __device__ code the CPU runs, so a
// parameter at the wrong offset or size shows as a mismatch.
#include <cstdint>

#include "program_check.h"

enum class Colour : short { red = 3, green = 5 };

struct Padded {  // padding after c and after i
  char c;
  double d;
  int i;
};

struct WithArray {
  int n;
  float values[7];
  unsigned char tail;
};

struct Big {  // 256 bytes by value
  uint64_t words[32];
};

__host__ __device__ inline uint64_t mix(uint64_t h, uint64_t v) {
  return (h ^ v) * 1099511628211ull + 7;
}

__host__ __device__ inline uint64_t bits(double d) {
  union {
    double d;
    uint64_t u;
  } x{d};
  return x.u;
}

__host__ __device__ inline uint64_t bits(float f) {
  union {
    float f;
    uint32_t u;
  } x{f};
  return x.u;
}

__host__ __device__ uint64_t fold_scalars(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e,
                                          uint32_t f, int64_t g, uint64_t h, bool i, float j,
                                          double k, Colour l) {
  uint64_t r = 1469598103934665603ull;
  r = mix(r, static_cast<uint64_t>(a));
  r = mix(r, b);
  r = mix(r, static_cast<uint64_t>(c));
  r = mix(r, d);
  r = mix(r, static_cast<uint64_t>(e));
  r = mix(r, f);
  r = mix(r, static_cast<uint64_t>(g));
  r = mix(r, h);
  r = mix(r, i);
  r = mix(r, bits(j));
  r = mix(r, bits(k));
  return mix(r, static_cast<uint64_t>(l));
}

__global__ void scalars(int8_t a, uint8_t b, int16_t c, uint16_t d, int32_t e, uint32_t f,
                        int64_t g, uint64_t h, bool i, float j, double k, Colour l, uint64_t* out) {
  *out = fold_scalars(a, b, c, d, e, f, g, h, i, j, k, l);
}

// Scalars in the reverse order of widths: different padding between them.
__global__ void scalars_reversed(double k, float j, bool i, uint64_t h, int64_t g, uint32_t f,
                                 int32_t e, uint16_t d, int16_t c, uint8_t b, int8_t a,
                                 uint64_t* out) {
  *out = fold_scalars(a, b, c, d, e, f, g, h, i, j, k, Colour::green);
}

__host__ __device__ uint64_t fold_structs(char tag, Padded p, WithArray w, short s) {
  uint64_t r = mix(static_cast<uint64_t>(tag), static_cast<uint64_t>(p.c));
  r = mix(r, bits(p.d));
  r = mix(r, static_cast<uint64_t>(p.i));
  r = mix(r, static_cast<uint64_t>(w.n));
  for (int x = 0; x < 7; ++x) r = mix(r, bits(w.values[x]));
  r = mix(r, w.tail);
  return mix(r, static_cast<uint64_t>(s));
}

__global__ void structs(char tag, Padded p, WithArray w, short s, uint64_t* out) {
  *out = fold_structs(tag, p, w, s);
}

__host__ __device__ uint64_t fold_big(const Big& b, int k) {
  uint64_t r = static_cast<uint64_t>(k);
  for (int x = 0; x < 32; ++x) r = mix(r, b.words[x]);
  return r;
}

__global__ void big(Big b, int k, uint64_t* out) {
  *out = fold_big(b, k);
}

// Pointers: read through a const pointer, write through another, a null one.
__global__ void pointers(const int* in, int* out, const double* null_ptr, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = in[n - 1 - i] + (null_ptr == nullptr ? 1 : 0);
}

template <typename T, int Scale>
__global__ void scaled_sum(const T* in, int n, T offset, T* out) {
  T s = offset;
  for (int i = 0; i < n; ++i) s += in[i] * static_cast<T>(Scale);
  *out = s;
}

__global__ void many(int p0, int p1, int p2, int p3, int p4, int p5, int p6, int p7, double p8,
                     double p9, double p10, double p11, char p12, char p13, char p14, char p15,
                     long long p16, long long p17, float p18, float p19, uint64_t* out) {
  int ints[] = {p0, p1, p2, p3, p4, p5, p6, p7};
  double doubles[] = {p8, p9, p10, p11};
  char chars[] = {p12, p13, p14, p15};
  uint64_t r = 0;
  for (int v : ints) r = mix(r, static_cast<uint64_t>(v));
  for (double v : doubles) r = mix(r, bits(v));
  for (char v : chars) r = mix(r, static_cast<uint64_t>(v));
  r = mix(r, static_cast<uint64_t>(p16));
  r = mix(r, static_cast<uint64_t>(p17));
  r = mix(r, bits(p18));
  *out = mix(r, bits(p19));
}

static uint64_t read_back(const uint64_t* d) {
  uint64_t v = 0;
  CHECK(cudaMemcpy(&v, d, sizeof v, cudaMemcpyDeviceToHost));
  return v;
}

static void expect_value(const char* what, uint64_t got, uint64_t want) {
  EXPECT(got == want, "%s: %016llx from the kernel, %016llx on the CPU", what,
         static_cast<unsigned long long>(got), static_cast<unsigned long long>(want));
  std::printf("%s: %016llx matches the CPU\n", what, static_cast<unsigned long long>(got));
}

int main() {
  use_first_device();
  uint64_t* out = nullptr;
  CHECK(cudaMalloc(&out, sizeof(uint64_t)));

  scalars<<<1, 1>>>(-5, 250, -30000, 65000, -2000000000, 4000000000u, -(1LL << 40), ~0ull - 3, true,
                    1.5f, -2.25e100, Colour::red, out);
  CHECK_LAUNCH();
  expect_value("scalars", read_back(out),
               fold_scalars(-5, 250, -30000, 65000, -2000000000, 4000000000u, -(1LL << 40),
                            ~0ull - 3, true, 1.5f, -2.25e100, Colour::red));

  scalars_reversed<<<1, 1>>>(3.0e-300, -0.0f, false, 1ull << 63, 42, 7u, -7, 1, -1, 1, -128, out);
  CHECK_LAUNCH();
  expect_value(
      "scalars reversed", read_back(out),
      fold_scalars(-128, 1, -1, 1, -7, 7u, 42, 1ull << 63, false, -0.0f, 3.0e-300, Colour::green));

  Padded p{'x', 3.75, -99};
  WithArray w{7, {0.5f, 1.5f, -2.5f, 3.25f, 1e10f, -1e-10f, 42.0f}, 200};
  structs<<<1, 1>>>('q', p, w, -12345, out);
  CHECK_LAUNCH();
  expect_value("structs by value", read_back(out), fold_structs('q', p, w, -12345));

  Big b{};
  for (int x = 0; x < 32; ++x) b.words[x] = 0x0101010101010101ull * (x + 1);
  big<<<1, 1>>>(b, 77, out);
  CHECK_LAUNCH();
  expect_value("256-byte struct", read_back(out), fold_big(b, 77));

  many<<<1, 1>>>(1, -2, 3, -4, 5, -6, 7, -8, 0.1, 0.2, 0.3, 0.4, 'a', 'b', 'c', 'd', 1LL << 50,
                 -(1LL << 51), 9.5f, -9.5f, out);
  CHECK_LAUNCH();
  {
    int ints[] = {1, -2, 3, -4, 5, -6, 7, -8};
    double doubles[] = {0.1, 0.2, 0.3, 0.4};
    char chars[] = {'a', 'b', 'c', 'd'};
    uint64_t r = 0;
    for (int v : ints) r = mix(r, static_cast<uint64_t>(v));
    for (double v : doubles) r = mix(r, bits(v));
    for (char v : chars) r = mix(r, static_cast<uint64_t>(v));
    r = mix(r, static_cast<uint64_t>(1LL << 50));
    r = mix(r, static_cast<uint64_t>(-(1LL << 51)));
    r = mix(r, bits(9.5f));
    expect_value("20 parameters", read_back(out), mix(r, bits(-9.5f)));
  }

  const int n = 1000;
  int host[n], back[n], want[n];
  for (int i = 0; i < n; ++i) host[i] = i * i - 500;
  int *din = nullptr, *dout = nullptr;
  CHECK(cudaMalloc(&din, sizeof host));
  CHECK(cudaMalloc(&dout, sizeof host));
  CHECK(cudaMemcpy(din, host, sizeof host, cudaMemcpyHostToDevice));
  pointers<<<(n + 127) / 128, 128>>>(din, dout, nullptr, n);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(back, dout, sizeof back, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) want[i] = host[n - 1 - i] + 1;
  EXPECT_SAME("pointers", back, want, n);

  // Templates: int with scale 3, double with scale -2, (unsigned) char with scale 1.
  int* isum = nullptr;
  CHECK(cudaMalloc(&isum, sizeof(int)));
  scaled_sum<int, 3><<<1, 1>>>(din, n, 11, isum);
  CHECK_LAUNCH();
  int gi = 0, wi = 11;
  CHECK(cudaMemcpy(&gi, isum, sizeof gi, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) wi += host[i] * 3;
  expect_value("scaled_sum<int, 3>", static_cast<uint64_t>(gi), static_cast<uint64_t>(wi));

  double dh[64], *dd = nullptr, *dsum = nullptr;
  for (int i = 0; i < 64; ++i) dh[i] = 1.0 / (i + 1);
  CHECK(cudaMalloc(&dd, sizeof dh));
  CHECK(cudaMalloc(&dsum, sizeof(double)));
  CHECK(cudaMemcpy(dd, dh, sizeof dh, cudaMemcpyHostToDevice));
  scaled_sum<double, -2><<<1, 1>>>(dd, 64, 0.125, dsum);
  CHECK_LAUNCH();
  double gd = 0, wd = 0.125;
  CHECK(cudaMemcpy(&gd, dsum, sizeof gd, cudaMemcpyDeviceToHost));
  for (int i = 0; i < 64; ++i) wd += dh[i] * -2.0;
  expect_value("scaled_sum<double, -2>", bits(gd), bits(wd));

  unsigned char ch[16], *dc = nullptr, *csum = nullptr;
  for (int i = 0; i < 16; ++i) ch[i] = static_cast<unsigned char>(i * 3);
  CHECK(cudaMalloc(&dc, sizeof ch));
  CHECK(cudaMalloc(&csum, 1));
  CHECK(cudaMemcpy(dc, ch, sizeof ch, cudaMemcpyHostToDevice));
  scaled_sum<unsigned char, 1><<<1, 1>>>(dc, 16, static_cast<unsigned char>(250), csum);
  CHECK_LAUNCH();
  unsigned char gc = 0, wc = 250;
  CHECK(cudaMemcpy(&gc, csum, 1, cudaMemcpyDeviceToHost));
  for (int i = 0; i < 16; ++i) wc = static_cast<unsigned char>(wc + ch[i]);
  expect_value("scaled_sum<unsigned char, 1>", gc, wc);

  for (void* d : {static_cast<void*>(out), static_cast<void*>(din), static_cast<void*>(dout),
                  static_cast<void*>(isum), static_cast<void*>(dd), static_cast<void*>(dsum),
                  static_cast<void*>(dc), static_cast<void*>(csum)})
    CHECK(cudaFree(d));
  std::printf("done\n");
  return 0;
}
