/* 06: clEnqueueMapBuffer for writing and reading a buffer, both blocking. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void square_plus(__global int *v, int add) {\n"
    "  size_t i = get_global_id(0);\n"
    "  v[i] = v[i] * v[i] + add;\n"
    "}\n";

enum { N = 4096 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "square_plus");
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, N * sizeof(cl_int), NULL);

  /* Map for writing: the previous contents need not be preserved. */
  cl_int err = CL_SUCCESS;
  cl_int *w = (cl_int *)clEnqueueMapBuffer(queue, buf, CL_TRUE, CL_MAP_WRITE_INVALIDATE_REGION, 0,
                                           N * sizeof(cl_int), 0, NULL, NULL, &err);
  CHECK_ERR(err, "clEnqueueMapBuffer(write)");
  for (int i = 0; i < N; ++i) w[i] = i % 100 - 50;
  cl_event unmapped = NULL;
  CHECK(clEnqueueUnmapMemObject(queue, buf, w, 0, NULL, &unmapped));
  CHECK(clWaitForEvents(1, &unmapped));
  CHECK(clReleaseEvent(unmapped));
  printf("mapped write of %d ints: ok\n", N);

  cl_int add = 11;
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(kernel, 1, sizeof add, &add));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));

  /* Map a window in the middle for reading; the blocking map waits for the kernel. */
  const size_t first = 1000, count = 2000;
  cl_int *r = (cl_int *)clEnqueueMapBuffer(queue, buf, CL_TRUE, CL_MAP_READ, first * sizeof(cl_int),
                                           count * sizeof(cl_int), 0, NULL, NULL, &err);
  CHECK_ERR(err, "clEnqueueMapBuffer(read)");
  long long sum = 0;
  for (size_t k = 0; k < count; ++k) {
    int i = (int)(first + k);
    int base = i % 100 - 50;
    EXPECT(r[k] == base * base + add, "element %d = %d", i, r[k]);
    sum += r[k];
  }
  cl_uint map_count = 0;
  CHECK(clGetMemObjectInfo(buf, CL_MEM_MAP_COUNT, sizeof map_count, &map_count, NULL));
  fprintf(stderr, "map count while mapped: %u\n", map_count);
  CHECK(clEnqueueUnmapMemObject(queue, buf, r, 0, NULL, NULL));
  CHECK(clFinish(queue));
  printf("mapped read of window [%zu, %zu): ok, sum %lld\n", first, first + count, sum);

  /* A plain read agrees with what the map showed. */
  cl_int *all = (cl_int *)malloc(N * sizeof(cl_int));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, N * sizeof(cl_int), all, 0, NULL, NULL));
  long long total = 0;
  for (int i = 0; i < N; ++i) total += all[i];
  printf("full read sum: %lld\n", total);
  free(all);

  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
