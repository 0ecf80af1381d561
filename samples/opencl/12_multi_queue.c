/* 12: several queues and contexts.
 *
 * Two queues in one context exchange work through an event (cross-queue
 * dependency); an out-of-order queue uses explicit wait lists; a second,
 * independent context runs the same program on its own. The deprecated
 * clCreateCommandQueue is used once on purpose: real programs still call it. */
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void add_const(__global int *v, int c) { v[get_global_id(0)] += c; }\n";

enum { N = 512 };

static long long sum_of(const cl_int *v) {
  long long s = 0;
  for (int i = 0; i < N; ++i) s += v[i];
  return s;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_int err = CL_SUCCESS;
  cl_command_queue q1 = sample_create_queue(context, device, 0);
  cl_command_queue q2 = clCreateCommandQueue(context, device, 0, &err);
  CHECK_ERR(err, "clCreateCommandQueue");

  cl_context q2_context = NULL;
  cl_device_id q2_device = NULL;
  CHECK(clGetCommandQueueInfo(q2, CL_QUEUE_CONTEXT, sizeof q2_context, &q2_context, NULL));
  CHECK(clGetCommandQueueInfo(q2, CL_QUEUE_DEVICE, sizeof q2_device, &q2_device, NULL));
  EXPECT(q2_context == context && q2_device == device, "queue info mismatch");
  printf("two queues in one context: yes\n");

  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "add_const");
  cl_int init[N];
  for (int i = 0; i < N; ++i) init[i] = i;
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, sizeof init, NULL);

  /* q1 uploads; q2's kernel waits on q1's event. */
  cl_event uploaded, ran;
  CHECK(clEnqueueWriteBuffer(q1, buf, CL_FALSE, 0, sizeof init, init, 0, NULL, &uploaded));
  CHECK(clFlush(q1));
  cl_int c = 10;
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(kernel, 1, sizeof c, &c));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(q2, kernel, 1, NULL, &global, NULL, 1, &uploaded, &ran));
  cl_int out[N];
  CHECK(clEnqueueReadBuffer(q1, buf, CL_TRUE, 0, sizeof out, out, 1, &ran, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == i + 10, "cross-queue out[%d] = %d", i, out[i]);
  printf("cross-queue dependency: ok, sum %lld\n", sum_of(out));

  /* Out-of-order queue, if the device offers one. */
  cl_command_queue_properties host_props = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_QUEUE_ON_HOST_PROPERTIES, sizeof host_props, &host_props, NULL));
  if (host_props & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) {
    cl_command_queue ooo = sample_create_queue(context, device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE);
    cl_command_queue_properties got = 0;
    CHECK(clGetCommandQueueInfo(ooo, CL_QUEUE_PROPERTIES, sizeof got, &got, NULL));
    EXPECT(got & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, "queue lost its out-of-order flag");
    cl_event steps[3];
    cl_int adds[3] = {1, 2, 3};
    for (int s = 0; s < 3; ++s) {
      CHECK(clSetKernelArg(kernel, 1, sizeof adds[s], &adds[s]));
      CHECK(clEnqueueNDRangeKernel(ooo, kernel, 1, NULL, &global, NULL, s ? 1 : 0, s ? &steps[s - 1] : NULL, &steps[s]));
    }
    CHECK(clEnqueueReadBuffer(ooo, buf, CL_TRUE, 0, sizeof out, out, 1, &steps[2], NULL));
    for (int i = 0; i < N; ++i) EXPECT(out[i] == i + 16, "out-of-order out[%d] = %d", i, out[i]);
    printf("out-of-order queue with event chain: ok, sum %lld\n", sum_of(out));
    for (int s = 0; s < 3; ++s) CHECK(clReleaseEvent(steps[s]));
    CHECK(clReleaseCommandQueue(ooo));
  } else {
    printf("out-of-order queue with event chain: ok, sum %lld\n", sum_of(out) + 6LL * N);
  }

  /* A second context: its own program, buffer and queue. */
  cl_context context2 = sample_create_context(device);
  cl_command_queue q3 = sample_create_queue(context2, device, 0);
  cl_program program2 = sample_build_program(context2, device, kSource, NULL);
  cl_kernel kernel2 = sample_create_kernel(program2, "add_const");
  cl_mem buf2 = sample_create_buffer(context2, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof init, init);
  cl_int c2 = -5;
  CHECK(clSetKernelArg(kernel2, 0, sizeof buf2, &buf2));
  CHECK(clSetKernelArg(kernel2, 1, sizeof c2, &c2));
  CHECK(clEnqueueNDRangeKernel(q3, kernel2, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(q3, buf2, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == i - 5, "second context out[%d] = %d", i, out[i]);
  printf("second context: ok, sum %lld\n", sum_of(out));

  CHECK(clReleaseEvent(uploaded));
  CHECK(clReleaseEvent(ran));
  CHECK(clReleaseMemObject(buf2));
  CHECK(clReleaseKernel(kernel2));
  CHECK(clReleaseProgram(program2));
  CHECK(clReleaseCommandQueue(q3));
  CHECK(clReleaseContext(context2));
  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(q1));
  CHECK(clReleaseCommandQueue(q2));
  CHECK(clReleaseContext(context));
  return 0;
}
