/* 03: tiled matrix multiply using __local memory.
 *
 * The two tiles are __local kernel arguments: clSetKernelArg(kernel, i,
 * bytes, NULL) sizes them without passing any host data. */
#include "common/sample_util.h"

static const char *kSource =
    "#define TILE 16\n"
    "__kernel void matmul(__global const float *A, __global const float *B,\n"
    "                     __global float *C, const int n,\n"
    "                     __local float *tileA, __local float *tileB) {\n"
    "  int row = get_global_id(1), col = get_global_id(0);\n"
    "  int lr = get_local_id(1), lc = get_local_id(0);\n"
    "  float acc = 0.0f;\n"
    "  for (int t = 0; t < n / TILE; ++t) {\n"
    "    tileA[lr * TILE + lc] = A[row * n + t * TILE + lc];\n"
    "    tileB[lr * TILE + lc] = B[(t * TILE + lr) * n + col];\n"
    "    barrier(CLK_LOCAL_MEM_FENCE);\n"
    "    for (int k = 0; k < TILE; ++k) acc += tileA[lr * TILE + k] * tileB[k * TILE + lc];\n"
    "    barrier(CLK_LOCAL_MEM_FENCE);\n"
    "  }\n"
    "  C[row * n + col] = acc;\n"
    "}\n";

enum { N = 64, TILE = 16 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "matmul");

  /* Small integers keep every product and sum exact in float. */
  static float A[N * N], B[N * N], C[N * N], expected[N * N];
  for (int i = 0; i < N * N; ++i) {
    A[i] = (float)((i * 7) % 5 - 2);
    B[i] = (float)((i * 3) % 7 - 3);
  }
  for (int r = 0; r < N; ++r)
    for (int c = 0; c < N; ++c) {
      float acc = 0.0f;
      for (int k = 0; k < N; ++k) acc += A[r * N + k] * B[k * N + c];
      expected[r * N + c] = acc;
    }

  cl_mem buf_a = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof A, A);
  cl_mem buf_b = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof B, B);
  cl_mem buf_c = sample_create_buffer(context, CL_MEM_WRITE_ONLY, sizeof C, NULL);
  cl_int n = N;
  CHECK(clSetKernelArg(kernel, 0, sizeof(cl_mem), &buf_a));
  CHECK(clSetKernelArg(kernel, 1, sizeof(cl_mem), &buf_b));
  CHECK(clSetKernelArg(kernel, 2, sizeof(cl_mem), &buf_c));
  CHECK(clSetKernelArg(kernel, 3, sizeof(cl_int), &n));
  CHECK(clSetKernelArg(kernel, 4, TILE * TILE * sizeof(float), NULL));
  CHECK(clSetKernelArg(kernel, 5, TILE * TILE * sizeof(float), NULL));

  size_t global[2] = {N, N}, local[2] = {TILE, TILE};
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 2, NULL, global, local, 0, NULL, NULL));
  CHECK(clFinish(queue));
  CHECK(clEnqueueReadBuffer(queue, buf_c, CL_TRUE, 0, sizeof C, C, 0, NULL, NULL));

  double trace = 0.0, sum = 0.0;
  for (int i = 0; i < N * N; ++i) {
    EXPECT(C[i] == expected[i], "C[%d] = %f, expected %f", i, C[i], expected[i]);
    sum += C[i];
  }
  for (int i = 0; i < N; ++i) trace += C[i * N + i];
  printf("matmul %dx%d tile %d: ok\n", N, N, TILE);
  printf("sum: %.1f trace: %.1f\n", sum, trace);

  cl_ulong local_mem = 0;
  CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_LOCAL_MEM_SIZE, sizeof local_mem, &local_mem, NULL));
  printf("kernel local mem >= 2 tiles: %s\n", local_mem >= 2 * TILE * TILE * sizeof(float) ? "yes" : "no");

  CHECK(clReleaseMemObject(buf_a));
  CHECK(clReleaseMemObject(buf_b));
  CHECK(clReleaseMemObject(buf_c));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
