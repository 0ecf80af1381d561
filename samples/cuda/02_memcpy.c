/* cuda-02: device memory: cudaMalloc, cudaMemcpy in every direction,
 * cudaMemset, pitched 2D copies, cudaMemGetInfo, cudaFree. */
#include "common/sample_util.h"

enum { N = 1 << 16 };

int main(void) {
  sample_require_device();
  size_t free_before = 0, total = 0;
  CHECK(cudaMemGetInfo(&free_before, &total));
  printf("memory info: free <= total: %s\n", free_before <= total ? "yes" : "no");

  int *host = (int *)malloc(N * sizeof(int));
  int *back = (int *)malloc(N * sizeof(int));
  for (int i = 0; i < N; ++i) host[i] = i * 3 - 7;

  int *d_a = NULL, *d_b = NULL;
  CHECK(cudaMalloc((void **)&d_a, N * sizeof(int)));
  CHECK(cudaMalloc((void **)&d_b, N * sizeof(int)));
  CHECK(cudaMemcpy(d_a, host, N * sizeof(int), cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(d_b, d_a, N * sizeof(int), cudaMemcpyDeviceToDevice));
  CHECK(cudaMemcpy(back, d_b, N * sizeof(int), cudaMemcpyDeviceToHost));
  EXPECT(memcmp(host, back, N * sizeof(int)) == 0, "round trip differs");
  printf("host->device->device->host round trip of %d ints: ok\n", N);

  /* cudaMemset works on bytes: 0x01 in every byte of an int is 0x01010101. */
  CHECK(cudaMemset(d_b, 0x01, N * sizeof(int)));
  CHECK(cudaMemcpy(back, d_b, N * sizeof(int), cudaMemcpyDeviceToHost));
  for (int i = 0; i < N; ++i) EXPECT(back[i] == 0x01010101, "back[%d] = %x", i, back[i]);
  printf("memset 0x01: ok\n");

  /* Pitched 2D: copy a 100 x 50 block of a host matrix with 128-int rows. */
  enum { ROWS = 50, COLS = 100, HOST_PITCH = 128 };
  int *matrix = (int *)calloc(ROWS * HOST_PITCH, sizeof(int));
  for (int r = 0; r < ROWS; ++r)
    for (int c = 0; c < COLS; ++c) matrix[r * HOST_PITCH + c] = r * 1000 + c;
  int *d_m = NULL;
  size_t pitch = 0;
  CHECK(cudaMallocPitch((void **)&d_m, &pitch, COLS * sizeof(int), ROWS));
  EXPECT(pitch >= COLS * sizeof(int), "pitch %zu", pitch);
  CHECK(cudaMemcpy2D(d_m, pitch, matrix, HOST_PITCH * sizeof(int), COLS * sizeof(int), ROWS, cudaMemcpyHostToDevice));
  int *packed = (int *)calloc(ROWS * COLS, sizeof(int));
  CHECK(cudaMemcpy2D(packed, COLS * sizeof(int), d_m, pitch, COLS * sizeof(int), ROWS, cudaMemcpyDeviceToHost));
  long long sum = 0;
  for (int r = 0; r < ROWS; ++r)
    for (int c = 0; c < COLS; ++c) {
      EXPECT(packed[r * COLS + c] == r * 1000 + c, "packed[%d][%d]", r, c);
      sum += packed[r * COLS + c];
    }
  printf("pitched 2D copy %dx%d: ok, sum %lld\n", ROWS, COLS, sum);

  struct cudaPointerAttributes attrs;
  CHECK(cudaPointerGetAttributes(&attrs, d_a));
  printf("cudaMalloc pointer is device memory: %s\n", attrs.type == cudaMemoryTypeDevice ? "yes" : "no");

  CHECK(cudaFree(d_m));
  CHECK(cudaFree(d_a));
  CHECK(cudaFree(d_b));
  CHECK(cudaFree(NULL)); /* documented no-op */
  free(matrix);
  free(packed);
  free(host);
  free(back);
  return 0;
}
