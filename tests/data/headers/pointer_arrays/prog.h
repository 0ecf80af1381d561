/* A made-up program-object API whose info query returns per-device binaries through
 * caller-allocated pointers (tests/inference/test_pointer_array_whens.cpp). */
#ifndef PROG_H
#define PROG_H
#include <stddef.h>

typedef struct _prog *prog_t;
typedef unsigned int prog_info;

#define PROG_NUM_DEVICES 0x1
#define PROG_BINARIES 0x2
#ifdef PROG_WITH_SIZES
#define PROG_BINARY_SIZES 0x3
#endif

int progGetInfo(prog_t program, prog_info param_name, size_t param_value_size, void *param_value,
                size_t *param_value_size_ret);

#endif
