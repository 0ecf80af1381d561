/* 10: a kernel that does not compile, its build log, then the fixed kernel.
 *
 * The log text is compiler-specific, so stdout only says whether it exists
 * and whether it mentions the offending identifier. */
#include "common/sample_util.h"

static const char *kBroken =
    "__kernel void negate(__global int *v) {\n"
    "  v[get_global_id(0)] = -v[get_global_id(0)]   /* missing semicolon */\n"
    "  undeclared_identifier_xyz += 1;\n"
    "}\n";

static const char *kFixed =
    "__kernel void negate(__global int *v) { v[get_global_id(0)] = -v[get_global_id(0)]; }\n"
    "__kernel void increment(__global int *v) { v[get_global_id(0)] += 1; }\n";

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_int err = CL_SUCCESS;

  cl_program broken = clCreateProgramWithSource(context, 1, &kBroken, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource(broken)");
  err = clBuildProgram(broken, 1, &device, "-cl-std=CL1.2", NULL, NULL);
  EXPECT(err == CL_BUILD_PROGRAM_FAILURE, "clBuildProgram returned %d", (int)err);
  printf("build failed: yes (CL_BUILD_PROGRAM_FAILURE)\n");

  cl_build_status status = CL_BUILD_NONE;
  CHECK(clGetProgramBuildInfo(broken, device, CL_PROGRAM_BUILD_STATUS, sizeof status, &status, NULL));
  printf("build status: %s\n", status == CL_BUILD_ERROR ? "CL_BUILD_ERROR" : "other");

  size_t options_size = 0;
  CHECK(clGetProgramBuildInfo(broken, device, CL_PROGRAM_BUILD_OPTIONS, 0, NULL, &options_size));
  char *options = (char *)calloc(options_size + 1, 1);
  CHECK(clGetProgramBuildInfo(broken, device, CL_PROGRAM_BUILD_OPTIONS, options_size, options, NULL));
  printf("build options recorded: %s\n", strstr(options, "-cl-std=CL1.2") ? "yes" : "no");

  size_t log_size = 0;
  CHECK(clGetProgramBuildInfo(broken, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &log_size));
  char *log = (char *)calloc(log_size + 1, 1);
  CHECK(clGetProgramBuildInfo(broken, device, CL_PROGRAM_BUILD_LOG, log_size, log, NULL));
  fprintf(stderr, "build log (%zu bytes):\n%s\n", log_size, log);
  printf("log non-empty: %s\n", strlen(log) > 0 ? "yes" : "no");
  printf("log mentions the undeclared identifier: %s\n", strstr(log, "undeclared_identifier_xyz") ? "yes" : "no");

  /* Creating a kernel from a program that failed to build must fail. */
  cl_kernel none = clCreateKernel(broken, "negate", &err);
  EXPECT(none == NULL && err == CL_INVALID_PROGRAM_EXECUTABLE, "clCreateKernel on broken program: %d", (int)err);
  printf("kernel from failed build rejected: yes\n");
  CHECK(clReleaseProgram(broken));
  free(log);
  free(options);

  cl_program fixed = sample_build_program(context, device, kFixed, NULL);
  size_t num_kernels = 0;
  CHECK(clGetProgramInfo(fixed, CL_PROGRAM_NUM_KERNELS, sizeof num_kernels, &num_kernels, NULL));
  size_t names_size = 0;
  CHECK(clGetProgramInfo(fixed, CL_PROGRAM_KERNEL_NAMES, 0, NULL, &names_size));
  char *names = (char *)calloc(names_size + 1, 1);
  CHECK(clGetProgramInfo(fixed, CL_PROGRAM_KERNEL_NAMES, names_size, names, NULL));
  EXPECT(strstr(names, "negate") && strstr(names, "increment"), "kernel names '%s'", names);
  printf("fixed program: %zu kernels, names listed: yes\n", num_kernels);
  free(names);

  cl_uint count = 0;
  CHECK(clCreateKernelsInProgram(fixed, 0, NULL, &count));
  cl_kernel kernels[2];
  EXPECT(count == 2, "clCreateKernelsInProgram count %u", count);
  CHECK(clCreateKernelsInProgram(fixed, count, kernels, NULL));
  cl_kernel negate = NULL, increment = NULL;
  for (cl_uint i = 0; i < count; ++i) {
    char name[64] = {0};
    cl_uint num_args = 0;
    CHECK(clGetKernelInfo(kernels[i], CL_KERNEL_FUNCTION_NAME, sizeof name, name, NULL));
    CHECK(clGetKernelInfo(kernels[i], CL_KERNEL_NUM_ARGS, sizeof num_args, &num_args, NULL));
    EXPECT(num_args == 1, "%s has %u args", name, num_args);
    if (strcmp(name, "negate") == 0) negate = kernels[i];
    if (strcmp(name, "increment") == 0) increment = kernels[i];
  }
  EXPECT(negate && increment, "kernels not found by name");

  enum { N = 128 };
  cl_int data[N];
  for (int i = 0; i < N; ++i) data[i] = i;
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof data, data);
  size_t global = N;
  CHECK(clSetKernelArg(negate, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(increment, 0, sizeof buf, &buf));
  CHECK(clEnqueueNDRangeKernel(queue, negate, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueNDRangeKernel(queue, increment, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, sizeof data, data, 0, NULL, NULL));
  int sum = 0;
  for (int i = 0; i < N; ++i) {
    EXPECT(data[i] == 1 - i, "data[%d] = %d", i, data[i]);
    sum += data[i];
  }
  printf("fixed kernels ran: ok, sum %d\n", sum);

  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernels[0]));
  CHECK(clReleaseKernel(kernels[1]));
  CHECK(clReleaseProgram(fixed));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
