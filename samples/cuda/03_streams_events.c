/* cuda-03: streams, events, pinned memory, asynchronous copies and a host
 * function enqueued in a stream. */
#include "common/sample_util.h"

#include <stdatomic.h>

enum { N = 1 << 18, CHUNKS = 4 };

static atomic_int host_fn_calls;

static void CUDART_CB on_stream_done(void *user_data) {
  int *tag = (int *)user_data;
  if (*tag == 42) atomic_fetch_add(&host_fn_calls, 1);
}

int main(void) {
  sample_require_device();
  float *pinned = NULL, *result = NULL;
  CHECK(cudaMallocHost((void **)&pinned, N * sizeof(float)));
  CHECK(cudaHostAlloc((void **)&result, N * sizeof(float), cudaHostAllocDefault));
  for (int i = 0; i < N; ++i) pinned[i] = (float)(i % 1000);

  float *d = NULL;
  CHECK(cudaMalloc((void **)&d, N * sizeof(float)));
  cudaStream_t streams[CHUNKS];
  for (int s = 0; s < CHUNKS; ++s) CHECK(cudaStreamCreateWithFlags(&streams[s], cudaStreamNonBlocking));
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));

  /* Each stream moves its chunk up and back; the chunks overlap in time. */
  const size_t chunk = N / CHUNKS;
  CHECK(cudaEventRecord(start, streams[0]));
  for (int s = 0; s < CHUNKS; ++s) {
    CHECK(cudaMemcpyAsync(d + s * chunk, pinned + s * chunk, chunk * sizeof(float), cudaMemcpyHostToDevice, streams[s]));
    CHECK(cudaMemsetAsync(d + s * chunk, 0, sizeof(float), streams[s])); /* first element of each chunk = 0 */
    CHECK(cudaMemcpyAsync(result + s * chunk, d + s * chunk, chunk * sizeof(float), cudaMemcpyDeviceToHost, streams[s]));
  }
  /* stream 0 waits for the others, then records stop. */
  for (int s = 1; s < CHUNKS; ++s) {
    cudaEvent_t done;
    CHECK(cudaEventCreateWithFlags(&done, cudaEventDisableTiming));
    CHECK(cudaEventRecord(done, streams[s]));
    CHECK(cudaStreamWaitEvent(streams[0], done, 0));
    CHECK(cudaEventDestroy(done));
  }
  static int tag = 42;
  CHECK(cudaLaunchHostFunc(streams[0], on_stream_done, &tag));
  CHECK(cudaEventRecord(stop, streams[0]));
  CHECK(cudaEventSynchronize(stop));
  CHECK(cudaStreamSynchronize(streams[0]));

  for (int i = 0; i < N; ++i) {
    float want = (i % (int)chunk == 0) ? 0.0f : (float)(i % 1000);
    EXPECT(result[i] == want, "result[%d] = %f, expected %f", i, result[i], want);
  }
  printf("%d streams, async copies and memsets: ok\n", CHUNKS);
  printf("host function calls: %d\n", atomic_load(&host_fn_calls));

  float ms = -1.0f;
  CHECK(cudaEventElapsedTime(&ms, start, stop));
  fprintf(stderr, "elapsed: %.3f ms\n", ms);
  printf("elapsed time >= 0: %s\n", ms >= 0.0f ? "yes" : "no");
  printf("stop event complete: %s\n", cudaEventQuery(stop) == cudaSuccess ? "yes" : "no");
  printf("stream 0 idle: %s\n", cudaStreamQuery(streams[0]) == cudaSuccess ? "yes" : "no");

  unsigned int flags = 0;
  int priority = 0;
  CHECK(cudaStreamGetFlags(streams[1], &flags));
  CHECK(cudaStreamGetPriority(streams[1], &priority));
  printf("stream flags non-blocking: %s\n", (flags & cudaStreamNonBlocking) ? "yes" : "no");

  CHECK(cudaEventDestroy(start));
  CHECK(cudaEventDestroy(stop));
  for (int s = 0; s < CHUNKS; ++s) CHECK(cudaStreamDestroy(streams[s]));
  CHECK(cudaFree(d));
  CHECK(cudaFreeHost(pinned));
  CHECK(cudaFreeHost(result));
  CHECK(cudaDeviceSynchronize());
  return 0;
}
