/* A made-up crypto-style API whose byte arrays are unsigned char / uint8_t with lengths
 * glued to their names (tests/inference/test_byte_data.cpp). */
#ifndef BYTE_DATA_H
#define BYTE_DATA_H
#include <stddef.h>
#include <stdint.h>

typedef struct bd_ctx *bd_ctx_t;
typedef unsigned char bd_byte;
typedef const bd_byte *bd_const_bytep;
typedef uint8_t bd_bool_t;

/* (out, outlen), (in, inlen), (key, keylen): lengths glued to what they measure. */
int bd_hash(unsigned char *out, size_t outlen, const unsigned char *in, unsigned long long inlen,
            const unsigned char *key, size_t keylen);
/* A nonce and a key of fixed sizes the prototype does not give, and an output longer than
 * the message: not one byte each. */
int bd_seal(unsigned char *c, const unsigned char *m, unsigned long long mlen, const unsigned char *n,
            const unsigned char *k);
int bd_set_profile(bd_ctx_t ctx, bd_const_bytep profile, unsigned int proflen);
/* One flag, a byte-sized boolean. */
int bd_is_ready(bd_ctx_t ctx, bd_bool_t *value);
/* Two calls: the size, then the bytes. */
int bd_get_binary(bd_ctx_t ctx, size_t *pSize, uint8_t *pBinary);
/* bytesize is the allocation's size in bytes, not the length of `address`. */
int bd_alloc(bd_ctx_t ctx, unsigned long long *address, size_t bytesize);

/* A capacity glued to "max" after the text it bounds. */
int bd_bin2hex(char *hex, size_t hex_maxlen, const unsigned char *bin, size_t bin_len);
/* maxlen bounds buf, not the prompt string after it. */
int bd_read_pw(char *buf, int minlen, int maxlen, const char *prompt, int verify);
/* A glued length before the output it sizes. */
int bd_derive(const char *pass, int passlen, int keylen, unsigned char *out);

#endif
