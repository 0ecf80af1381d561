/* 13: program binaries: CL_PROGRAM_BINARY_SIZES / CL_PROGRAM_BINARIES
 * (an array of host pointers the implementation fills) and
 * clCreateProgramWithBinary. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void cube(__global int *v) { int x = v[get_global_id(0)]; v[get_global_id(0)] = x * x * x; }\n";

enum { N = 200 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program from_source = sample_build_program(context, device, kSource, NULL);

  cl_uint num_devices = 0;
  CHECK(clGetProgramInfo(from_source, CL_PROGRAM_NUM_DEVICES, sizeof num_devices, &num_devices, NULL));
  EXPECT(num_devices == 1, "program has %u devices", num_devices);
  size_t binary_size = 0;
  CHECK(clGetProgramInfo(from_source, CL_PROGRAM_BINARY_SIZES, sizeof binary_size, &binary_size, NULL));
  EXPECT(binary_size > 0, "empty program binary");
  unsigned char *binary = (unsigned char *)malloc(binary_size);
  unsigned char *binaries[1] = {binary};
  CHECK(clGetProgramInfo(from_source, CL_PROGRAM_BINARIES, sizeof binaries, binaries, NULL));
  fprintf(stderr, "binary: %zu bytes\n", binary_size);
  printf("binary size > 0: yes\n");

  size_t source_size = 0;
  CHECK(clGetProgramInfo(from_source, CL_PROGRAM_SOURCE, 0, NULL, &source_size));
  char *source_back = (char *)calloc(source_size + 1, 1);
  CHECK(clGetProgramInfo(from_source, CL_PROGRAM_SOURCE, source_size, source_back, NULL));
  printf("source round-trips: %s\n", strcmp(source_back, kSource) == 0 ? "yes" : "no");
  free(source_back);

  const unsigned char *binary_list[1] = {binary};
  cl_int binary_status = -1, err = CL_SUCCESS;
  cl_program from_binary =
      clCreateProgramWithBinary(context, 1, &device, &binary_size, binary_list, &binary_status, &err);
  CHECK_ERR(err, "clCreateProgramWithBinary");
  EXPECT(binary_status == CL_SUCCESS, "binary status %d", (int)binary_status);
  sample_build_or_die(from_binary, device, NULL);
  cl_program_binary_type type = 0;
  CHECK(clGetProgramBuildInfo(from_binary, device, CL_PROGRAM_BINARY_TYPE, sizeof type, &type, NULL));
  printf("program from binary built: yes, executable: %s\n", type == CL_PROGRAM_BINARY_TYPE_EXECUTABLE ? "yes" : "no");

  /* A corrupt binary is refused. */
  unsigned char junk[64];
  memset(junk, 0xAB, sizeof junk);
  const unsigned char *junk_list[1] = {junk};
  size_t junk_size = sizeof junk;
  cl_int junk_status = 0;
  cl_program bad = clCreateProgramWithBinary(context, 1, &device, &junk_size, junk_list, &junk_status, &err);
  int refused = err != CL_SUCCESS;
  if (!refused) {
    refused = clBuildProgram(bad, 1, &device, NULL, NULL, NULL) != CL_SUCCESS;
    CHECK(clReleaseProgram(bad));
  }
  printf("corrupt binary refused: %s\n", refused ? "yes" : "no");

  cl_kernel kernel = sample_create_kernel(from_binary, "cube");
  cl_int data[N];
  for (int i = 0; i < N; ++i) data[i] = i - N / 2;
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof data, data);
  CHECK(clSetKernelArg(kernel, 0, sizeof buf, &buf));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, sizeof data, data, 0, NULL, NULL));
  long long sum_abs = 0;
  for (int i = 0; i < N; ++i) {
    int x = i - N / 2;
    EXPECT(data[i] == x * x * x, "data[%d] = %d", i, data[i]);
    sum_abs += data[i] < 0 ? -data[i] : data[i];
  }
  printf("kernel from binary: ok, sum |x^3| %lld\n", sum_abs);

  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(from_binary));
  CHECK(clReleaseProgram(from_source));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(binary);
  return 0;
}
