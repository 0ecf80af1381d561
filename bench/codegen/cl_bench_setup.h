/* Shared by the OpenCL bench programs (bulk_transfer_probe.c, bandwidth_programs.c): the
 * error check, and the set-up they all start with (the first platform's first device, a
 * context and an in-order queue on it). Any failure ends the program with the call and
 * its error code: a bench that measures a failing call would report nonsense. */
#ifndef REMORA_CL_BENCH_SETUP_H
#define REMORA_CL_BENCH_SETUP_H

#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                                \
  do {                                                                             \
    cl_int e_ = (call);                                                            \
    if (e_ != CL_SUCCESS) {                                                        \
      fprintf(stderr, "%s:%d: %s failed with %d\n", __FILE__, __LINE__, #call, e_); \
      exit(1);                                                                     \
    }                                                                              \
  } while (0)

struct ClBench {
  cl_device_id device;
  cl_context context;
  cl_command_queue queue;
};

static inline struct ClBench cl_bench_open(void) {
  struct ClBench b;
  cl_platform_id platform;
  cl_uint count = 0;
  cl_int err;
  CHECK(clGetPlatformIDs(1, &platform, &count));
  CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &b.device, &count));
  b.context = clCreateContext(NULL, 1, &b.device, NULL, NULL, &err);
  CHECK(err);
  b.queue = clCreateCommandQueueWithProperties(b.context, b.device, NULL, &err);
  CHECK(err);
  return b;
}

static inline void cl_bench_close(struct ClBench *b) {
  CHECK(clReleaseCommandQueue(b->queue));
  CHECK(clReleaseContext(b->context));
}

#endif
