/* A program of the toy device API written as GPU programs are: allocate, upload,
 * run work on device addresses, download, free. Exit 0 when the results are right. */
#include <stdio.h>
#include <stdlib.h>

#include "devmem.h"

int main(void) {
  static const size_t sizes[] = {256, 1000, 4096};
  for (int round = 0; round < 3; ++round) {
    size_t n = sizes[round];
    float *host = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; ++i) host[i] = (float)(i % 7);
    void *a = NULL, *b = NULL;
    if (dmMalloc(&a, n * sizeof(float)) || dmMalloc(&b, n * sizeof(float))) return 1;
    dmMemcpyToDevice(a, host, n * sizeof(float));
    dmMemcpyToDevice(b, host, n * sizeof(float));
    dmScale(a, n, 2.0f);
    dmScale(b, n / 2, 0.5f);
    float sum = 0;
    dmSum(a, n, &sum);
    dmMemcpyToHost(host, a, n * sizeof(float));
    float expect = 0;
    for (size_t i = 0; i < n; ++i) expect += (float)(i % 7) * 2.0f;
    if (sum != expect || host[3] != 6.0f) {
      fprintf(stderr, "devmem_program: wrong result (%g, expected %g)\n", sum, expect);
      return 1;
    }
    dmFree(a);
    dmFree(b);
    free(host);
  }
  return 0;
}
