/* 34: a buffer released while commands that use it are still queued. OpenCL allows it:
 * the object is destroyed once those commands complete, and with CL_MEM_USE_HOST_PTR the
 * implementation reads the program's memory until then (issue 15: through the stack the
 * server freed its copy of that memory at the release, and the queued commands read freed
 * memory). A user event holds the commands back until after the release, on two queues.
 * Then a copy alone is queued before a release: a stack whose spec marks enqueues sync
 * holds no inputs for it, and the server must still keep the memory until a barrier.
 * Last, a sub-buffer outlives its released parent: it still reads the parent's memory. */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */
#include "common/sample_util.h"

enum { N = 16384 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue q1 = sample_create_queue(context, device, 0);
  cl_command_queue q2 = sample_create_queue(context, device, 0);

  cl_int *host = NULL;
  if (posix_memalign((void **)&host, 4096, N * sizeof(cl_int))) return 1;
  for (int i = 0; i < N; ++i) host[i] = i * 7 + 3;
  cl_mem src = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, N * sizeof(cl_int), host);
  cl_mem dst = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(cl_int), NULL);

  cl_int err = CL_SUCCESS;
  cl_event gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  static cl_int out[N];
  /* Both wait for the gate: still queued when the program releases src. */
  CHECK(clEnqueueCopyBuffer(q1, src, dst, 0, 0, N * sizeof(cl_int), 1, &gate, NULL));
  CHECK(clEnqueueReadBuffer(q2, src, CL_FALSE, 0, N * sizeof(cl_int), out, 1, &gate, NULL));
  CHECK(clFlush(q1));
  CHECK(clFlush(q2));
  CHECK(clReleaseMemObject(src));
  /* Other calls in between (the server reuses per-call memory), then the commands run. */
  for (int i = 0; i < 8; ++i) {
    cl_mem tmp = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, N * sizeof(cl_int), out);
    CHECK(clReleaseMemObject(tmp));
  }
  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  CHECK(clFinish(q1)); /* q2's read may still be running */
  CHECK(clFinish(q2));

  static cl_int copied[N];
  CHECK(clEnqueueReadBuffer(q1, dst, CL_TRUE, 0, sizeof copied, copied, 0, NULL, NULL));
  int bad = 0;
  for (int i = 0; i < N; ++i) bad += copied[i] != i * 7 + 3 || out[i] != i * 7 + 3;
  EXPECT(bad == 0, "%d elements differ", bad);
  printf("copy and read queued before the release: %d elements match\n", N);

  CHECK(clReleaseEvent(gate));

  /* Only a copy queued at the release (no read on another queue keeps anything alive);
   * the calls in between fill fresh memory with another pattern, so a freed copy shows. */
  for (int i = 0; i < N; ++i) host[i] = i * 5 + 1;
  src = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, N * sizeof(cl_int), host);
  gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  CHECK(clEnqueueCopyBuffer(q1, src, dst, 0, 0, N * sizeof(cl_int), 1, &gate, NULL));
  CHECK(clFlush(q1));
  CHECK(clReleaseMemObject(src));
  for (int i = 0; i < N; ++i) out[i] = -1;
  for (int i = 0; i < 8; ++i) {
    cl_mem tmp = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, N * sizeof(cl_int), out);
    CHECK(clReleaseMemObject(tmp));
  }
  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  CHECK(clFinish(q1));
  CHECK(clEnqueueReadBuffer(q1, dst, CL_TRUE, 0, sizeof copied, copied, 0, NULL, NULL));
  bad = 0;
  for (int i = 0; i < N; ++i) bad += copied[i] != i * 5 + 1;
  EXPECT(bad == 0, "%d elements differ", bad);
  printf("copy alone queued before the release: %d elements match\n", N);

  CHECK(clReleaseEvent(gate));

  /* A sub-buffer of a USE_HOST_PTR buffer, read after the parent's release. */
  for (int i = 0; i < N; ++i) host[i] = i * 11 + 2;
  src = sample_create_buffer(context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR, N * sizeof(cl_int),
                             host);
  cl_buffer_region half = {4096, (N / 2) * sizeof(cl_int)};
  cl_mem sub = clCreateSubBuffer(src, CL_MEM_READ_ONLY, CL_BUFFER_CREATE_TYPE_REGION, &half, &err);
  CHECK_ERR(err, "clCreateSubBuffer");
  CHECK(clReleaseMemObject(src));
  for (int i = 0; i < 8; ++i) {
    cl_mem tmp = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                                      N * sizeof(cl_int), out);
    CHECK(clReleaseMemObject(tmp));
  }
  CHECK(clEnqueueReadBuffer(q1, sub, CL_TRUE, 0, (N / 2) * sizeof(cl_int), copied, 0, NULL, NULL));
  bad = 0;
  for (int i = 0; i < N / 2; ++i) bad += copied[i] != (i + 1024) * 11 + 2;
  EXPECT(bad == 0, "%d elements differ", bad);
  printf("sub-buffer read after its parent's release: %d elements match\n", N / 2);
  CHECK(clReleaseMemObject(sub));
  CHECK(clReleaseMemObject(dst));
  CHECK(clReleaseCommandQueue(q2));
  CHECK(clReleaseCommandQueue(q1));
  CHECK(clReleaseContext(context));
  free(host);
  printf("done\n");
  return 0;
}
