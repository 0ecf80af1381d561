// Events: record, query, synchronise, elapsed time (printed only as "ok": it is a
// timing), an event without timing, and cudaStreamWaitEvent ordering a consumer
// stream after a producer stream.
#include <vector>

#include "program_check.h"

__global__ void produce(unsigned* v, int n, int rounds) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned x = i;
  for (int r = 0; r < rounds; ++r) x = x * 1103515245u + 12345u;  // some work before the write
  v[i] = x;
}

__global__ void consume(const unsigned* in, unsigned* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = in[i] ^ 0x5555;
}

int main() {
  use_first_device();
  const int n = 1 << 18, rounds = 2000;
  unsigned *in = nullptr, *out = nullptr;
  CHECK(cudaMalloc(&in, n * sizeof(unsigned)));
  CHECK(cudaMalloc(&out, n * sizeof(unsigned)));
  CHECK(cudaMemset(in, 0, n * sizeof(unsigned)));

  cudaStream_t producer, consumer;
  CHECK(cudaStreamCreateWithFlags(&producer, cudaStreamNonBlocking));
  CHECK(cudaStreamCreateWithFlags(&consumer, cudaStreamNonBlocking));
  cudaEvent_t start, stop, ready;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  CHECK(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming));

  // A recorded event that nothing is pending on is complete.
  CHECK(cudaEventRecord(start, producer));
  CHECK(cudaEventSynchronize(start));
  CHECK(cudaEventQuery(start));

  produce<<<(n + 255) / 256, 256, 0, producer>>>(in, n, rounds);
  CHECK(cudaGetLastError());
  CHECK(cudaEventRecord(ready, producer));
  CHECK(cudaStreamWaitEvent(consumer, ready, 0));
  consume<<<(n + 255) / 256, 256, 0, consumer>>>(in, out, n);
  CHECK(cudaGetLastError());
  CHECK(cudaEventRecord(stop, consumer));
  CHECK(cudaEventSynchronize(stop));
  CHECK(cudaEventQuery(stop));
  CHECK(cudaEventQuery(ready));

  float ms = -1;
  CHECK(cudaEventElapsedTime(&ms, start, stop));
  std::printf("elapsed time: %s\n", ms >= 0 ? "ok" : "negative");
  // An event created without timing has no time to give.
  cudaError_t e = cudaEventElapsedTime(&ms, start, ready);
  std::printf("elapsed time with a no-timing event: %s\n", cudaGetErrorName(e));
  EXPECT(e != cudaSuccess, "a no-timing event gave an elapsed time");
  cudaGetLastError();  // the expected error above is not sticky; clear it anyway

  std::vector<unsigned> got(n), want(n);
  CHECK(cudaMemcpy(got.data(), out, n * sizeof(unsigned), cudaMemcpyDeviceToHost));
  for (int i = 0; i < n; ++i) {
    unsigned x = i;
    for (int r = 0; r < rounds; ++r) x = x * 1103515245u + 12345u;
    want[i] = x ^ 0x5555;
  }
  EXPECT_SAME("consumer after cudaStreamWaitEvent", got.data(), want.data(), n);
  print_checksum("consumer", got.data(), n * sizeof(unsigned));

  CHECK(cudaEventDestroy(start));
  CHECK(cudaEventDestroy(stop));
  CHECK(cudaEventDestroy(ready));
  CHECK(cudaStreamDestroy(producer));
  CHECK(cudaStreamDestroy(consumer));
  CHECK(cudaFree(in));
  CHECK(cudaFree(out));
  std::printf("done\n");
  return 0;
}
