/* 07: sub-buffers (clCreateSubBuffer with a cl_buffer_region). */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void stamp(__global int *v, int base) { v[get_global_id(0)] = base + (int)get_global_id(0); }\n";

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "stamp");

  /* Sub-buffer origins must be aligned to CL_DEVICE_MEM_BASE_ADDR_ALIGN (bits). */
  cl_uint align_bits = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align_bits, &align_bits, NULL));
  size_t align = align_bits / 8;
  if (align < 256) align = 256;
  const size_t part_ints = align / sizeof(cl_int);  /* elements per aligned part */
  const size_t total_ints = 4 * part_ints;

  cl_int *init = (cl_int *)malloc(total_ints * sizeof(cl_int));
  for (size_t i = 0; i < total_ints; ++i) init[i] = -1;
  cl_mem parent = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                                       total_ints * sizeof(cl_int), init);

  /* Parts 1 and 3 become sub-buffers; parts 0 and 2 stay untouched. */
  cl_mem subs[2];
  const size_t part_index[2] = {1, 3};
  for (int s = 0; s < 2; ++s) {
    cl_buffer_region region = {part_index[s] * align, part_ints * sizeof(cl_int)};
    cl_int err = CL_SUCCESS;
    subs[s] = clCreateSubBuffer(parent, CL_MEM_READ_WRITE, CL_BUFFER_CREATE_TYPE_REGION, &region, &err);
    CHECK_ERR(err, "clCreateSubBuffer");

    cl_mem associated = NULL;
    size_t offset = 0, size = 0;
    CHECK(clGetMemObjectInfo(subs[s], CL_MEM_ASSOCIATED_MEMOBJECT, sizeof associated, &associated, NULL));
    CHECK(clGetMemObjectInfo(subs[s], CL_MEM_OFFSET, sizeof offset, &offset, NULL));
    CHECK(clGetMemObjectInfo(subs[s], CL_MEM_SIZE, sizeof size, &size, NULL));
    EXPECT(associated == parent, "sub-buffer %d: wrong parent", s);
    EXPECT(offset == region.origin && size == region.size, "sub-buffer %d: offset %zu size %zu", s, offset, size);

    cl_int base = 1000 * (s + 1);
    CHECK(clSetKernelArg(kernel, 0, sizeof subs[s], &subs[s]));
    CHECK(clSetKernelArg(kernel, 1, sizeof base, &base));
    size_t global = part_ints;
    CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  }
  printf("sub-buffers: 2 created, parent/offset/size queries match\n");

  cl_int *out = (cl_int *)malloc(total_ints * sizeof(cl_int));
  CHECK(clEnqueueReadBuffer(queue, parent, CL_TRUE, 0, total_ints * sizeof(cl_int), out, 0, NULL, NULL));
  for (size_t i = 0; i < total_ints; ++i) {
    size_t part = i / part_ints, k = i % part_ints;
    cl_int want = part == 1 ? 1000 + (cl_int)k : part == 3 ? 2000 + (cl_int)k : -1;
    EXPECT(out[i] == want, "parent[%zu] = %d, expected %d", i, out[i], want);
  }
  printf("parent sees sub-buffer writes, other parts untouched: yes\n");

  /* Reading through a sub-buffer starts at its origin. */
  cl_int first_two[2] = {0, 0};
  CHECK(clEnqueueReadBuffer(queue, subs[1], CL_TRUE, 0, sizeof first_two, first_two, 0, NULL, NULL));
  printf("sub-buffer 1 first elements: %d %d\n", first_two[0], first_two[1]);

  CHECK(clReleaseMemObject(subs[0]));
  CHECK(clReleaseMemObject(subs[1]));
  CHECK(clReleaseMemObject(parent));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(init);
  free(out);
  return 0;
}
