/* 14: clCreateProgramWithSource with several strings and explicit lengths.
 *
 * lengths[i] == 0 means "strings[i] is NUL-terminated"; a non-zero length
 * takes only that many characters, so a string may continue past it. Also
 * reads kernel argument metadata (-cl-kernel-arg-info). */
#include "common/sample_util.h"

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);

  /* The second string is cut by its length before the garbage after "}\n". */
  const char *header = "#define SCALE 3\n";
  const char *helper_with_tail = "int scaled(int x) { return SCALE * x; }\nTHIS IS NOT OPENCL C";
  const char *kernel_src =
      "__kernel void apply(__global const int *in, __global int *out, int bias) {\n"
      "  size_t i = get_global_id(0);\n"
      "  out[i] = scaled(in[i]) + bias;\n"
      "}\n";
  const char *strings[3] = {header, helper_with_tail, kernel_src};
  size_t lengths[3] = {0, strlen("int scaled(int x) { return SCALE * x; }\n"), 0};
  cl_int err = CL_SUCCESS;
  cl_program program = clCreateProgramWithSource(context, 3, strings, lengths, &err);
  CHECK_ERR(err, "clCreateProgramWithSource");
  sample_build_or_die(program, device, "-cl-kernel-arg-info");

  size_t source_size = 0;
  CHECK(clGetProgramInfo(program, CL_PROGRAM_SOURCE, 0, NULL, &source_size));
  char *source = (char *)calloc(source_size + 1, 1);
  CHECK(clGetProgramInfo(program, CL_PROGRAM_SOURCE, source_size, source, NULL));
  printf("concatenated source length: %zu\n", strlen(source));
  printf("tail excluded: %s\n", strstr(source, "NOT OPENCL") ? "no" : "yes");
  free(source);

  cl_kernel kernel = sample_create_kernel(program, "apply");
  cl_uint num_args = 0;
  CHECK(clGetKernelInfo(kernel, CL_KERNEL_NUM_ARGS, sizeof num_args, &num_args, NULL));
  for (cl_uint a = 0; a < num_args; ++a) {
    char arg_name[32] = {0}, type_name[32] = {0};
    cl_kernel_arg_address_qualifier address = 0;
    CHECK(clGetKernelArgInfo(kernel, a, CL_KERNEL_ARG_NAME, sizeof arg_name, arg_name, NULL));
    CHECK(clGetKernelArgInfo(kernel, a, CL_KERNEL_ARG_TYPE_NAME, sizeof type_name, type_name, NULL));
    CHECK(clGetKernelArgInfo(kernel, a, CL_KERNEL_ARG_ADDRESS_QUALIFIER, sizeof address, &address, NULL));
    printf("arg %u: %s %s (%s)\n", a, type_name, arg_name,
           address == CL_KERNEL_ARG_ADDRESS_GLOBAL ? "global" : address == CL_KERNEL_ARG_ADDRESS_PRIVATE ? "private" : "other");
  }

  enum { N = 300 };
  cl_int in[N], out[N];
  for (int i = 0; i < N; ++i) in[i] = i * i % 97;
  cl_mem bin = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof in, in);
  cl_mem bout = sample_create_buffer(context, CL_MEM_WRITE_ONLY, sizeof out, NULL);
  cl_int bias = 4;
  CHECK(clSetKernelArg(kernel, 0, sizeof bin, &bin));
  CHECK(clSetKernelArg(kernel, 1, sizeof bout, &bout));
  CHECK(clSetKernelArg(kernel, 2, sizeof bias, &bias));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, bout, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  long long sum = 0;
  for (int i = 0; i < N; ++i) {
    EXPECT(out[i] == 3 * in[i] + bias, "out[%d] = %d", i, out[i]);
    sum += out[i];
  }
  printf("three-part program ran: ok, sum %lld\n", sum);

  CHECK(clReleaseMemObject(bin));
  CHECK(clReleaseMemObject(bout));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
