/* Lists of a batched call sized by its one count (a fixture for
 * tests/inference/test_batched_lists.cpp). */
#ifndef BATCHED_LISTS_H
#define BATCHED_LISTS_H
#include <stddef.h>

typedef struct bl_buffer_s *bl_buffer;

/* Per-item scalars and offsets into two device buffers; batch_count of each. */
int bl_scale_batched(size_t n, bl_buffer x, const size_t *x_offsets, size_t x_inc, const float *alphas,
                     bl_buffer y, const size_t *y_offsets, size_t y_inc, size_t batch_count);
/* Ambiguous: `n` right before `alphas` claims it by position, the offsets have no size:
 * the lists of one call share one count, and which it is is not clear. */
int bl_axpy_batched(size_t n, const float *alphas, bl_buffer x, const size_t *x_offsets, size_t x_inc,
                    size_t batch_count);
/* One list beside an unrelated count: it may end otherwise; left unsized (refused). */
int bl_retry(const float *weights, int flags, int retry_count);
/* Plural outputs beside a lone count are not sized by it (a count, a unit). */
int bl_split(unsigned *nb_groups, unsigned flags, unsigned min_count);

#endif
