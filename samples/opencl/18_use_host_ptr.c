/* 18: buffers created with CL_MEM_USE_HOST_PTR: the implementation keeps using the
 * program's memory after clCreateBuffer returns (issue 15: through the stack it once
 * read freed scratch memory). Other calls run in between, a kernel updates the buffer,
 * a map returns the program's own memory (host_ptr + offset) holding the results, and
 * an unmap after writing through that pointer feeds the next kernel. */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */
#include <stdint.h>

#include "common/sample_util.h"

static const char *kSource =
    "__kernel void scale_add(__global int *v, int mul, int add) {\n"
    "  size_t i = get_global_id(0);\n"
    "  v[i] = v[i] * mul + add;\n"
    "}\n";

enum { N = 8192 };

static long long sum_of(const cl_int *v, size_t n) {
  long long s = 0;
  for (size_t i = 0; i < n; ++i) s += v[i];
  return s;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "scale_add");

  cl_int *host = NULL, *other = NULL;
  if (posix_memalign((void **)&host, 4096, N * sizeof(cl_int)) || posix_memalign((void **)&other, 4096, N * sizeof(cl_int)))
    return 1;
  for (int i = 0; i < N; ++i) host[i] = i % 97;
  for (int i = 0; i < N; ++i) other[i] = 1000 + i;
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_USE_HOST_PTR, N * sizeof(cl_int), host);
  /* More calls and a second USE_HOST_PTR buffer before the first is used. */
  cl_mem buf2 = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, N * sizeof(cl_int), other);
  size_t got = 0;
  CHECK(clGetMemObjectInfo(buf, CL_MEM_SIZE, sizeof got, &got, NULL));
  printf("buffer size: %zu\n", got);

  cl_int mul = 3, add = 7;
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(kernel, 1, sizeof mul, &mul));
  CHECK(clSetKernelArg(kernel, 2, sizeof add, &add));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clFinish(queue));

  /* A read into other memory sees the kernel's results. */
  cl_int *copy = malloc(N * sizeof(cl_int));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, N * sizeof(cl_int), copy, 0, NULL, NULL));
  printf("read back: sum %lld, v[5] %d\n", sum_of(copy, N), copy[5]);

  /* A map of a window returns the program's own memory holding the results. */
  const size_t first = 100, count = 1000;
  cl_int err = CL_SUCCESS;
  cl_int *m = (cl_int *)clEnqueueMapBuffer(queue, buf, CL_TRUE, CL_MAP_READ | CL_MAP_WRITE, first * sizeof(cl_int),
                                           count * sizeof(cl_int), 0, NULL, NULL, &err);
  CHECK_ERR(err, "clEnqueueMapBuffer");
  printf("map returns host_ptr + offset: %s\n", m == host + first ? "yes" : "no");
  printf("mapped window: sum %lld, first %d\n", sum_of(m, count), m[0]);
  for (size_t i = 0; i < count; ++i) m[i] = -(cl_int)i;
  CHECK(clEnqueueUnmapMemObject(queue, buf, m, 0, NULL, NULL));
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, N * sizeof(cl_int), copy, 0, NULL, NULL));
  printf("after writing through the map and a second kernel: sum %lld, v[%zu] %d\n", sum_of(copy, N), first + 1,
         copy[first + 1]);
  CHECK(clEnqueueReadBuffer(queue, buf2, CL_TRUE, 0, N * sizeof(cl_int), copy, 0, NULL, NULL));
  printf("second buffer: sum %lld\n", sum_of(copy, N));

  CHECK(clReleaseMemObject(buf2));
  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(copy);
  free(other);
  free(host);
  return 0;
}
