/* A zlib client written the way applications use the library (zpipe.c's streaming
 * loop, one-shot compress/uncompress, gzip files, dictionaries, checksums), traced
 * by bench_accuracy for the "+ docs + traces" column (docs/accuracy.md). It prints
 * nothing unless something fails; exit 0 on success. Usage: zlib_usage DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 4096

static int fail(const char *what) {
  fprintf(stderr, "zlib_usage: %s failed\n", what);
  return 1;
}

/* Text with repeats, of a length that varies per round (sizes must vary for a
 * trace to tell a size from a constant). */
static unsigned char *make_input(size_t n, unsigned seed) {
  unsigned char *p = malloc(n);
  for (size_t i = 0; i < n; ++i) p[i] = (unsigned char)("the quick brown fox "[(i * 7 + seed) % 20]);
  return p;
}

/* zpipe.c: deflate in CHUNK pieces, inflate back in CHUNK pieces. */
static int stream_roundtrip(const unsigned char *in, size_t n, int level) {
  z_stream d, i;
  memset(&d, 0, sizeof d);
  if (deflateInit(&d, level) != Z_OK) return fail("deflateInit");
  size_t cap = deflateBound(&d, (uLong)n) + 64, used = 0;
  unsigned char *packed = malloc(cap);
  for (size_t at = 0; at < n;) {
    size_t take = n - at < CHUNK ? n - at : CHUNK;
    d.next_in = (Bytef *)in + at;
    d.avail_in = (uInt)take;
    at += take;
    int flush = at == n ? Z_FINISH : Z_NO_FLUSH;
    do {
      unsigned char out[CHUNK];
      d.next_out = out;
      d.avail_out = CHUNK;
      if (deflate(&d, flush) == Z_STREAM_ERROR) return fail("deflate");
      size_t have = CHUNK - d.avail_out;
      memcpy(packed + used, out, have);
      used += have;
    } while (d.avail_out == 0);
  }
  deflateEnd(&d);

  memset(&i, 0, sizeof i);
  if (inflateInit(&i) != Z_OK) return fail("inflateInit");
  unsigned char *back = malloc(n + 1);
  size_t got = 0;
  i.next_in = packed;
  i.avail_in = (uInt)used;
  int ret;
  do {
    unsigned char out[CHUNK];
    i.next_out = out;
    i.avail_out = CHUNK;
    ret = inflate(&i, Z_NO_FLUSH);
    if (ret == Z_STREAM_ERROR || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR) return fail("inflate");
    size_t have = CHUNK - i.avail_out;
    memcpy(back + got, out, have);
    got += have;
  } while (ret != Z_STREAM_END);
  inflateEnd(&i);
  int same = got == n && memcmp(back, in, n) == 0;
  free(back);
  free(packed);
  return same ? 0 : fail("stream round trip");
}

static int one_shot(const unsigned char *in, size_t n, int level) {
  uLongf packed_len = compressBound((uLong)n);
  unsigned char *packed = malloc(packed_len);
  if (compress2(packed, &packed_len, in, (uLong)n, level) != Z_OK) return fail("compress2");
  uLongf back_len = (uLongf)n;
  unsigned char *back = malloc(n);
  if (uncompress(back, &back_len, packed, packed_len) != Z_OK) return fail("uncompress");
  uLongf plain_len = compressBound((uLong)n);
  if (compress(packed, &plain_len, in, (uLong)n) != Z_OK) return fail("compress");
  uLong src_len = plain_len;
  back_len = (uLongf)n;
  if (uncompress2(back, &back_len, packed, &src_len) != Z_OK) return fail("uncompress2");
  int same = back_len == n && memcmp(back, in, n) == 0;
  free(back);
  free(packed);
  return same ? 0 : fail("one-shot round trip");
}

/* A preset dictionary, set on both sides and read back. */
static int dictionary(const unsigned char *in, size_t n) {
  static const char dict[] = "quick brown fox the";
  z_stream d;
  memset(&d, 0, sizeof d);
  if (deflateInit2(&d, 6, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return fail("deflateInit2");
  deflateSetDictionary(&d, (const Bytef *)dict, sizeof dict - 1);
  unsigned char seen[32768];
  uInt seen_len = sizeof seen;
  deflateGetDictionary(&d, seen, &seen_len);
  unsigned char packed[65536];
  d.next_in = (Bytef *)in;
  d.avail_in = (uInt)n;
  d.next_out = packed;
  d.avail_out = sizeof packed;
  deflate(&d, Z_FINISH);
  uLong packed_len = d.total_out;
  deflateEnd(&d);

  z_stream i;
  memset(&i, 0, sizeof i);
  inflateInit2(&i, 15);
  unsigned char *back = malloc(n);
  i.next_in = packed;
  i.avail_in = (uInt)packed_len;
  i.next_out = back;
  i.avail_out = (uInt)n;
  int ret = inflate(&i, Z_FINISH);
  if (ret == Z_NEED_DICT) {
    inflateSetDictionary(&i, (const Bytef *)dict, sizeof dict - 1);
    ret = inflate(&i, Z_FINISH);
  }
  unsigned char got_dict[32768];
  uInt got_len = sizeof got_dict;
  inflateGetDictionary(&i, got_dict, &got_len);
  inflateEnd(&i);
  free(back);
  return ret == Z_STREAM_END ? 0 : fail("dictionary round trip");
}

/* gzip headers, copies of a stream, parameter changes, pending output. */
static int stream_state(const unsigned char *in, size_t n) {
  z_stream d, copy;
  memset(&d, 0, sizeof d);
  deflateInit2(&d, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  gz_header head;
  memset(&head, 0, sizeof head);
  head.name = (Bytef *)"bench.txt";
  head.comment = (Bytef *)"traced";
  deflateSetHeader(&d, &head);
  deflateTune(&d, 8, 16, 32, 64);
  unsigned char packed[65536];
  d.next_in = (Bytef *)in;
  d.avail_in = (uInt)(n / 2);
  d.next_out = packed;
  d.avail_out = sizeof packed;
  deflate(&d, Z_NO_FLUSH);
  deflateParams(&d, 9, Z_FILTERED);
  unsigned pending = 0;
  int bits = 0;
  deflatePending(&d, &pending, &bits);
  deflateCopy(&copy, &d);
  deflateEnd(&copy);
  d.next_in = (Bytef *)in + n / 2;
  d.avail_in = (uInt)(n - n / 2);
  deflate(&d, Z_FINISH);
  uLong packed_len = d.total_out;
  deflateReset(&d);
  deflateEnd(&d);

  z_stream i, icopy;
  memset(&i, 0, sizeof i);
  inflateInit2(&i, 31);
  gz_header got;
  unsigned char name[64], comment[64];
  memset(&got, 0, sizeof got);
  got.name = name;
  got.name_max = sizeof name;
  got.comment = comment;
  got.comm_max = sizeof comment;
  inflateGetHeader(&i, &got);
  unsigned char *back = malloc(n);
  i.next_in = packed;
  i.avail_in = (uInt)packed_len;
  i.next_out = back;
  i.avail_out = (uInt)n;
  inflate(&i, Z_BLOCK);
  inflateMark(&i);
  inflateCopy(&icopy, &i);
  inflateEnd(&icopy);
  int ret = inflate(&i, Z_FINISH);
  inflateReset(&i);
  inflateReset2(&i, 15);
  inflateEnd(&i);
  free(back);
  return ret == Z_STREAM_END ? 0 : fail("gzip stream");
}

static int gz_files(const char *dir, const unsigned char *in, size_t n, int round) {
  char path[4096];
  snprintf(path, sizeof path, "%s/zlib_usage_%d.gz", dir, round);
  gzFile w = gzopen(path, "wb");
  if (!w) return fail("gzopen");
  gzbuffer(w, 16384);
  gzsetparams(w, 9, Z_DEFAULT_STRATEGY);
  gzwrite(w, in, (unsigned)n);
  gzputs(w, "\nsecond line\n");
  gzputc(w, 'x');
  gzfwrite(in, 1, n / 4, w);
  gzflush(w, Z_SYNC_FLUSH);
  gzclose_w(w);

  gzFile r = gzopen(path, "rb");
  if (!r) return fail("gzopen (read)");
  unsigned char *back = malloc(n);
  int got = gzread(r, back, (unsigned)n);
  char line[256];
  gzgets(r, line, sizeof line);
  gzgets(r, line, sizeof line);
  int c = gzgetc(r);
  gzungetc(c, r);
  gzfread(back, 1, n / 4, r);
  gzeof(r);
  gzdirect(r);
  int errnum = 0;
  gzerror(r, &errnum);
  gzclearerr(r);
  gzrewind(r);
  gzread(r, back, 16);
  gzclose_r(r);
  r = gzopen(path, "rb");
  gzread(r, back, (unsigned)(n / 3));
  gzclose(r);
  int same = got == (int)n && memcmp(back, in, 16) == 0;
  free(back);
  remove(path);
  return same ? 0 : fail("gzip file round trip");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  if (strcmp(zlibVersion(), ZLIB_VERSION) != 0 && zlibVersion()[0] != ZLIB_VERSION[0]) return fail("zlibVersion");
  (void)zlibCompileFlags();
  (void)zError(Z_DATA_ERROR);
  (void)get_crc_table();
  static const size_t sizes[] = {1000, 5000, 12000, 30000};
  for (int round = 0; round < 4; ++round) {
    size_t n = sizes[round];
    unsigned char *in = make_input(n, (unsigned)round);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, in, (uInt)n);
    crc = crc32_z(crc, in, n);
    uLong adler = adler32(1L, in, (uInt)n);
    adler = adler32_z(adler, in, n);
    (void)crc;
    (void)adler;
    if (stream_roundtrip(in, n, round * 3) || one_shot(in, n, round + 1) || dictionary(in, n) ||
        stream_state(in, n) || gz_files(dir, in, n, round))
      return 1;
    free(in);
  }
  return 0;
}
