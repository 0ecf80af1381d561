/* Chunked transfers through the OpenCL stack (tests/codegen/test_opencl_stack.cpp,
 * "[opencl-chunked]"): writes of 3 MiB + 3 bytes (argv[1]: another size), blocking and
 * non-blocking, at offset 0 and at an odd offset, read back whole and checked byte for
 * byte; reads of an odd sub-range at an odd offset into an odd place of the program's
 * memory; then a write and a read that run past the buffer's end, whose error must be the
 * call's.
 * Prints one line per check, the same natively and remoted with splitting on or off
 * (the test makes pieces of 64 KiB: dozens per transfer, the last one short). */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(call)                                                                \
  do {                                                                             \
    cl_int e_ = (call);                                                            \
    if (e_ != CL_SUCCESS) {                                                        \
      fprintf(stderr, "%s:%d: %s failed with %d\n", __FILE__, __LINE__, #call, e_); \
      return 1;                                                                    \
    }                                                                              \
  } while (0)

static unsigned long long checksum(const unsigned char *p, size_t n) {
  unsigned long long h = 1469598103934665603ull;
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

int main(int argc, char **argv) {
  const size_t total = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : ((size_t)3 << 20) + 3;
  const size_t odd = ((size_t)64 << 10) + 5;
  if (total < 2 * odd) return 1;
  cl_platform_id platform;
  cl_device_id device;
  cl_int err;
  CHECK(clGetPlatformIDs(1, &platform, NULL));
  CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL));
  cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  CHECK(err);
  cl_command_queue queue = clCreateCommandQueueWithProperties(context, device, NULL, &err);
  CHECK(err);
  cl_mem buffer = clCreateBuffer(context, CL_MEM_READ_WRITE, total, NULL, &err);
  CHECK(err);
  unsigned char *src = malloc(total), *dst = malloc(total);
  if (!src || !dst) return 1;
  for (size_t i = 0; i < total; ++i) src[i] = (unsigned char)(i * 131 + (i >> 20) * 7 + 3);

  CHECK(clEnqueueWriteBuffer(queue, buffer, CL_TRUE, 0, total, src, 0, NULL, NULL));
  memset(dst, 0, total);
  CHECK(clEnqueueReadBuffer(queue, buffer, CL_TRUE, 0, total, dst, 0, NULL, NULL));
  printf("blocking write of %zu bytes: %s, checksum %llx\n", total, memcmp(src, dst, total) ? "WRONG" : "same",
         checksum(dst, total));

  /* Non-blocking, at an odd offset, from another part of the source; clFinish waits. */
  CHECK(clEnqueueWriteBuffer(queue, buffer, CL_FALSE, odd, total - odd, src + 7, 0, NULL, NULL));
  CHECK(clFinish(queue));
  memset(dst, 0, total);
  CHECK(clEnqueueReadBuffer(queue, buffer, CL_TRUE, 0, total, dst, 0, NULL, NULL));
  int same = memcmp(dst, src, odd) == 0 && memcmp(dst + odd, src + 7, total - odd) == 0;
  printf("non-blocking write at offset %zu: %s, checksum %llx\n", odd, same ? "same" : "WRONG", checksum(dst, total));

  /* With an event the call goes whole; the event works as natively. */
  cl_event ev;
  CHECK(clEnqueueWriteBuffer(queue, buffer, CL_FALSE, 0, total, src, 0, NULL, &ev));
  CHECK(clWaitForEvents(1, &ev));
  cl_int status = 0;
  CHECK(clGetEventInfo(ev, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL));
  CHECK(clReleaseEvent(ev));
  memset(dst, 0, total);
  CHECK(clEnqueueReadBuffer(queue, buffer, CL_TRUE, 0, total, dst, 0, NULL, NULL));
  printf("write with an event: status %d, %s\n", status, memcmp(src, dst, total) ? "WRONG" : "same");

  /* A read of an odd sub-range at an odd offset, into an odd place: the bytes around it
   * must stay untouched. */
  const size_t sub = total - 2 * odd + 1;
  memset(dst, 0xA5, total);
  CHECK(clEnqueueReadBuffer(queue, buffer, CL_TRUE, odd, sub, dst + 3, 0, NULL, NULL));
  same = memcmp(dst + 3, src + odd, sub) == 0 && dst[0] == 0xA5 && dst[2] == 0xA5 && dst[3 + sub] == 0xA5;
  printf("read of %zu bytes at offset %zu: %s\n", sub, odd, same ? "same" : "WRONG");

  /* Past the end: the call's error, whichever piece meets it. */
  err = clEnqueueWriteBuffer(queue, buffer, CL_TRUE, odd, total, src, 0, NULL, NULL);
  printf("write past the end: %d\n", err);
  err = clFinish(queue);
  printf("next call after it: %d\n", err);
  err = clEnqueueReadBuffer(queue, buffer, CL_TRUE, odd, total, dst, 0, NULL, NULL);
  printf("read past the end: %d\n", err);
  err = clFinish(queue);
  printf("next call after it: %d\n", err);

  CHECK(clReleaseMemObject(buffer));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(src);
  free(dst);
  return 0;
}
