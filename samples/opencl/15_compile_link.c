/* 15: separate compilation: clCompileProgram with an embedded header
 * (input_headers + header_include_names arrays), then clLinkProgram of two
 * compiled programs. */
#include "common/sample_util.h"

static const char *kHeader = "#define OFFSET 100\nint mix(int a, int b);\n";
static const char *kLibrary = "#include \"mix.h\"\nint mix(int a, int b) { return a * 2 + b + OFFSET; }\n";
static const char *kMain =
    "#include \"mix.h\"\n"
    "__kernel void combine(__global const int *a, __global const int *b, __global int *c) {\n"
    "  size_t i = get_global_id(0);\n"
    "  c[i] = mix(a[i], b[i]);\n"
    "}\n";

static cl_program compile_one(cl_context context, cl_device_id device, const char *source, cl_program header) {
  cl_int err = CL_SUCCESS;
  cl_program program = clCreateProgramWithSource(context, 1, &source, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource");
  const char *include_names[1] = {"mix.h"};
  err = clCompileProgram(program, 1, &device, NULL, 1, &header, include_names, NULL, NULL);
  if (err != CL_SUCCESS) {
    size_t log_size = 0;
    clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &log_size);
    char *log = (char *)calloc(log_size + 1, 1);
    clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log_size, log, NULL);
    fprintf(stderr, "clCompileProgram failed with %d:\n%s\n", (int)err, log);
    exit(1);
  }
  cl_program_binary_type type = 0;
  CHECK(clGetProgramBuildInfo(program, device, CL_PROGRAM_BINARY_TYPE, sizeof type, &type, NULL));
  EXPECT(type == CL_PROGRAM_BINARY_TYPE_COMPILED_OBJECT, "binary type %u after compile", (unsigned)type);
  return program;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_int err = CL_SUCCESS;

  cl_program header = clCreateProgramWithSource(context, 1, &kHeader, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource(header)");
  cl_program objects[2] = {compile_one(context, device, kLibrary, header),
                           compile_one(context, device, kMain, header)};
  printf("compiled 2 objects with an embedded header: yes\n");

  cl_program linked = clLinkProgram(context, 1, &device, NULL, 2, objects, NULL, NULL, &err);
  CHECK_ERR(err, "clLinkProgram");
  cl_program_binary_type type = 0;
  CHECK(clGetProgramBuildInfo(linked, device, CL_PROGRAM_BINARY_TYPE, sizeof type, &type, NULL));
  printf("linked executable: %s\n", type == CL_PROGRAM_BINARY_TYPE_EXECUTABLE ? "yes" : "no");

  cl_kernel kernel = sample_create_kernel(linked, "combine");
  enum { N = 256 };
  cl_int a[N], b[N], c[N];
  for (int i = 0; i < N; ++i) {
    a[i] = i;
    b[i] = N - i;
  }
  cl_mem ba = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof a, a);
  cl_mem bb = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof b, b);
  cl_mem bc = sample_create_buffer(context, CL_MEM_WRITE_ONLY, sizeof c, NULL);
  CHECK(clSetKernelArg(kernel, 0, sizeof ba, &ba));
  CHECK(clSetKernelArg(kernel, 1, sizeof bb, &bb));
  CHECK(clSetKernelArg(kernel, 2, sizeof bc, &bc));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, bc, CL_TRUE, 0, sizeof c, c, 0, NULL, NULL));
  long long sum = 0;
  for (int i = 0; i < N; ++i) {
    EXPECT(c[i] == a[i] * 2 + b[i] + 100, "c[%d] = %d", i, c[i]);
    sum += c[i];
  }
  printf("linked kernel ran: ok, sum %lld\n", sum);

  CHECK(clReleaseMemObject(ba));
  CHECK(clReleaseMemObject(bb));
  CHECK(clReleaseMemObject(bc));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(linked));
  CHECK(clReleaseProgram(objects[0]));
  CHECK(clReleaseProgram(objects[1]));
  CHECK(clReleaseProgram(header));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
