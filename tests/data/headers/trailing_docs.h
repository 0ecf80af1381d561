/* A header that documents each function after its prototype (zlib.h style),
   with one comment above its first declaration to make the style ambiguous. */

/* Version of the library: compare it with TD_VERSION. */
const char *tdVersion(void);

int tdCompress(unsigned char *dest, unsigned long *destLen,
               const unsigned char *source, unsigned long sourceLen);
/*
     Compresses the source buffer into the destination buffer.  sourceLen is
   the byte length of the source buffer.  Upon entry, destLen is the total size
   of the destination buffer.  Upon exit, destLen is the actual size of the
   compressed data.
*/

int tdUncompress(unsigned char *dest, unsigned long *destLen,
                 const unsigned char *source, unsigned long sourceLen);
/*
     Decompresses the source buffer into the destination buffer.  sourceLen is
   the byte length of the source buffer.
*/

int tdCloseRead(int handle);
int tdCloseWrite(int handle);
/*
     Same as tdClose, for a handle opened for reading or for writing.
*/

int tdTwice(int x);  /**< Returns x doubled. */

int tdUndocumented(int x);

int tdFill(void *outBuffer, unsigned long bufferSize);
/*
     Fills a buffer.  outBuffer is a pointer to memory where the pattern will be
   returned.  bufferSize specifies the size in bytes of memory pointed to by outBuffer.
*/
