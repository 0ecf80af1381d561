/* 09: non-blocking transfers, fills and copies ordered only by events. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void axpy(__global const float *x, __global float *y, float a) {\n"
    "  size_t i = get_global_id(0);\n"
    "  y[i] = a * x[i] + y[i];\n"
    "}\n";

enum { N = 8192 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "axpy");

  float *x = (float *)malloc(N * sizeof(float));
  float *y = (float *)malloc(N * sizeof(float));
  float *out = (float *)calloc(N, sizeof(float));
  for (int i = 0; i < N; ++i) {
    x[i] = (float)(i % 64);
    y[i] = (float)(i % 7);
  }
  cl_mem bx = sample_create_buffer(context, CL_MEM_READ_ONLY, N * sizeof(float), NULL);
  cl_mem by = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(float), NULL);
  cl_mem bcopy = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(float), NULL);

  cl_event writes[2], kernel_done, fill_done, copy_done, read_done, marker, barrier;
  CHECK(clEnqueueWriteBuffer(queue, bx, CL_FALSE, 0, N * sizeof(float), x, 0, NULL, &writes[0]));
  CHECK(clEnqueueWriteBuffer(queue, by, CL_FALSE, 0, N * sizeof(float), y, 0, NULL, &writes[1]));
  CHECK(clFlush(queue));

  float a = 2.0f;
  CHECK(clSetKernelArg(kernel, 0, sizeof bx, &bx));
  CHECK(clSetKernelArg(kernel, 1, sizeof by, &by));
  CHECK(clSetKernelArg(kernel, 2, sizeof a, &a));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 2, writes, &kernel_done));

  /* Fill the copy target with a pattern, then overwrite its second half. */
  float pattern = -1.0f;
  CHECK(clEnqueueFillBuffer(queue, bcopy, &pattern, sizeof pattern, 0, N * sizeof(float), 0, NULL, &fill_done));
  cl_event before_copy[2] = {kernel_done, fill_done};
  CHECK(clEnqueueCopyBuffer(queue, by, bcopy, 0, (N / 2) * sizeof(float), (N / 2) * sizeof(float), 2,
                            before_copy, &copy_done));
  CHECK(clEnqueueMarkerWithWaitList(queue, 1, &copy_done, &marker));
  CHECK(clEnqueueBarrierWithWaitList(queue, 0, NULL, &barrier));
  CHECK(clEnqueueReadBuffer(queue, bcopy, CL_FALSE, 0, N * sizeof(float), out, 1, &barrier, &read_done));
  CHECK(clWaitForEvents(1, &read_done));
  CHECK(clFinish(queue));

  double sum = 0.0;
  for (int i = 0; i < N; ++i) {
    float want = i < N / 2 ? -1.0f : a * x[i - N / 2] + y[i - N / 2];
    EXPECT(out[i] == want, "out[%d] = %f, expected %f", i, out[i], want);
    sum += out[i];
  }
  printf("non-blocking write/kernel/fill/copy/read: ok\n");
  printf("checksum: %.1f\n", sum);

  cl_int marker_status = -1;
  CHECK(clGetEventInfo(marker, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof marker_status, &marker_status, NULL));
  printf("marker complete: %s\n", marker_status == CL_COMPLETE ? "yes" : "no");

  /* Non-blocking read straight from the kernel output. */
  float *y_back = (float *)malloc(N * sizeof(float));
  cl_event y_read;
  CHECK(clEnqueueReadBuffer(queue, by, CL_FALSE, 0, N * sizeof(float), y_back, 0, NULL, &y_read));
  CHECK(clWaitForEvents(1, &y_read));
  EXPECT(y_back[N - 1] == a * x[N - 1] + y[N - 1], "y[N-1] = %f", y_back[N - 1]);
  printf("y[N-1] = %.1f\n", y_back[N - 1]);

  cl_event all[] = {writes[0], writes[1], kernel_done, fill_done, copy_done, marker, barrier, read_done, y_read};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) CHECK(clReleaseEvent(all[i]));
  CHECK(clReleaseMemObject(bx));
  CHECK(clReleaseMemObject(by));
  CHECK(clReleaseMemObject(bcopy));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(x);
  free(y);
  free(out);
  free(y_back);
  return 0;
}
