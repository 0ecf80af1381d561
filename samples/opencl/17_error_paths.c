/* 17: error paths: calls with NULL handles and out-of-range values must fail
 * with the documented error code and leave everything usable. A remoting
 * layer has to forward these faithfully (and must not crash on them). */
#include "common/sample_util.h"

static const char *kSource = "__kernel void k(__global int *v, int x) { v[get_global_id(0)] = x; }\n";

static int failures = 0;

/* Prints "<what>: <expected name>" when the code matches; counts a failure otherwise. */
static void expect_code(const char *what, cl_int got, cl_int want, const char *want_name) {
  if (got == want) {
    printf("%s: %s\n", what, want_name);
  } else {
    printf("%s: unexpected %d (want %s)\n", what, (int)got, want_name);
    ++failures;
  }
}

#define EXPECT_CODE(what, call, want) expect_code(what, (call), want, #want)

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "k");
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, 64 * sizeof(cl_int), NULL);
  cl_int err = CL_SUCCESS;
  cl_int host[128] = {0};

  EXPECT_CODE("release NULL mem object", clReleaseMemObject(NULL), CL_INVALID_MEM_OBJECT);
  EXPECT_CODE("retain NULL kernel", clRetainKernel(NULL), CL_INVALID_KERNEL);
  EXPECT_CODE("info on NULL device", clGetDeviceInfo(NULL, CL_DEVICE_NAME, 0, NULL, NULL), CL_INVALID_DEVICE);
  EXPECT_CODE("unknown device info", clGetDeviceInfo(device, 0x7FFF, 0, NULL, NULL), CL_INVALID_VALUE);
  EXPECT_CODE("finish NULL queue", clFinish(NULL), CL_INVALID_COMMAND_QUEUE);
  EXPECT_CODE("wait for no events", clWaitForEvents(0, NULL), CL_INVALID_VALUE);

  cl_mem none = clCreateBuffer(context, CL_MEM_READ_WRITE, 0, NULL, &err);
  EXPECT_CODE("zero-size buffer", err, CL_INVALID_BUFFER_SIZE);
  printf("zero-size buffer handle is NULL: %s\n", none == NULL ? "yes" : "no");
  none = clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, 16, NULL, &err);
  EXPECT_CODE("COPY_HOST_PTR without host_ptr", err, CL_INVALID_HOST_PTR);

  EXPECT_CODE("kernel arg index out of range", clSetKernelArg(kernel, 7, sizeof(cl_int), &err), CL_INVALID_ARG_INDEX);
  EXPECT_CODE("kernel arg wrong size", clSetKernelArg(kernel, 1, 1, &err), CL_INVALID_ARG_SIZE);
  cl_kernel missing = clCreateKernel(program, "no_such_kernel", &err);
  EXPECT_CODE("unknown kernel name", err, CL_INVALID_KERNEL_NAME);
  printf("unknown kernel handle is NULL: %s\n", missing == NULL ? "yes" : "no");

  EXPECT_CODE("read past the end", clEnqueueReadBuffer(queue, buf, CL_TRUE, 32 * sizeof(cl_int), 64 * sizeof(cl_int), host, 0, NULL, NULL), CL_INVALID_VALUE);
  EXPECT_CODE("read into NULL", clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, 16, NULL, 0, NULL, NULL), CL_INVALID_VALUE);
  EXPECT_CODE("wait list count without list", clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, 16, host, 2, NULL, NULL), CL_INVALID_EVENT_WAIT_LIST);

  size_t global = 64, local = 5000;
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));
  cl_int x = 3;
  CHECK(clSetKernelArg(kernel, 1, sizeof x, &x));
  err = clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, &local, 0, NULL, NULL);
  printf("oversized work-group rejected: %s\n", err != CL_SUCCESS ? "yes" : "no");
  if (err == CL_SUCCESS) ++failures;
  EXPECT_CODE("work_dim 0", clEnqueueNDRangeKernel(queue, kernel, 0, NULL, &global, NULL, 0, NULL, NULL), CL_INVALID_WORK_DIMENSION);

  /* After all that, everything still works. */
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, 64 * sizeof(cl_int), host, 0, NULL, NULL));
  for (int i = 0; i < 64; ++i) EXPECT(host[i] == 3, "host[%d] = %d", i, host[i]);
  printf("objects still usable after errors: yes\n");

  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  printf("error paths: %s\n", failures == 0 ? "ok" : "MISMATCH");
  return failures == 0 ? 0 : 1;
}
