// Several streams, each with its own copy in, kernel and copy out; stream flags
// and priorities; cudaStreamQuery after synchronisation; the legacy default
// stream ordering a kernel after work on it.
#include <vector>

#include "program_check.h"

__global__ void scale(float* v, float f, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] = v[i] * f + 1.0f;
}

int main() {
  use_first_device();
  const int streams = 4, n = 1 << 15;
  std::vector<cudaStream_t> s(streams);
  std::vector<float*> d(streams);
  std::vector<std::vector<float>> host(streams, std::vector<float>(n)),
      back(streams, std::vector<float>(n));

  int least = 0, greatest = 0;
  CHECK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
  std::printf("priority range: %s\n", greatest <= least ? "ok" : "inverted");
  for (int k = 0; k < streams; ++k) {
    if (k == 0)
      CHECK(cudaStreamCreate(&s[k]));
    else if (k == 1)
      CHECK(cudaStreamCreateWithFlags(&s[k], cudaStreamNonBlocking));
    else
      CHECK(cudaStreamCreateWithPriority(&s[k], cudaStreamNonBlocking, k == 2 ? least : greatest));
    CHECK(cudaMalloc(&d[k], n * sizeof(float)));
    for (int i = 0; i < n; ++i) host[k][i] = static_cast<float>((i + k * 7) % 1000) * 0.25f;
  }
  unsigned int flags = 0;
  CHECK(cudaStreamGetFlags(s[1], &flags));
  std::printf("stream 1 flags: %u\n", flags);
  int priority = 0;
  CHECK(cudaStreamGetPriority(s[3], &priority));
  std::printf("stream 3 has the greatest priority: %s\n", priority == greatest ? "yes" : "no");

  for (int k = 0; k < streams; ++k) {
    CHECK(cudaMemcpyAsync(d[k], host[k].data(), n * sizeof(float), cudaMemcpyHostToDevice, s[k]));
    scale<<<(n + 255) / 256, 256, 0, s[k]>>>(d[k], static_cast<float>(k + 2), n);
    CHECK(cudaGetLastError());
    CHECK(cudaMemcpyAsync(back[k].data(), d[k], n * sizeof(float), cudaMemcpyDeviceToHost, s[k]));
  }
  for (int k = 0; k < streams; ++k) {
    CHECK(cudaStreamSynchronize(s[k]));
    CHECK(cudaStreamQuery(s[k]));  // complete: cudaSuccess
    std::vector<float> want(n);
    for (int i = 0; i < n; ++i) want[i] = host[k][i] * static_cast<float>(k + 2) + 1.0f;
    char what[32];
    std::snprintf(what, sizeof what, "stream %d", k);
    EXPECT_SAME(what, back[k].data(), want.data(), n);
    print_checksum(what, back[k].data(), n * sizeof(float));
  }

  // The legacy default stream (0) waits for blocking streams: a kernel on it after
  // a kernel on s[0] sees s[0]'s result.
  scale<<<(n + 255) / 256, 256, 0, s[0]>>>(d[0], 0.0f, n);  // every element 1
  scale<<<(n + 255) / 256, 256>>>(d[0], 3.0f, n);           // every element 4
  CHECK_LAUNCH();
  CHECK(cudaMemcpy(back[0].data(), d[0], n * sizeof(float), cudaMemcpyDeviceToHost));
  std::vector<float> fours(n, 4.0f);
  EXPECT_SAME("default stream after stream 0", back[0].data(), fours.data(), n);

  for (int k = 0; k < streams; ++k) {
    CHECK(cudaStreamDestroy(s[k]));
    CHECK(cudaFree(d[k]));
  }
  std::printf("done\n");
  return 0;
}
