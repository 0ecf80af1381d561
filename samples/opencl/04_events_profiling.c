/* 04: three kernels chained through event wait lists, with profiling.
 *
 * fill -> scale -> add_offset, each waiting on the previous event; the
 * read waits on the last one. Timestamps are device-specific, so only their
 * ordering is printed. */
#include "common/sample_util.h"

static const char *kSource =
    "__kernel void fill(__global int *v, int value) { v[get_global_id(0)] = value + (int)get_global_id(0); }\n"
    "__kernel void scale(__global int *v, int factor) { v[get_global_id(0)] *= factor; }\n"
    "__kernel void add_offset(__global int *v, int offset) { v[get_global_id(0)] += offset; }\n";

enum { N = 1024 };

static void check_profile(cl_event event, const char *label) {
  cl_ulong queued = 0, submit = 0, start = 0, end = 0;
  CHECK(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_QUEUED, sizeof queued, &queued, NULL));
  CHECK(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_SUBMIT, sizeof submit, &submit, NULL));
  CHECK(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, sizeof start, &start, NULL));
  CHECK(clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, sizeof end, &end, NULL));
  fprintf(stderr, "%s: queued %llu submit %llu start %llu end %llu\n", label,
          (unsigned long long)queued, (unsigned long long)submit, (unsigned long long)start,
          (unsigned long long)end);
  printf("%s: end>=start: %s, start>=queued: %s\n", label, end >= start ? "yes" : "no",
         start >= queued ? "yes" : "no");
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, CL_QUEUE_PROFILING_ENABLE);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel fill = sample_create_kernel(program, "fill");
  cl_kernel scale = sample_create_kernel(program, "scale");
  cl_kernel add_offset = sample_create_kernel(program, "add_offset");
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, N * sizeof(cl_int), NULL);

  cl_int value = 5, factor = 3, offset = -7;
  CHECK(clSetKernelArg(fill, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(fill, 1, sizeof value, &value));
  CHECK(clSetKernelArg(scale, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(scale, 1, sizeof factor, &factor));
  CHECK(clSetKernelArg(add_offset, 0, sizeof buf, &buf));
  CHECK(clSetKernelArg(add_offset, 1, sizeof offset, &offset));

  size_t global = N;
  cl_event events[4];
  CHECK(clEnqueueNDRangeKernel(queue, fill, 1, NULL, &global, NULL, 0, NULL, &events[0]));
  CHECK(clEnqueueNDRangeKernel(queue, scale, 1, NULL, &global, NULL, 1, &events[0], &events[1]));
  CHECK(clEnqueueNDRangeKernel(queue, add_offset, 1, NULL, &global, NULL, 1, &events[1], &events[2]));
  cl_int out[N];
  CHECK(clEnqueueReadBuffer(queue, buf, CL_FALSE, 0, sizeof out, out, 1, &events[2], &events[3]));
  CHECK(clWaitForEvents(4, events));

  for (int i = 0; i < N; ++i) {
    cl_int want = (value + i) * factor + offset;
    EXPECT(out[i] == want, "out[%d] = %d, expected %d", i, out[i], want);
  }
  long long sum = 0;
  for (int i = 0; i < N; ++i) sum += out[i];
  printf("chain fill->scale->add_offset: ok, sum %lld\n", sum);

  const char *labels[4] = {"fill", "scale", "add_offset", "read"};
  for (int i = 0; i < 4; ++i) {
    cl_int status = -1;
    CHECK(clGetEventInfo(events[i], CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status, &status, NULL));
    EXPECT(status == CL_COMPLETE, "%s status %d", labels[i], (int)status);
    cl_command_type type = 0;
    CHECK(clGetEventInfo(events[i], CL_EVENT_COMMAND_TYPE, sizeof type, &type, NULL));
    cl_command_queue event_queue = NULL;
    CHECK(clGetEventInfo(events[i], CL_EVENT_COMMAND_QUEUE, sizeof event_queue, &event_queue, NULL));
    EXPECT(event_queue == queue, "%s: event queue mismatch", labels[i]);
    printf("%s: complete, command type %s\n", labels[i],
           type == CL_COMMAND_NDRANGE_KERNEL ? "NDRANGE_KERNEL"
           : type == CL_COMMAND_READ_BUFFER  ? "READ_BUFFER"
                                             : "other");
    check_profile(events[i], labels[i]);
  }

  /* Kernel-to-kernel ordering is visible in the timestamps too. */
  cl_ulong end_fill = 0, start_scale = 0;
  CHECK(clGetEventProfilingInfo(events[0], CL_PROFILING_COMMAND_END, sizeof end_fill, &end_fill, NULL));
  CHECK(clGetEventProfilingInfo(events[1], CL_PROFILING_COMMAND_START, sizeof start_scale, &start_scale, NULL));
  printf("scale started after fill ended: %s\n", start_scale >= end_fill ? "yes" : "no");

  for (int i = 0; i < 4; ++i) CHECK(clReleaseEvent(events[i]));
  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseKernel(fill));
  CHECK(clReleaseKernel(scale));
  CHECK(clReleaseKernel(add_offset));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
