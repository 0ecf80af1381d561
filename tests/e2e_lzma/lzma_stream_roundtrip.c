/* A liblzma program of our own that leans on stream state: two encoders and a
 * decoder alive at once, fed in uneven slices into small output windows (so every
 * lzma_code call consumes and produces part of its buffers), totals and cursor
 * positions printed, and one stream left without lzma_end (the server ends it at
 * disconnect). Run natively and through the generated stack: the outputs must match.
 * Usage: lzma_stream_roundtrip SIZE */
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_of(const uint8_t *p, size_t n) { return lzma_crc32(p, n, 0); }

/* Runs strm over in[0..n) in slices of `slice` bytes into windows of `window` bytes. */
static size_t run(lzma_stream *strm, const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t slice,
                  size_t window, int *calls) {
  size_t fed = 0, got = 0;
  lzma_ret r = LZMA_OK;
  while (r == LZMA_OK) {
    if (strm->avail_in == 0 && fed < n) {
      size_t k = n - fed < slice ? n - fed : slice;
      strm->next_in = in + fed;
      strm->avail_in = k;
      fed += k;
    }
    size_t room = cap - got < window ? cap - got : window;
    strm->next_out = out + got;
    strm->avail_out = room;
    const uint8_t *before_in = strm->next_in;
    r = lzma_code(strm, fed == n ? LZMA_FINISH : LZMA_RUN);
    ++*calls;
    /* The cursors moved by exactly what the counts say. */
    if ((size_t)(strm->next_out - (out + got)) != room - strm->avail_out) {
      printf("next_out and avail_out disagree\n");
      exit(3);
    }
    if (before_in && strm->next_in < before_in) {
      printf("next_in moved backwards\n");
      exit(3);
    }
    got += room - strm->avail_out;
  }
  if (r != LZMA_STREAM_END) {
    printf("lzma_code returned %d\n", (int)r);
    exit(2);
  }
  return got;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 300000;
  uint8_t *data = malloc(n), *packed = malloc(n + n / 2 + 4096), *packed9 = malloc(n + n / 2 + 4096),
          *back = malloc(n + 1);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) { /* compressible but not trivial */
    x = x * 1103515245u + 12345u;
    data[i] = (uint8_t)("abcdefgh"[(x >> 16) & 7] + ((i / 4096) & 3));
  }
  lzma_stream a = LZMA_STREAM_INIT, b = LZMA_STREAM_INIT, d = LZMA_STREAM_INIT, left = LZMA_STREAM_INIT;
  if (lzma_easy_encoder(&a, 1, LZMA_CHECK_CRC64) != LZMA_OK || lzma_easy_encoder(&b, 6, LZMA_CHECK_CRC32) != LZMA_OK ||
      lzma_easy_encoder(&left, 0, LZMA_CHECK_NONE) != LZMA_OK) {
    printf("encoder init failed\n");
    return 1;
  }
  printf("memusage of an encoder: %s\n", lzma_memusage(&a) > 0 ? "known" : "zero");
  int calls = 0;
  size_t pa = run(&a, data, n, packed, n + n / 2 + 4096, 70001, 5000, &calls);
  size_t pb = run(&b, data, n, packed9, n + n / 2 + 4096, 1 << 20, 100000, &calls);
  printf("preset 1: %zu bytes (total_in %llu total_out %llu) crc %08x\n", pa, (unsigned long long)a.total_in,
         (unsigned long long)a.total_out, crc_of(packed, pa));
  printf("preset 6: %zu bytes crc %08x\n", pb, crc_of(packed9, pb));
  lzma_end(&a);
  lzma_end(&b);
  if (lzma_stream_decoder(&d, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    printf("decoder init failed\n");
    return 1;
  }
  size_t nb = run(&d, packed, pa, back, n + 1, 333, 777, &calls);
  printf("decoded %zu bytes, %s\n", nb, nb == n && memcmp(back, data, n) == 0 ? "identical" : "DIFFERENT");
  lzma_end(&d);
  /* The multi-threaded decoder: its options struct (reserved pointers, a filter chain that
   * decoders ignore, here the empty chain: only its terminating element) travels per call. */
  lzma_filter empty_chain[1] = {{LZMA_VLI_UNKNOWN, NULL}};
  lzma_mt mt;
  memset(&mt, 0, sizeof mt);
  mt.threads = 2;
  mt.filters = empty_chain;
  mt.memlimit_threading = mt.memlimit_stop = UINT64_MAX;
  lzma_stream m = LZMA_STREAM_INIT;
  if (lzma_stream_decoder_mt(&m, &mt) != LZMA_OK) {
    printf("multi-threaded decoder init failed\n");
    return 1;
  }
  size_t nm = run(&m, packed, pa, back, n + 1, 50000, 9000, &calls);
  printf("multi-threaded decoder: %zu bytes, %s\n", nm, nm == n && memcmp(back, data, n) == 0 ? "identical" : "DIFFERENT");
  lzma_end(&m);
  /* Filter chains end at the element whose id is LZMA_VLI_UNKNOWN: each travels up to it,
   * and the library's verdict on it is the one natively (none of these ends with LZMA). */
  lzma_filter bcj[3] = {{LZMA_FILTER_X86, NULL}, {LZMA_FILTER_ARM64, NULL}, {LZMA_VLI_UNKNOWN, NULL}};
  printf("chain memusage: empty %llu, two BCJ filters %llu\n",
         (unsigned long long)lzma_raw_decoder_memusage(empty_chain), (unsigned long long)lzma_raw_encoder_memusage(bcj));
  printf("raw decoder of a BCJ-only chain: %d\n", (int)lzma_raw_decoder(&m, bcj + 1));
  lzma_end(&m);
  /* A Stream Header: its buffer is LZMA_STREAM_HEADER_SIZE bytes, as the docs state. */
  lzma_stream_flags flags, flags_back;
  memset(&flags, 0, sizeof flags);
  flags.version = 0;
  flags.check = LZMA_CHECK_CRC32;
  uint8_t header[LZMA_STREAM_HEADER_SIZE];
  lzma_ret hr = lzma_stream_header_encode(&flags, header);
  lzma_ret hd = lzma_stream_header_decode(&flags_back, header);
  printf("stream header: encode %d, crc %08x, decode %d, check %d\n", (int)hr, crc_of(header, sizeof header), (int)hd,
         (int)flags_back.check);
  /* Single-call encoding into a buffer from a position past its start: the library reads
   * *out_pos (where to write), moves it, and leaves what lies before it alone. */
  size_t start = 7, out_pos = start;
  memset(packed, 0xA5, start);
  lzma_ret r = lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, data, n, packed, &out_pos, n + n / 2 + 4096);
  size_t kept = 0;
  for (size_t i = 0; i < start; ++i) kept += packed[i] == 0xA5;
  printf("buffer encode: %d, %zu bytes from position %zu (prefix %s), crc %08x\n", (int)r, out_pos - start, start,
         kept == start ? "kept" : "OVERWRITTEN", crc_of(packed + start, out_pos - start));
  lzma_stream e = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&e, UINT64_MAX, 0) != LZMA_OK) {
    printf("decoder init failed\n");
    return 1;
  }
  size_t ne = run(&e, packed + start, out_pos - start, back, n + 1, 4096, 65536, &calls);
  printf("buffer-encoded stream decoded: %zu bytes, %s\n", ne, ne == n && memcmp(back, data, n) == 0 ? "identical" : "DIFFERENT");
  lzma_end(&e);
  /* A stream used after its end is a fresh one for the library: it says so. */
  uint8_t one = 0;
  d.next_in = &one;
  d.avail_in = 1;
  d.next_out = back;
  d.avail_out = 1;
  printf("lzma_code after lzma_end: %d\n", (int)lzma_code(&d, LZMA_RUN));
  printf("lzma_code calls: %s\n", calls > 10 ? "many" : "few");
  /* `left` is never ended: the server ends it when this program disconnects. */
  free(data);
  free(packed);
  free(packed9);
  free(back);
  return 0;
}
