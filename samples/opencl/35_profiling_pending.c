/* 35: profiling a finished command while another command's event is still waiting.
 * The stack answers a `cacheable` query's siblings (the same question for the program's
 * other events) in the same reply; the waiting event's query fails
 * (CL_PROFILING_INFO_NOT_AVAILABLE), and that failure deadlocked the server's worker
 * (issue 15, found by the OpenCL fuzz target). The program must get its answer, exactly as
 * natively, and the waiting command's times once it has run. */
#include "common/sample_util.h"

enum { N = 4096 };

static int times_ok(cl_event e) {
  cl_ulong start = 0, end = 0;
  CHECK(clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL));
  CHECK(clGetEventProfilingInfo(e, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL));
  return start <= end;
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue q = sample_create_queue(context, device, CL_QUEUE_PROFILING_ENABLE);
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(cl_int), NULL);

  static cl_int in[N], out[N];
  for (int i = 0; i < N; ++i) in[i] = i * 5 + 1;
  cl_int err = CL_SUCCESS;
  cl_event gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  cl_event written = NULL, read = NULL;
  CHECK(clEnqueueWriteBuffer(q, buf, CL_TRUE, 0, sizeof in, in, 0, NULL, &written));
  /* An out-of-order wait is not needed: the read waits for the gate, which stays open. */
  CHECK(clEnqueueReadBuffer(q, buf, CL_FALSE, 0, sizeof out, out, 1, &gate, &read));
  CHECK(clFlush(q));

  /* The read's (and the user event's) profiling is not available yet. */
  cl_ulong end = 0;
  cl_int early = clGetEventProfilingInfo(read, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL);
  printf("the waiting read's times before it ran: %s\n",
         early == CL_PROFILING_INFO_NOT_AVAILABLE ? "not available" : "available?");
  printf("the finished write's times: %s\n", times_ok(written) ? "ok" : "end before start");

  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  CHECK(clWaitForEvents(1, &read));
  printf("the read's times after it ran: %s\n", times_ok(read) ? "ok" : "end before start");
  int bad = 0;
  for (int i = 0; i < N; ++i) bad += out[i] != i * 5 + 1;
  EXPECT(bad == 0, "%d elements differ", bad);

  CHECK(clReleaseEvent(read));
  CHECK(clReleaseEvent(written));
  CHECK(clReleaseEvent(gate));
  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseCommandQueue(q));
  CHECK(clReleaseContext(context));
  printf("done\n");
  return 0;
}
