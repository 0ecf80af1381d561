/* A libbz2 client written the way applications use the library (the stream loop of
 * the manual, one-shot buffer calls, the stdio-file interface), traced by
 * bench_accuracy for the "+ docs + traces" column (docs/accuracy.md). Silent unless
 * something fails. Usage: bzip2_usage DIR */
#include <bzlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) {
  fprintf(stderr, "bzip2_usage: %s failed\n", what);
  return 1;
}

static char *make_input(unsigned n, unsigned seed) {
  char *p = malloc(n);
  for (unsigned i = 0; i < n; ++i) p[i] = "lorem ipsum dolor sit amet "[(i * 5 + seed) % 27];
  return p;
}

static int stream_roundtrip(char *in, unsigned n, int block) {
  bz_stream c;
  memset(&c, 0, sizeof c);
  if (BZ2_bzCompressInit(&c, block, 0, 30) != BZ_OK) return fail("BZ2_bzCompressInit");
  unsigned cap = n + n / 100 + 600, used = 0;
  char *packed = malloc(cap);
  c.next_in = in;
  c.avail_in = n;
  int ret;
  do {
    char out[2048];
    c.next_out = out;
    c.avail_out = sizeof out;
    ret = BZ2_bzCompress(&c, c.avail_in ? BZ_RUN : BZ_FINISH);
    memcpy(packed + used, out, sizeof out - c.avail_out);
    used += sizeof out - c.avail_out;
  } while (ret != BZ_STREAM_END);
  BZ2_bzCompressEnd(&c);

  bz_stream d;
  memset(&d, 0, sizeof d);
  if (BZ2_bzDecompressInit(&d, 0, 0) != BZ_OK) return fail("BZ2_bzDecompressInit");
  char *back = malloc(n);
  unsigned got = 0;
  d.next_in = packed;
  d.avail_in = used;
  do {
    d.next_out = back + got;
    d.avail_out = n - got < 1024 ? n - got : 1024;
    ret = BZ2_bzDecompress(&d);
    got = (unsigned)(d.next_out - back);
  } while (ret == BZ_OK && got < n);
  BZ2_bzDecompressEnd(&d);
  int same = got == n && memcmp(back, in, n) == 0;
  free(back);
  free(packed);
  return same ? 0 : fail("stream round trip");
}

static int buffers(char *in, unsigned n, int block) {
  unsigned packed_len = n + n / 100 + 600;
  char *packed = malloc(packed_len);
  if (BZ2_bzBuffToBuffCompress(packed, &packed_len, in, n, block, 0, 0) != BZ_OK)
    return fail("BZ2_bzBuffToBuffCompress");
  unsigned back_len = n;
  char *back = malloc(n);
  if (BZ2_bzBuffToBuffDecompress(back, &back_len, packed, packed_len, 0, 0) != BZ_OK)
    return fail("BZ2_bzBuffToBuffDecompress");
  int same = back_len == n && memcmp(back, in, n) == 0;
  free(back);
  free(packed);
  return same ? 0 : fail("buffer round trip");
}

static int files(const char *dir, char *in, unsigned n, int round) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bzip2_usage_%d.bz2", dir, round);
  FILE *f = fopen(path, "wb");
  if (!f) return fail("fopen");
  int err = 0;
  BZFILE *w = BZ2_bzWriteOpen(&err, f, 9, 0, 0);
  if (err != BZ_OK) return fail("BZ2_bzWriteOpen");
  BZ2_bzWrite(&err, w, in, (int)n / 2);
  BZ2_bzWrite(&err, w, in + n / 2, (int)(n - n / 2));
  unsigned in_lo = 0, in_hi = 0, out_lo = 0, out_hi = 0;
  if (round % 2)
    BZ2_bzWriteClose64(&err, w, 0, &in_lo, &in_hi, &out_lo, &out_hi);
  else
    BZ2_bzWriteClose(&err, w, 0, &in_lo, &out_lo);
  fclose(f);

  f = fopen(path, "rb");
  BZFILE *r = BZ2_bzReadOpen(&err, f, 0, 0, NULL, 0);
  if (err != BZ_OK) return fail("BZ2_bzReadOpen");
  char *back = malloc(n);
  int got = 0;
  while (err == BZ_OK) {
    int k = BZ2_bzRead(&err, r, back + got, (int)n - got < 700 ? (int)n - got : 700);
    got += k;
    if (got == (int)n) break;
  }
  void *unused = NULL;
  int n_unused = 0;
  if (err == BZ_STREAM_END) BZ2_bzReadGetUnused(&err, r, &unused, &n_unused);
  BZ2_bzReadClose(&err, r);
  fclose(f);
  int same = got == (int)n && memcmp(back, in, n) == 0;
  free(back);
  remove(path);
  return same ? 0 : fail("file round trip");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  if (!BZ2_bzlibVersion()) return fail("BZ2_bzlibVersion");
  static const unsigned sizes[] = {3000, 9000, 20000};
  for (int round = 0; round < 3; ++round) {
    char *in = make_input(sizes[round], (unsigned)round);
    if (stream_roundtrip(in, sizes[round], round + 1) || buffers(in, sizes[round], 9 - round) ||
        files(dir, in, sizes[round], round))
      return 1;
    free(in);
  }
  return 0;
}
