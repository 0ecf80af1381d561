/* 11: thousands of small calls — the remoting overhead stress case.
 *
 * 5000 x (clSetKernelArg + clEnqueueNDRangeKernel) of a tiny kernel with a
 * clFinish every 100 launches, plus 1000 rounds of clGetKernelWorkGroupInfo /
 * clGetKernelInfo queries that must all agree. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void accumulate(__global uint *acc, uint step) {\n"
    "  size_t g = get_global_id(0);\n"
    "  acc[g] += step * (uint)(g + 1);\n"
    "}\n";

enum { LAUNCHES = 5000, WIDTH = 64, QUERIES = 1000 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "accumulate");

  cl_uint zeros[WIDTH] = {0};
  cl_mem acc = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof zeros, zeros);
  CHECK(clSetKernelArg(kernel, 0, sizeof acc, &acc));
  size_t global = WIDTH;
  for (cl_uint step = 0; step < LAUNCHES; ++step) {
    CHECK(clSetKernelArg(kernel, 1, sizeof step, &step));
    CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
    if (step % 100 == 99) CHECK(clFinish(queue));
  }
  CHECK(clFinish(queue));

  cl_uint out[WIDTH];
  CHECK(clEnqueueReadBuffer(queue, acc, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  const cl_uint step_sum = (cl_uint)((unsigned long long)LAUNCHES * (LAUNCHES - 1) / 2);
  cl_uint checksum = 0;
  for (cl_uint g = 0; g < WIDTH; ++g) {
    EXPECT(out[g] == step_sum * (g + 1), "acc[%u] = %u, expected %u", g, out[g], step_sum * (g + 1));
    checksum = checksum * 31u + out[g];
  }
  printf("launches: %d, all accumulators correct\n", LAUNCHES);
  printf("checksum: %u\n", checksum);

  size_t first_wg = 0, first_pref = 0;
  int consistent = 1;
  for (int q = 0; q < QUERIES; ++q) {
    size_t wg = 0, pref = 0, compile_wg[3] = {1, 1, 1};
    cl_ulong private_mem = 0;
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, sizeof wg, &wg, NULL));
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE, sizeof pref, &pref, NULL));
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_COMPILE_WORK_GROUP_SIZE, sizeof compile_wg, compile_wg, NULL));
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_PRIVATE_MEM_SIZE, sizeof private_mem, &private_mem, NULL));
    cl_uint num_args = 0;
    CHECK(clGetKernelInfo(kernel, CL_KERNEL_NUM_ARGS, sizeof num_args, &num_args, NULL));
    if (q == 0) {
      first_wg = wg;
      first_pref = pref;
    }
    if (wg != first_wg || pref != first_pref || num_args != 2 || compile_wg[0] != 0 || wg == 0) consistent = 0;
  }
  fprintf(stderr, "work group size %zu, preferred multiple %zu\n", first_wg, first_pref);
  printf("work-group queries: %d rounds, consistent: %s\n", QUERIES, consistent ? "yes" : "no");
  EXPECT(consistent, "work-group info changed between queries");

  CHECK(clReleaseMemObject(acc));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
