/* Single-call .xz encoding and decoding of stdin with liblzma's buffer API
   (lzma_easy_buffer_encode, lzma_stream_buffer_decode): the calls whose
   in/in_pos/out_pos/memlimit the review corrected. */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
  size_t cap = 1 << 20, n = 0;
  uint8_t* in = malloc(cap);
  for (size_t r; (r = fread(in + n, 1, cap - n, stdin)) > 0;)
    if ((n += r) == cap) in = realloc(in, cap *= 2);
  size_t xz_cap = lzma_stream_buffer_bound(n), xz_len = 0;
  uint8_t* xz = malloc(xz_cap);
  lzma_ret rc = lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, in, n, xz, &xz_len, xz_cap);
  if (rc != LZMA_OK) return fprintf(stderr, "encode: %d\n", rc), 1;
  uint8_t* back = malloc(n + 1);
  size_t in_pos = 0, back_len = 0;
  uint64_t memlimit = UINT64_MAX;
  rc = lzma_stream_buffer_decode(&memlimit, 0, NULL, xz, &in_pos, xz_len, back, &back_len, n + 1);
  if (rc != LZMA_OK) return fprintf(stderr, "decode: %d\n", rc), 2;
  int same = back_len == n && memcmp(in, back, n) == 0;
  printf("%zu bytes -> %zu xz bytes (read %zu) -> %zu bytes, %s; liblzma %s\n", n, xz_len, in_pos, back_len,
         same ? "identical" : "DIFFERENT", lzma_version_string());
  fwrite(xz, 1, xz_len, stderr);
  return same ? 0 : 3;
}
