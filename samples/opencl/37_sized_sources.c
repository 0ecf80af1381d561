/* 37: clCreateProgramWithSource from source pieces given by their bytes.
 *
 * Element i of `strings` is lengths[i] bytes when lengths[i] != 0 (no NUL: the
 * pieces here sit in heap blocks of exactly that size, so reading one byte past
 * would be an out-of-bounds read), NUL-terminated when lengths[i] == 0, and
 * every piece is NUL-terminated when lengths is NULL. A remoting stack must send
 * exactly those bytes, never strlen() a sized piece. */
#include "common/sample_util.h"

/* A heap block holding `text` without its NUL. */
static char *unterminated(const char *text, size_t *length) {
  *length = strlen(text);
  char *block = (char *)malloc(*length);
  if (!block) exit(1);
  memcpy(block, text, *length);
  return block;
}

/* The program's source as the library stored it: its length, and whether `needle` is in it. */
static void print_source(cl_program program, const char *what, const char *needle) {
  size_t size = 0;
  CHECK(clGetProgramInfo(program, CL_PROGRAM_SOURCE, 0, NULL, &size));
  char *source = (char *)calloc(size + 1, 1);
  CHECK(clGetProgramInfo(program, CL_PROGRAM_SOURCE, size, source, NULL));
  printf("%s: source length %zu, %s %s\n", what, strlen(source), needle, strstr(source, needle) ? "present" : "absent");
  free(source);
}

static long long run(cl_context context, cl_command_queue queue, cl_program program, const char *name, int bias) {
  enum { N = 256 };
  cl_int in[N], out[N];
  for (int i = 0; i < N; ++i) in[i] = (i * 7) % 101;
  cl_kernel kernel = sample_create_kernel(program, name);
  cl_mem bin = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof in, in);
  cl_mem bout = sample_create_buffer(context, CL_MEM_WRITE_ONLY, sizeof out, NULL);
  CHECK(clSetKernelArg(kernel, 0, sizeof bin, &bin));
  CHECK(clSetKernelArg(kernel, 1, sizeof bout, &bout));
  CHECK(clSetKernelArg(kernel, 2, sizeof bias, &bias));
  size_t global = N;
  CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(queue, bout, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  long long sum = 0;
  for (int i = 0; i < N; ++i) sum += out[i];
  CHECK(clReleaseMemObject(bin));
  CHECK(clReleaseMemObject(bout));
  CHECK(clReleaseKernel(kernel));
  return sum;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);

  /* Four pieces: sized without a NUL, NUL-terminated (length 0), the first part of a
   * longer string (its length stops before the tail), sized without a NUL. */
  size_t len0 = 0, len3 = 0;
  char *piece0 = unterminated("#define FACTOR 5\n", &len0);
  const char *piece1 = "int times(int x) { return FACTOR * x; }\n";
  const char *piece2 = "int plus(int x, int b) { return x + b; }\nTHIS TAIL IS NOT OPENCL C";
  char *piece3 = unterminated(
      "__kernel void combine(__global const int *in, __global int *out, int bias) {\n"
      "  size_t i = get_global_id(0);\n"
      "  out[i] = plus(times(in[i]), bias);\n"
      "}\n",
      &len3);
  const char *strings[4] = {piece0, piece1, piece2, piece3};
  size_t lengths[4] = {len0, 0, strlen("int plus(int x, int b) { return x + b; }\n"), len3};
  cl_int err = CL_SUCCESS;
  cl_program sized = clCreateProgramWithSource(context, 4, strings, lengths, &err);
  CHECK_ERR(err, "clCreateProgramWithSource(sized pieces)");
  sample_build_or_die(sized, device, "");
  print_source(sized, "sized pieces", "NOT OPENCL");
  printf("sized pieces: sum %lld\n", run(context, queue, sized, "combine", 3));

  /* lengths == NULL: every piece is NUL-terminated. */
  const char *whole[2] = {"#define OFFSET 11\n",
                          "__kernel void shift(__global const int *in, __global int *out, int bias) {\n"
                          "  size_t i = get_global_id(0);\n"
                          "  out[i] = in[i] + OFFSET + bias;\n"
                          "}\n"};
  cl_program terminated = clCreateProgramWithSource(context, 2, whole, NULL, &err);
  CHECK_ERR(err, "clCreateProgramWithSource(lengths NULL)");
  sample_build_or_die(terminated, device, "");
  print_source(terminated, "NUL-terminated pieces", "OFFSET");
  printf("NUL-terminated pieces: sum %lld\n", run(context, queue, terminated, "shift", 2));

  /* All lengths zero: the same as NULL. */
  size_t zeros[2] = {0, 0};
  cl_program zeroed = clCreateProgramWithSource(context, 2, whole, zeros, &err);
  CHECK_ERR(err, "clCreateProgramWithSource(lengths all 0)");
  sample_build_or_die(zeroed, device, "");
  printf("zero lengths: sum %lld\n", run(context, queue, zeroed, "shift", 2));

  free(piece0);
  free(piece3);
  CHECK(clReleaseProgram(sized));
  CHECK(clReleaseProgram(terminated));
  CHECK(clReleaseProgram(zeroed));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
