/* A zlib program of our own that leans on stream state as zlib documents it: every
 * z_stream is zero-initialised (zalloc/zfree/opaque = Z_NULL: the library installs its
 * own allocator at init), two deflaters (raw and gzip framing) and an inflater alive
 * at once, fed in uneven slices into small output windows, a deflateParams change in
 * the middle, a deflateCopy, totals/adler/data_type printed, corrupt input (msg set by
 * the library), and one stream never ended (the server ends it at disconnect).
 * Run natively and through the generated stack: the outputs must match.
 * Usage: zlib_stream_roundtrip SIZE */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Deflates in[0..n) in slices of `slice` bytes into windows of `window` bytes; after
 * half the input, switches to `level2` (deflateParams) if it is >= 0. */
static size_t deflate_all(z_stream *s, const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t slice,
                          size_t window, int level2, int *calls) {
  size_t fed = 0, got = 0;
  int r = Z_OK, switched = 0;
  while (r != Z_STREAM_END) {
    if (s->avail_in == 0 && fed < n) {
      size_t k = n - fed < slice ? n - fed : slice;
      s->next_in = (Bytef *)in + fed;
      s->avail_in = (uInt)k;
      fed += k;
    }
    if (!switched && level2 >= 0 && fed >= n / 2) {
      switched = 1;
      s->next_out = out + got;
      s->avail_out = (uInt)(cap - got);
      int p = deflateParams(s, level2, Z_DEFAULT_STRATEGY);
      if (p != Z_OK && p != Z_BUF_ERROR) {
        printf("deflateParams returned %d\n", p);
        exit(2);
      }
      got = (size_t)(s->next_out - out);
    }
    size_t room = cap - got < window ? cap - got : window;
    s->next_out = out + got;
    s->avail_out = (uInt)room;
    const Bytef *before_in = s->next_in;
    r = deflate(s, fed == n ? Z_FINISH : Z_NO_FLUSH);
    ++*calls;
    if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) {
      printf("deflate returned %d (%s)\n", r, s->msg ? s->msg : "no message");
      exit(2);
    }
    /* The cursors moved by exactly what the counts say. */
    if ((size_t)(s->next_out - (out + got)) != room - s->avail_out || (before_in && s->next_in < before_in)) {
      printf("cursors and counts disagree\n");
      exit(3);
    }
    got += room - s->avail_out;
  }
  return got;
}

static int inflate_all(z_stream *s, const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t slice,
                       size_t window, size_t *got, int *calls) {
  size_t fed = 0;
  int r = Z_OK;
  *got = 0;
  while (r == Z_OK) {
    if (s->avail_in == 0 && fed < n) {
      size_t k = n - fed < slice ? n - fed : slice;
      s->next_in = (Bytef *)in + fed;
      s->avail_in = (uInt)k;
      fed += k;
    }
    size_t room = cap - *got < window ? cap - *got : window;
    s->next_out = out + *got;
    s->avail_out = (uInt)room;
    r = inflate(s, Z_NO_FLUSH);
    ++*calls;
    *got += room - s->avail_out;
    if (r == Z_BUF_ERROR && fed < n) r = Z_OK; /* needs more input */
  }
  return r;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 300000;
  size_t cap = compressBound((uLong)n) + 64;
  uint8_t *data = malloc(n), *raw = malloc(cap), *gz = malloc(cap), *copied = malloc(cap), *back = malloc(n + 1);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) { /* compressible but not trivial */
    x = x * 1103515245u + 12345u;
    data[i] = (uint8_t)("abcdefgh"[(x >> 16) & 7] + ((i / 4096) & 3));
  }
  printf("zlibVersion %s, compile flags %s\n", strcmp(zlibVersion(), ZLIB_VERSION) == 0 ? "as the header" : "other",
         zlibCompileFlags() ? "known" : "zero");
  z_stream a, g, c, left;
  memset(&a, 0, sizeof a); /* zalloc/zfree/opaque = Z_NULL: zlib's own allocator */
  memset(&g, 0, sizeof g);
  memset(&left, 0, sizeof left);
  if (deflateInit2(&a, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
      deflateInit2(&g, 9, Z_DEFLATED, 15 + 16, 9, Z_FILTERED) != Z_OK ||
      deflateInit(&left, Z_BEST_SPEED) != Z_OK) {
    printf("deflateInit failed\n");
    return 1;
  }
  printf("deflateBound %lu\n", (unsigned long)deflateBound(&a, (uLong)n));
  int calls = 0;
  size_t pa = deflate_all(&a, data, n, raw, cap, 70001, 5000, 6, &calls);
  size_t pg = deflate_all(&g, data, n / 2, gz, cap, 1 << 20, 100000, -1, &calls);
  /* A copy of a stream in the middle finishes the same way as the original. */
  memset(&c, 0, sizeof c);
  if (deflateCopy(&c, &g) != Z_OK) {
    printf("deflateCopy failed\n");
    return 1;
  }
  printf("raw: %zu bytes (total_in %lu total_out %lu adler %08lx data_type %d) crc %08lx\n", pa,
         (unsigned long)a.total_in, (unsigned long)a.total_out, (unsigned long)a.adler, a.data_type,
         crc32(0, raw, (uInt)pa));
  printf("gzip: %zu bytes crc %08lx adler32 %08lx\n", pg, crc32(0, gz, (uInt)pg), adler32(1, gz, (uInt)pg));
  /* c is ended mid-stream: zlib frees it and says Z_DATA_ERROR. */
  int ea = deflateEnd(&a), eg = deflateEnd(&g), ec = deflateEnd(&c);
  printf("deflateEnd: %d %d %d\n", ea, eg, ec);
  z_stream d;
  memset(&d, 0, sizeof d);
  if (inflateInit2(&d, -15) != Z_OK) {
    printf("inflateInit failed\n");
    return 1;
  }
  size_t nb = 0;
  int r = inflate_all(&d, raw, pa, back, n + 1, 333, 777, &nb, &calls);
  printf("inflate raw: %d, %zu bytes, %s (total_out %lu)\n", r, nb, nb == n && memcmp(back, data, n) == 0 ? "identical" : "DIFFERENT",
         (unsigned long)d.total_out);
  inflateEnd(&d);
  memset(&d, 0, sizeof d);
  inflateInit2(&d, 15 + 32); /* auto-detects the gzip header */
  r = inflate_all(&d, gz, pg, back, n + 1, 4096, 65536, &nb, &calls);
  printf("inflate gzip: %d, %zu bytes, %s\n", r, nb, nb == n / 2 && memcmp(back, data, n / 2) == 0 ? "identical" : "DIFFERENT");
  /* Corrupt input: the library sets msg, which the program reads. */
  inflateReset(&d);
  uint8_t junk[64];
  memset(junk, 0x5a, sizeof junk);
  d.next_in = junk;
  d.avail_in = sizeof junk;
  d.next_out = back;
  d.avail_out = (uInt)n;
  r = inflate(&d, Z_NO_FLUSH);
  printf("corrupt input: %d, msg \"%s\"\n", r, d.msg ? d.msg : "(null)");
  inflateEnd(&d);
  /* One-shot helpers (no stream state). */
  uLongf dl = (uLongf)cap;
  compress2(copied, &dl, data, (uLong)n, 6);
  uLongf bl = (uLongf)n;
  r = uncompress(back, &bl, copied, dl);
  printf("compress2/uncompress: %lu bytes, %d, %s\n", (unsigned long)dl, r,
         bl == n && memcmp(back, data, n) == 0 ? "identical" : "DIFFERENT");
  printf("%d stream calls; one deflater left open\n", calls);
  printf("identical\n");
  return 0; /* `left` is never ended */
}
