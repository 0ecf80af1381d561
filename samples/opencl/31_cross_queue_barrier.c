/* 31: a barrier on one queue says nothing about another queue's work.
 *
 * A non-blocking read on queue B waits for a user event; meanwhile queue A is
 * finished (clFinish(A)). Only then is the user event set and B finished: the
 * read's bytes must still arrive (a remoting layer that retired every pending
 * transfer at clFinish(A) would lose them). Then the same with clWaitForEvents on
 * A's event, and with a non-blocking write on B whose source is reused afterwards. */
#include "common/sample_util.h"

enum { N = 4096 };

static unsigned checksum(const cl_int *v, int n) {
  unsigned s = 2166136261u;
  for (int i = 0; i < n; ++i) s = (s ^ (unsigned)v[i]) * 16777619u;
  return s;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue qa = sample_create_queue(context, device, 0);
  cl_command_queue qb = sample_create_queue(context, device, 0);
  cl_int err = CL_SUCCESS;

  static cl_int init[N], scratch[N], other[N], out[N], check[N];
  for (int i = 0; i < N; ++i) init[i] = i * 7 + 3, other[i] = -i;
  /* B's contents are made on the device (a fill), so no transfer ever carried them. */
  cl_mem on_b = sample_create_buffer(context, CL_MEM_READ_WRITE, sizeof init, NULL);
  cl_mem on_a = sample_create_buffer(context, CL_MEM_READ_WRITE, sizeof init, NULL);
  const cl_int first = 0x1234567, second = 0x7654321;

  /* 1: clFinish(A) while B's read waits for a user event; A then moves other bytes of the
   * same size (memory a remoting layer might reuse). */
  CHECK(clEnqueueFillBuffer(qb, on_b, &first, sizeof first, 0, sizeof init, 0, NULL, NULL));
  CHECK(clFinish(qb));
  cl_event gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  CHECK(clEnqueueReadBuffer(qb, on_b, CL_FALSE, 0, sizeof out, out, 1, &gate, NULL));
  CHECK(clEnqueueWriteBuffer(qa, on_a, CL_FALSE, 0, sizeof init, init, 0, NULL, NULL));
  CHECK(clFinish(qa));
  CHECK(clEnqueueWriteBuffer(qa, on_a, CL_TRUE, 0, sizeof other, other, 0, NULL, NULL));
  CHECK(clEnqueueReadBuffer(qa, on_a, CL_TRUE, 0, sizeof scratch, scratch, 0, NULL, NULL));
  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  CHECK(clFinish(qb));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == first, "read after clFinish(A): element %d is %d", i, (int)out[i]);
  printf("read on B kept across clFinish(A): checksum %08x\n", checksum(out, N));

  /* 2: clWaitForEvents on A's event while B's read still waits. */
  CHECK(clEnqueueFillBuffer(qb, on_b, &second, sizeof second, 0, sizeof init, 0, NULL, NULL));
  CHECK(clFinish(qb));
  cl_event gate2 = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  CHECK(clEnqueueReadBuffer(qb, on_b, CL_FALSE, 0, sizeof out, out, 1, &gate2, NULL));
  cl_event a_done = NULL;
  CHECK(clEnqueueReadBuffer(qa, on_a, CL_FALSE, 0, sizeof scratch, scratch, 0, NULL, &a_done));
  CHECK(clWaitForEvents(1, &a_done));
  EXPECT(checksum(scratch, N) == checksum(other, N), "A's own read");
  CHECK(clEnqueueReadBuffer(qa, on_a, CL_TRUE, 0, sizeof scratch, scratch, 0, NULL, NULL));
  CHECK(clSetUserEventStatus(gate2, CL_COMPLETE));
  CHECK(clFinish(qb));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == second, "read after clWaitForEvents(A): element %d is %d", i, (int)out[i]);
  printf("read on B kept across clWaitForEvents(A's event): checksum %08x\n", checksum(out, N));

  /* 3: a non-blocking write on B gated by a user event, with clFinish(A) and another
   * transfer of the same size in between: its source must still be there when it runs. */
  cl_event gate3 = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  static cl_int source[N];
  for (int i = 0; i < N; ++i) source[i] = N - i;
  CHECK(clEnqueueWriteBuffer(qb, on_b, CL_FALSE, 0, sizeof source, source, 1, &gate3, NULL));
  CHECK(clFinish(qa));
  CHECK(clEnqueueWriteBuffer(qa, on_a, CL_TRUE, 0, sizeof init, init, 0, NULL, NULL));
  CHECK(clSetUserEventStatus(gate3, CL_COMPLETE));
  CHECK(clFinish(qb));
  CHECK(clEnqueueReadBuffer(qb, on_b, CL_TRUE, 0, sizeof check, check, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(check[i] == N - i, "write on B after clFinish(A): element %d is %d", i, (int)check[i]);
  printf("write on B kept across clFinish(A): checksum %08x\n", checksum(check, N));

  CHECK(clReleaseEvent(gate));
  CHECK(clReleaseEvent(gate2));
  CHECK(clReleaseEvent(gate3));
  CHECK(clReleaseEvent(a_done));
  CHECK(clReleaseMemObject(on_a));
  CHECK(clReleaseMemObject(on_b));
  CHECK(clReleaseCommandQueue(qa));
  CHECK(clReleaseCommandQueue(qb));
  CHECK(clReleaseContext(context));
  printf("done\n");
  return 0;
}
