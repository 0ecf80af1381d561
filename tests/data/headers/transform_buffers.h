/* Outputs sized through a pointer: a transform of an input buffer (zlib's compress) against
   a query-then-fill getter, for the two-call nullability rule (param_rules.cpp). */
typedef unsigned long tbLen;
typedef struct tbCtx_st *tbCtx;
int tbCompress(unsigned char *dest, tbLen *destLen, const unsigned char *source, tbLen sourceLen);
int tbDecode(char *dest, unsigned int *destLen, char *source, unsigned int sourceLen);
int tbGetNames(tbCtx ctx, unsigned int *nameCount, char *names);
int tbGetInfo(tbCtx ctx, int what, const void *input, unsigned int inputSize, unsigned int valueSize, void *value,
              unsigned int *valueSizeRet);
