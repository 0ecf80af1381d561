// Block reductions in dynamic shared memory (a template for several types),
// warp shuffles, atomics on global memory, and the function attribute calls a
// program makes with a kernel's host stub (cudaFuncGetAttributes,
// cudaFuncSetAttribute for more dynamic shared memory, occupancy).
#include <algorithm>
#include <vector>

#include "program_check.h"

template <typename T>
__global__ void block_sum(const T* in, int n, T* partial) {
  extern __shared__ unsigned char raw[];
  T* s = reinterpret_cast<T*>(raw);
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  s[threadIdx.x] = i < n ? in[i] : T(0);
  __syncthreads();
  for (unsigned stride = blockDim.x / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) s[threadIdx.x] += s[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = s[0];
}

__global__ void warp_max(const int* in, int* out) {
  int v = in[blockIdx.x * 32 + threadIdx.x];
  for (int offset = 16; offset > 0; offset /= 2)
    v = max(v, __shfl_down_sync(0xffffffffu, v, offset));
  if (threadIdx.x == 0) out[blockIdx.x] = v;
}

__global__ void histogram(const unsigned char* in, int n, unsigned int* bins) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&bins[in[i] % 16], 1u);
}

// Uses more than the default 48 KiB of dynamic shared memory once allowed to.
__global__ void big_shared(int* out) {
  extern __shared__ int big[];
  const int words = 64 * 1024 / sizeof(int);
  for (int i = threadIdx.x; i < words; i += blockDim.x) big[i] = i;
  __syncthreads();
  if (threadIdx.x == 0) {
    long long s = 0;
    for (int i = 0; i < words; ++i) s += big[i];
    *out = static_cast<int>(s % 1000003);
  }
}

template <typename T>
static void check_block_sum(const char* what, int n, T (*value)(int)) {
  const int threads = 256, blocks = (n + threads - 1) / threads;
  std::vector<T> host(n), partial(blocks), want(blocks, T(0));
  for (int i = 0; i < n; ++i) host[i] = value(i);
  for (int i = 0; i < n; ++i) want[i / threads] += host[i];
  T *din = nullptr, *dpart = nullptr;
  CHECK(cudaMalloc(&din, n * sizeof(T)));
  CHECK(cudaMalloc(&dpart, blocks * sizeof(T)));
  CHECK(cudaMemcpy(din, host.data(), n * sizeof(T), cudaMemcpyHostToDevice));
  block_sum<T><<<blocks, threads, threads * sizeof(T)>>>(din, n, dpart);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(partial.data(), dpart, blocks * sizeof(T), cudaMemcpyDeviceToHost));
  EXPECT_SAME(what, partial.data(), want.data(), blocks);
  CHECK(cudaFree(din));
  CHECK(cudaFree(dpart));
}

int main() {
  use_first_device();
  // Integers, and doubles that are small integers: the sums are exact in any order.
  check_block_sum<int>("block_sum<int>", 100000, [](int i) { return (i * 37) % 1001 - 500; });
  check_block_sum<long long>("block_sum<long long>", 50000, [](int i) { return (1LL << 33) + i; });
  check_block_sum<double>("block_sum<double>", 70000,
                          [](int i) { return static_cast<double>(i % 4096); });

  const int warps = 64;
  std::vector<int> in(warps * 32), maxes(warps), want(warps, -1);
  for (int i = 0; i < warps * 32; ++i) in[i] = (i * 7919) % 10007;
  for (int i = 0; i < warps * 32; ++i) want[i / 32] = std::max(want[i / 32], in[i]);
  int *din = nullptr, *dmax = nullptr;
  CHECK(cudaMalloc(&din, in.size() * sizeof(int)));
  CHECK(cudaMalloc(&dmax, warps * sizeof(int)));
  CHECK(cudaMemcpy(din, in.data(), in.size() * sizeof(int), cudaMemcpyHostToDevice));
  warp_max<<<warps, 32>>>(din, dmax);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(maxes.data(), dmax, warps * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT_SAME("warp_max", maxes.data(), want.data(), warps);

  const int n = 1 << 20;
  std::vector<unsigned char> bytes(n);
  for (int i = 0; i < n; ++i) bytes[i] = static_cast<unsigned char>((i * 131) ^ (i >> 5));
  unsigned char* dbytes = nullptr;
  unsigned int* dbins = nullptr;
  CHECK(cudaMalloc(&dbytes, n));
  CHECK(cudaMalloc(&dbins, 16 * sizeof(unsigned)));
  CHECK(cudaMemcpy(dbytes, bytes.data(), n, cudaMemcpyHostToDevice));
  CHECK(cudaMemset(dbins, 0, 16 * sizeof(unsigned)));
  histogram<<<64, 256>>>(dbytes, n, dbins);
  CHECK_LAUNCH();
  unsigned bins[16], bins_want[16] = {};
  CHECK(cudaMemcpy(bins, dbins, sizeof bins, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) ++bins_want[bytes[i] % 16];
  EXPECT_SAME("atomicAdd histogram", bins, bins_want, 16);

  cudaFuncAttributes attr{};
  CHECK(cudaFuncGetAttributes(&attr, big_shared));
  std::printf("big_shared: max threads per block %s, %s registers\n",
              attr.maxThreadsPerBlock > 0 ? "known" : "zero", attr.numRegs > 0 ? "some" : "no");
  int optin = 0;
  CHECK(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0));
  const int shared = 64 * 1024;
  if (optin >= shared) {
    CHECK(cudaFuncSetAttribute(big_shared, cudaFuncAttributeMaxDynamicSharedMemorySize, shared));
    int blocks = 0;
    CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, big_shared, 128, shared));
    std::printf("big_shared: %s blocks per multiprocessor with 64 KiB\n",
                blocks > 0 ? "some" : "no");
    big_shared<<<1, 128, shared>>>(dmax);
    CHECK_LAUNCH();
    int got = 0;
    CHECK(cudaMemcpy(&got, dmax, sizeof got, cudaMemcpyDeviceToHost));
    long long s = 0;
    for (int i = 0; i < shared / 4; ++i) s += i;
    EXPECT(got == s % 1000003, "big_shared gave %d, want %lld", got, s % 1000003);
    std::printf("big_shared: 64 KiB of dynamic shared memory ok\n");
  } else {
    std::printf("big_shared: the device allows less than 64 KiB per block\n");
  }

  CHECK(cudaFree(din));
  CHECK(cudaFree(dmax));
  CHECK(cudaFree(dbytes));
  CHECK(cudaFree(dbins));
  std::printf("done\n");
  return 0;
}
