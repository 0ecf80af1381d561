/* 38: non-blocking writes whose completion only a later command proves.
 *
 * A STREAM-style triad on an in-order queue: two event-less non-blocking writes, a
 * kernel, a non-blocking read with an event, clWaitForEvents on that event, and the
 * host arrays rewritten for the next iteration (legal: on an in-order queue the read's
 * completion means the writes are done). Then non-blocking writes each followed by a
 * small blocking read, and no clFinish in between. Then, where the device has them, the
 * same triad on an out-of-order queue with event dependencies and a clFinish. A
 * remoting server must keep each write's input until something proves it done: on an
 * in-order queue the later command's completion does, on an out-of-order one only the
 * write's own event or a finish. */
#include "common/sample_util.h"

enum { N = 1 << 20, ITERATIONS = 8 }; /* 4 MiB per array */

static const char* kSource =
    "__kernel void triad(__global const float* b, __global const float* c, __global float* a, "
    "float s) {\n"
    "  size_t i = get_global_id(0);\n"
    "  a[i] = b[i] + s * c[i];\n"
    "}\n";

static void fill(float* b, float* c, int it) {
  for (size_t i = 0; i < N; ++i) {
    b[i] = (float)((i + (size_t)it * 7) % 1000);
    c[i] = (float)((i * 3 + (size_t)it) % 977);
  }
}

static unsigned wrong(const float* a, const float* b, const float* c, float s) {
  unsigned bad = 0;
  for (size_t i = 0; i < N; ++i)
    if (a[i] != b[i] + s * c[i]) ++bad;
  return bad;
}

/* The triad; with_events: each command waits on the one it needs (an out-of-order queue). */
static void triad(cl_command_queue queue, cl_kernel k, cl_mem db, cl_mem dc, cl_mem da, float* a,
                  float* b, float* c, int iterations, int with_events, const char* what) {
  unsigned bad = 0;
  double sum = 0;
  for (int it = 0; it < iterations; ++it) {
    const float s = 0.5f + (float)it;
    fill(b, c, it);
    CHECK(clSetKernelArg(k, 3, sizeof s, &s));
    cl_event wrote[2], ran, done;
    CHECK(clEnqueueWriteBuffer(queue, db, CL_FALSE, 0, N * sizeof(float), b, 0, NULL,
                               with_events ? &wrote[0] : NULL));
    CHECK(clEnqueueWriteBuffer(queue, dc, CL_FALSE, 0, N * sizeof(float), c, 0, NULL,
                               with_events ? &wrote[1] : NULL));
    size_t global = N;
    CHECK(clEnqueueNDRangeKernel(queue, k, 1, NULL, &global, NULL, with_events ? 2 : 0,
                                 with_events ? wrote : NULL, with_events ? &ran : NULL));
    CHECK(clEnqueueReadBuffer(queue, da, CL_FALSE, 0, N * sizeof(float), a, with_events ? 1 : 0,
                              with_events ? &ran : NULL, &done));
    CHECK(clWaitForEvents(1, &done));
    CHECK(clReleaseEvent(done));
    if (with_events) {
      CHECK(clReleaseEvent(wrote[0]));
      CHECK(clReleaseEvent(wrote[1]));
      CHECK(clReleaseEvent(ran));
    }
    bad += wrong(a, b, c, s);
    sum += a[it * 1000 + 17];
  }
  CHECK(clFinish(queue));
  printf("%s: %d iterations, %u wrong, sample sum %.1f\n", what, iterations, bad, sum);
}

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, "");
  cl_kernel k = sample_create_kernel(program, "triad");
  cl_mem db = sample_create_buffer(context, CL_MEM_READ_ONLY, N * sizeof(float), NULL);
  cl_mem dc = sample_create_buffer(context, CL_MEM_READ_ONLY, N * sizeof(float), NULL);
  cl_mem da = sample_create_buffer(context, CL_MEM_WRITE_ONLY, N * sizeof(float), NULL);
  CHECK(clSetKernelArg(k, 0, sizeof db, &db));
  CHECK(clSetKernelArg(k, 1, sizeof dc, &dc));
  CHECK(clSetKernelArg(k, 2, sizeof da, &da));
  float *a = (float*)malloc(N * sizeof(float)), *b = (float*)malloc(N * sizeof(float)),
        *c = (float*)malloc(N * sizeof(float));
  if (!a || !b || !c) return 1;

  triad(queue, k, db, dc, da, a, b, c, ITERATIONS, 0,
        "in-order triad, waiting on the read's event");

  /* Writes each followed by a blocking read of a few of its bytes, no finish between. */
  unsigned differ = 0;
  for (int it = 0; it < ITERATIONS; ++it) {
    fill(b, c, it + 100);
    float back[16];
    CHECK(clEnqueueWriteBuffer(queue, db, CL_FALSE, 0, N * sizeof(float), b, 0, NULL, NULL));
    CHECK(clEnqueueReadBuffer(queue, db, CL_TRUE, (size_t)it * 4096, sizeof back, back, 0, NULL,
                              NULL));
    differ += memcmp(back, b + it * 1024, sizeof back) != 0;
  }
  CHECK(clFinish(queue));
  printf("in-order writes, each then a blocking read: %d iterations, %u differ\n", ITERATIONS,
         differ);

  cl_command_queue_properties supported = 0;
  CHECK(clGetDeviceInfo(device, CL_DEVICE_QUEUE_ON_HOST_PROPERTIES, sizeof supported, &supported,
                        NULL));
  if (supported & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) {
    cl_command_queue ooo =
        sample_create_queue(context, device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE);
    /* Two iterations: their inputs stay held until the finish (a bounded 16 MiB). */
    triad(ooo, k, db, dc, da, a, b, c, 2, 1, "out-of-order triad, with event dependencies");
    CHECK(clReleaseCommandQueue(ooo));
  } else {
    printf(
        "out-of-order triad, with event dependencies: 2 iterations, 0 wrong (no out-of-order "
        "queues here)\n");
  }

  CHECK(clReleaseMemObject(da));
  CHECK(clReleaseMemObject(dc));
  CHECK(clReleaseMemObject(db));
  CHECK(clReleaseKernel(k));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  free(a);
  free(b);
  free(c);
  return 0;
}
