/* A made-up object store API for the chunked-transfer rule (tests/inference/test_chunked_transfers.cpp):
 * which calls move a data range that may be split into calls on consecutive sub-ranges. */
#ifndef BLOB_STORE_H
#define BLOB_STORE_H
#include <stddef.h>

typedef struct _bs_blob *bs_blob;
typedef int bs_status;
#define BS_SUCCESS 0
#define BS_ERROR_INVALID -1
#define BS_ERROR_RANGE -2

bs_status bsCreateBlob(size_t capacity, bs_blob *blob_ret);
bs_status bsReleaseBlob(bs_blob blob);
/* Writes size bytes of data at byte offset offset of the blob: splittable. */
bs_status bsWriteBlob(bs_blob blob, size_t offset, size_t size, const void *data);
/* Reads count floats starting at element first_offset: splittable (elements). */
bs_status bsReadFloats(bs_blob blob, size_t first_offset, size_t count, float *values);
/* Fills [offset, offset+size) with a pattern of pattern_size bytes: the offset starts the
 * range of `size`, not of the pattern. Not splittable by the pattern. */
bs_status bsFillBlob(bs_blob blob, const void *pattern, size_t pattern_size, size_t offset, size_t size);
/* A look-alike without an offset: a whole-object replace, never split. */
bs_status bsReplaceBlob(bs_blob blob, size_t size, const void *data);
/* An offset that is not next to the size (a header field position): no claim. */
bs_status bsStampBlob(bs_blob blob, size_t offset, int flags, size_t size, const void *data);
/* Returns how many bytes it read: the pieces' counts would not combine. */
long bsReadSome(bs_blob blob, size_t offset, size_t size, void *data);
#endif
