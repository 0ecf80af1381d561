/* C99 array parameters whose extents are other parameters (Brotli's one-shot calls write
   them through a macro), for type_facts.cpp / declaration_collector.cpp / size_companions.cpp. */
#include <stddef.h>
#include <stdint.h>
#define AP_ARRAY(n) (n)
int apPack(size_t input_size, const uint8_t input[AP_ARRAY(input_size)], size_t *packed_size,
           uint8_t packed[AP_ARRAY(*packed_size)]);
int apSum(size_t rows, size_t cols, const double m[rows * cols], double *out);
