// cudaMemset, cudaMemsetAsync on a stream and cudaMemset2D on pitched memory,
// read back and checked byte by byte.
#include <vector>

#include "program_check.h"

int main() {
  use_first_device();
  const size_t bytes = 1 << 20;
  unsigned char* d = nullptr;
  CHECK(cudaMalloc(&d, bytes));
  std::vector<unsigned char> back(bytes), want(bytes);

  CHECK(cudaMemset(d, 0xab, bytes));
  CHECK(cudaMemset(d + 100, 0x11, 1000));
  CHECK(cudaMemcpy(back.data(), d, bytes, cudaMemcpyDeviceToHost));
  for (size_t i = 0; i < bytes; ++i) want[i] = i >= 100 && i < 1100 ? 0x11 : 0xab;
  EXPECT_SAME("cudaMemset", back.data(), want.data(), bytes);

  cudaStream_t s;
  CHECK(cudaStreamCreate(&s));
  CHECK(cudaMemsetAsync(d, 0x5a, bytes / 2, s));
  CHECK(cudaMemsetAsync(d + bytes / 2, 0xc3, bytes / 2, s));
  CHECK(cudaStreamSynchronize(s));
  CHECK(cudaMemcpy(back.data(), d, bytes, cudaMemcpyDeviceToHost));
  for (size_t i = 0; i < bytes; ++i) want[i] = i < bytes / 2 ? 0x5a : 0xc3;
  EXPECT_SAME("cudaMemsetAsync", back.data(), want.data(), bytes);
  CHECK(cudaStreamDestroy(s));

  // 2D: only width bytes of each of the height rows are set, the pitch's tail is not.
  const size_t width = 1000, height = 50;
  size_t pitch = 0;
  void* p = nullptr;
  CHECK(cudaMallocPitch(&p, &pitch, width, height));
  CHECK(cudaMemset(p, 0, pitch * height));
  CHECK(cudaMemset2D(p, pitch, 0x7e, width - 10, height - 5));
  std::vector<unsigned char> grid(pitch * height), grid_want(pitch * height);
  CHECK(cudaMemcpy(grid.data(), p, pitch * height, cudaMemcpyDeviceToHost));
  for (size_t r = 0; r < height; ++r)
    for (size_t c = 0; c < pitch; ++c)
      grid_want[r * pitch + c] = r < height - 5 && c < width - 10 ? 0x7e : 0;
  EXPECT_SAME("cudaMemset2D", grid.data(), grid_want.data(), pitch * height);

  CHECK(cudaFree(p));
  CHECK(cudaFree(d));
  std::printf("done\n");
  return 0;
}
