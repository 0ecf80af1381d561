/* Brotli one-shot compression and decompression, for the stacks inferred from
   brotli/encode.h and brotli/decode.h (C99 array parameters whose extents are other
   parameters: `uint8_t encoded_buffer[*encoded_size]`). `enc`: compresses at several
   qualities (through the encoder's stack when remoted) and checks each with the real
   decoder; `dec`: compresses with the real encoder and decompresses (through the decoder's
   stack when remoted), with a buffer too small and a corrupt input too. Prints what a
   remoted run must print identically. Usage: brotli_roundtrip enc|dec BYTES */
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fnv1a(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* Text that compresses, then bytes that hardly do. */
static uint8_t *make_input(size_t n) {
  uint8_t *in = malloc(n);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; ++i) {
    if (i < n / 2) {
      in[i] = (uint8_t)("remoting an API, one call at a time. "[i % 37]);
    } else {
      x = x * 1103515245u + 12345u;
      in[i] = (uint8_t)(x >> 16);
    }
  }
  return in;
}

static int encode_side(const uint8_t *in, size_t n) {
  printf("encoder version %u\n", (unsigned)BrotliEncoderVersion());
  const int qualities[] = {0, 5, 11};
  for (int k = 0; k < 3; ++k) {
    size_t cap = BrotliEncoderMaxCompressedSize(n);
    uint8_t *out = malloc(cap);
    size_t encoded = cap;
    int ok = BrotliEncoderCompress(qualities[k], 22, BROTLI_MODE_GENERIC, n, in, &encoded, out);
    uint8_t *back = malloc(n);
    size_t decoded = n;
    BrotliDecoderResult r = BrotliDecoderDecompress(encoded, out, &decoded, back);
    printf("quality %d: ok %d, %zu -> %zu bytes, hash %016llx, round trip %s\n", qualities[k], ok, n, encoded,
           (unsigned long long)fnv1a(out, encoded),
           r == BROTLI_DECODER_RESULT_SUCCESS && decoded == n && memcmp(back, in, n) == 0 ? "identical" : "DIFFERENT");
    free(back);
    free(out);
  }
  /* An output buffer too small: the call fails. */
  uint8_t tiny[16];
  size_t small = sizeof tiny;
  printf("too small an output: ok %d\n", BrotliEncoderCompress(9, 22, BROTLI_MODE_TEXT, n, in, &small, tiny));
  return 0;
}

static int decode_side(const uint8_t *in, size_t n) {
  printf("decoder version %u\n", (unsigned)BrotliDecoderVersion());
  size_t cap = BrotliEncoderMaxCompressedSize(n), encoded = cap;
  uint8_t *packed = malloc(cap);
  if (!BrotliEncoderCompress(9, 22, BROTLI_MODE_GENERIC, n, in, &encoded, packed)) return 1;
  uint8_t *back = malloc(n);
  size_t decoded = n;
  BrotliDecoderResult r = BrotliDecoderDecompress(encoded, packed, &decoded, back);
  printf("decompress: result %d, %zu bytes, %s\n", (int)r, decoded,
         decoded == n && memcmp(back, in, n) == 0 ? "identical to the input" : "DIFFERENT");
  size_t short_size = n / 3;
  r = BrotliDecoderDecompress(encoded, packed, &short_size, back);
  printf("output too small: result %d\n", (int)r);
  packed[encoded / 2] ^= 0x5a;
  decoded = n;
  r = BrotliDecoderDecompress(encoded, packed, &decoded, back);
  printf("corrupt input: result %d\n", (int)r);
  printf("error string: %s\n", BrotliDecoderErrorString(BROTLI_DECODER_ERROR_FORMAT_PADDING_1));
  free(back);
  free(packed);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s enc|dec BYTES\n", argv[0]);
    return 2;
  }
  size_t n = (size_t)strtoull(argv[2], NULL, 10);
  uint8_t *in = make_input(n);
  int rc = strcmp(argv[1], "enc") == 0 ? encode_side(in, n) : decode_side(in, n);
  free(in);
  return rc;
}
