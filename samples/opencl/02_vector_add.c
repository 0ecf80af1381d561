/* 02: vector add — the canonical buffer / kernel / blocking read round trip. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void vector_add(__global const float *a, __global const float *b,\n"
    "                         __global float *c, const unsigned int n) {\n"
    "  size_t i = get_global_id(0);\n"
    "  if (i < n) c[i] = a[i] + b[i];\n"
    "}\n";

enum { N = 65536 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "vector_add");

  float *a = (float *)malloc(N * sizeof(float));
  float *b = (float *)malloc(N * sizeof(float));
  float *c = (float *)calloc(N, sizeof(float));
  for (int i = 0; i < N; ++i) {
    a[i] = (float)i * 0.5f;
    b[i] = (float)(2 * i);
  }
  cl_mem buf_a = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, N * sizeof(float), a);
  cl_mem buf_b = sample_create_buffer(context, CL_MEM_READ_ONLY, N * sizeof(float), NULL);
  cl_mem buf_c = sample_create_buffer(context, CL_MEM_WRITE_ONLY, N * sizeof(float), NULL);
  CHECK(clEnqueueWriteBuffer(queue, buf_b, CL_TRUE, 0, N * sizeof(float), b, 0, NULL, NULL));

  cl_uint n = N;
  CHECK(clSetKernelArg(kernel, 0, sizeof(cl_mem), &buf_a));
  CHECK(clSetKernelArg(kernel, 1, sizeof(cl_mem), &buf_b));
  CHECK(clSetKernelArg(kernel, 2, sizeof(cl_mem), &buf_c));
  CHECK(clSetKernelArg(kernel, 3, sizeof(cl_uint), &n));
  size_t global = N, local = 64;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, &local, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, buf_c, CL_TRUE, 0, N * sizeof(float), c, 0, NULL, NULL));

  double sum = 0.0;
  for (int i = 0; i < N; ++i) {
    EXPECT(c[i] == a[i] + b[i], "c[%d] = %f, expected %f", i, c[i], a[i] + b[i]);
    sum += c[i];
  }
  printf("vector add n=%d: ok\n", N);
  printf("checksum: %.1f\n", sum);

  CHECK(clReleaseMemObject(buf_a));
  CHECK(clReleaseMemObject(buf_b));
  CHECK(clReleaseMemObject(buf_c));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(a);
  free(b);
  free(c);
  return 0;
}
