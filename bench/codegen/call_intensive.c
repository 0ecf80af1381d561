/* Call-intensive OpenCL programs for remora_round_trip_bench, each modelled on a kind of
 * real benchmark, one per mode (the guest's REMORA_STATS=1 counts are per process):
 *   launch    kernel-launch throughput (SHOC KernelLaunch, clpeak's kernel latency): 2000
 *             launches with events, a wait per 100, profiling of the first and last of each.
 *   profile   a per-kernel profiler (SHOC QueueDelay-like): 1000 launches, each event
 *             timed (queued/submit/start/end) after the batch it belongs to completed.
 *   transfers many small transfers (a simulation uploading per-step parameters): 2000 steps
 *             of a 256-byte non-blocking write + launch, a blocking 256-byte read every 50.
 *   info      info queries in a loop (libraries that ask the device before every launch):
 *             1000 launches, each preceded by 7 device/kernel queries.
 * stdout is deterministic (results and counts, never timings), so a run through the stack
 * is compared with a native run. Usage: call_intensive MODE */
#include <stdio.h>
#include <string.h>

#include "common/sample_util.h"

static const char *kSource =
    "__kernel void add(__global int *acc, int x) { acc[get_global_id(0)] += x; }\n";

enum { N = 64 };

static int launch(cl_context context, cl_command_queue queue, cl_kernel kernel, cl_mem acc, int profile_all) {
  const int total = profile_all ? 1000 : 2000, batch = 100;
  size_t global = N;
  cl_event events[100];
  long expect = 0, timed_ok = 0, timed = 0;
  (void)context;
  for (int done = 0; done < total; done += batch) {
    for (int i = 0; i < batch; ++i) {
      cl_int x = (done + i) % 7;
      expect += x;
      CHECK(clSetKernelArg(kernel, 1, sizeof x, &x));
      CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, &events[i]));
    }
    CHECK(clWaitForEvents(1, &events[batch - 1]));
    for (int i = 0; i < batch; ++i) {
      if (!profile_all && i != 0 && i != batch - 1) continue;
      cl_ulong t[4];
      const cl_profiling_info what[4] = {CL_PROFILING_COMMAND_QUEUED, CL_PROFILING_COMMAND_SUBMIT,
                                         CL_PROFILING_COMMAND_START, CL_PROFILING_COMMAND_END};
      for (int k = 0; k < (profile_all ? 4 : 2); ++k)
        CHECK(clGetEventProfilingInfo(events[i], what[profile_all ? k : k + 2], sizeof t[k], &t[k], NULL));
      ++timed;
      timed_ok += profile_all ? (t[0] <= t[1] && t[1] <= t[2] && t[2] <= t[3]) : t[0] <= t[1];
    }
    for (int i = 0; i < batch; ++i) CHECK(clReleaseEvent(events[i]));
  }
  cl_int out[N];
  CHECK(clEnqueueReadBuffer(queue, acc, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == expect, "acc[%d] = %d, want %ld", i, out[i], expect);
  printf("%d launches with events: sum ok, %ld of %ld profiled events in order\n", total, timed_ok, timed);
  return 0;
}

static int transfers(cl_context context, cl_command_queue queue, cl_kernel kernel, cl_mem acc) {
  const int steps = 2000, every = 50;
  size_t global = N;
  /* One host array per step between two blocking reads: a non-blocking write may read its
   * host memory until the command completes, and the in-order queue's blocking read says
   * every earlier write has. */
  static cl_int params[50][N];
  cl_int out[N];
  cl_mem in = sample_create_buffer(context, CL_MEM_READ_ONLY, sizeof params[0], NULL);
  long expect = 0, reads = 0;
  for (int s = 0; s < steps; ++s) {
    cl_int *p = params[s % every];
    for (int i = 0; i < N; ++i) p[i] = (s + i) % 5;
    CHECK(clEnqueueWriteBuffer(queue, in, CL_FALSE, 0, sizeof params[0], p, 0, NULL, NULL));
    cl_int x = s % 3;
    expect += x;
    CHECK(clSetKernelArg(kernel, 1, sizeof x, &x));
    CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
    if (s % every == every - 1) {
      CHECK(clEnqueueReadBuffer(queue, acc, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
      ++reads;
      for (int i = 0; i < N; ++i) EXPECT(out[i] == expect, "step %d acc[%d] = %d, want %ld", s, i, out[i], expect);
    }
  }
  CHECK(clReleaseMemObject(in));
  printf("%d small writes and launches, %ld small reads: ok\n", steps, reads);
  return 0;
}

static int info(cl_device_id device, cl_command_queue queue, cl_kernel kernel, cl_mem acc) {
  const int launches = 1000;
  size_t global = N;
  long expect = 0;
  size_t first_wg = 0;
  for (int l = 0; l < launches; ++l) {
    cl_uint units = 0, dims = 0, num_args = 0;
    size_t wg = 0, kwg = 0, pref = 0;
    cl_ulong local_mem = 0;
    CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL));
    CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, sizeof dims, &dims, NULL));
    CHECK(clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL));
    CHECK(clGetDeviceInfo(device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof local_mem, &local_mem, NULL));
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_WORK_GROUP_SIZE, sizeof kwg, &kwg, NULL));
    CHECK(clGetKernelWorkGroupInfo(kernel, device, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE, sizeof pref, &pref, NULL));
    CHECK(clGetKernelInfo(kernel, CL_KERNEL_NUM_ARGS, sizeof num_args, &num_args, NULL));
    EXPECT(units > 0 && dims >= 1 && wg > 0 && kwg > 0 && pref > 0 && num_args == 2, "launch %d: bad info", l);
    if (l == 0) first_wg = kwg;
    EXPECT(kwg == first_wg, "launch %d: work-group size changed", l);
    cl_int x = l % 4;
    expect += x;
    CHECK(clSetKernelArg(kernel, 1, sizeof x, &x));
    CHECK(clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL));
  }
  cl_int out[N];
  CHECK(clEnqueueReadBuffer(queue, acc, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == expect, "acc[%d] = %d, want %ld", i, out[i], expect);
  printf("%d launches after 7 info queries each: ok\n", launches);
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, CL_QUEUE_PROFILING_ENABLE);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "add");
  cl_int zeros[N] = {0};
  cl_mem acc = sample_create_buffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof zeros, zeros);
  CHECK(clSetKernelArg(kernel, 0, sizeof acc, &acc));
  int rc;
  if (strcmp(mode, "launch") == 0) rc = launch(context, queue, kernel, acc, 0);
  else if (strcmp(mode, "profile") == 0) rc = launch(context, queue, kernel, acc, 1);
  else if (strcmp(mode, "transfers") == 0) rc = transfers(context, queue, kernel, acc);
  else if (strcmp(mode, "info") == 0) rc = info(device, queue, kernel, acc);
  else {
    fprintf(stderr, "usage: %s launch|profile|transfers|info\n", argv[0]);
    return 2;
  }
  CHECK(clReleaseMemObject(acc));
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return rc;
}
