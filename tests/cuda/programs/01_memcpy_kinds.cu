// Every explicit cudaMemcpy kind (host to device, device to host, device to
// device, host to host), a copy at an offset, and pitched 2D copies between
// device buffers, each checked against the data it started from
// (cudaMemcpyDefault: 15_memcpy_default.cu).
#include <vector>

#include "program_check.h"

__global__ void add_index(int* v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] += i;
}

int main() {
  use_first_device();
  const int n = 1 << 16;
  const size_t bytes = n * sizeof(int);
  std::vector<int> host(n), back(n, 0), want(n);
  for (int i = 0; i < n; ++i) host[i] = (i * 2654435761u) >> 7;

  int *a = nullptr, *b = nullptr;
  CHECK(cudaMalloc(&a, bytes));
  CHECK(cudaMalloc(&b, bytes));
  CHECK(cudaMemcpy(a, host.data(), bytes, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice));
  add_index<<<(n + 255) / 256, 256>>>(b, n);
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(back.data(), b, bytes, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) want[i] = host[i] + i;
  EXPECT_SAME("H2D, D2D, kernel, D2H", back.data(), want.data(), n);
  print_checksum("D2H", back.data(), bytes);

  // Host to host through the runtime.
  std::vector<int> copy(n, 0);
  CHECK(cudaMemcpy(copy.data(), host.data(), bytes, cudaMemcpyHostToHost));
  EXPECT_SAME("H2H", copy.data(), host.data(), n);

  // A partial copy at an offset into device memory.
  const int off = 1000, len = 5000;
  CHECK(cudaMemset(b, 0, bytes));
  CHECK(cudaMemcpy(b + off, host.data() + off, len * sizeof(int), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(back.data(), b, bytes, cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) want[i] = i >= off && i < off + len ? host[i] : 0;
  EXPECT_SAME("offset copy", back.data(), want.data(), n);

  // Pitched 2D: a width x height block between two pitched device allocations.
  const size_t width = 300 * sizeof(int), height = 64;
  size_t pitch_a = 0, pitch_b = 0;
  void *pa = nullptr, *pb = nullptr;
  CHECK(cudaMallocPitch(&pa, &pitch_a, width, height));
  CHECK(cudaMallocPitch(&pb, &pitch_b, width, height));
  EXPECT(pitch_a >= width && pitch_b >= width, "pitch below the row width");
  std::printf("pitch: %s\n", pitch_a % 256 == 0 ? "a multiple of 256" : "other");
  for (size_t row = 0; row < height; ++row)
    CHECK(cudaMemcpy(static_cast<char*>(pa) + row * pitch_a, host.data() + row * 300, width,
                     cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy2D(pb, pitch_b, pa, pitch_a, width, height, cudaMemcpyDeviceToDevice));
  std::vector<int> rows(300 * height, 0);
  for (size_t row = 0; row < height; ++row)
    CHECK(cudaMemcpy(rows.data() + row * 300, static_cast<char*>(pb) + row * pitch_b, width,
                     cudaMemcpyDeviceToHost));
  EXPECT_SAME("2D device to device", rows.data(), host.data(), 300 * height);

  CHECK(cudaFree(pa));
  CHECK(cudaFree(pb));
  CHECK(cudaFree(a));
  CHECK(cudaFree(b));
  std::printf("done\n");
  return 0;
}
