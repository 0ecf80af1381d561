/* Positions into data beside them (a fixture for tests/inference/test_cursors.cpp):
 * an integer a call reads (where to start) and moves (where it stopped), between the
 * data and its size, in the style of single-call encoders and decoders. */
#ifndef CURSORS_H
#define CURSORS_H
#include <stddef.h>
#include <stdint.h>

typedef uint64_t cur_value;

/* Encodes `value` into out[*out_pos .. out_size). */
int cur_encode(cur_value value, size_t *value_pos, uint8_t *out, size_t *out_pos, size_t out_size);
/* Decodes from in[*in_pos .. in_size) into *value. */
int cur_decode(cur_value *value, size_t *value_pos, const uint8_t *in, size_t *in_pos, size_t in_size);
/* Both: input and output, each with its position. */
int cur_convert(const uint8_t *in, size_t *in_pos, size_t in_size, uint8_t *out, size_t *out_pos,
                size_t out_size);
/* A position naming no parameter is a plain output: where the last error was found. */
int cur_error_at(int *position);
/* Positions of many items (plural): an array, counted as usual. */
int cur_positions(size_t count, size_t *positions);

#endif
