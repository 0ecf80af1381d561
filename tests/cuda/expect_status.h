/* Shared by the C programs that the CUDA stack runs remoted only (driver_images_program.c,
 * memory_program.c; tests/cuda/run_remoted_expect.sh): EXPECT_STATUS checks a call's
 * status and counts what failed in `failures`, so that one run reports every broken
 * expectation, not the first alone. One program a file: the counter is the program's. */
#pragma once

#include <stdio.h>

static int failures = 0;

#define EXPECT_STATUS(call, want)                                                       \
  do {                                                                                  \
    int got_ = (int)(call);                                                             \
    if (got_ != (int)(want)) {                                                          \
      fprintf(stderr, "FAILED: %s returned %d, expected %s (%d)\n", #call, got_, #want, \
              (int)(want));                                                             \
      ++failures;                                                                       \
    }                                                                                   \
  } while (0)
