/* 32: each non-blocking read's result is used from its event's completion callback.
 *
 * A kernel fills four buffers with different images; four non-blocking reads bring
 * them into four host buffers, each with an event whose CL_COMPLETE callback
 * summarizes its host buffer (as a program writing each image from its callback
 * does). The callback must see the read's bytes: they are in host memory when the
 * event completes, before any callback of it runs. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "common/sample_util.h"

#include <stdatomic.h>
#include <time.h>

enum { IMAGES = 4, W = 64, H = 48, N = W * H };

typedef struct {
  int index;
  const cl_uchar *pixels;
  atomic_uint checksum;
  atomic_int nonzero;
  atomic_int calls;
} image_record;

static void CL_CALLBACK on_read_done(cl_event event, cl_int status, void *user_data) {
  (void)event;
  image_record *r = (image_record *)user_data;
  unsigned s = 2166136261u;
  int nonzero = 0;
  for (int i = 0; i < N; ++i) {
    s = (s ^ r->pixels[i]) * 16777619u;
    nonzero += r->pixels[i] != 0;
  }
  atomic_store(&r->checksum, status == CL_COMPLETE ? s : 0u);
  atomic_store(&r->nonzero, nonzero);
  atomic_fetch_add(&r->calls, 1);
}

/* Each pixel also takes a few thousand steps of a generator, so the kernels are still
 * running while the reads and their callbacks are set up: the reads complete later, on
 * the implementation's own threads. */
enum { STEPS = 3000 };

static cl_uchar pixel(int x, int y, int seed) {
  cl_uint h = (cl_uint)(seed * 7919 + x);
  for (int i = 0; i < STEPS; ++i) h = h * 1664525u + 1013904223u;
  return (cl_uchar)(((x * (seed + 1) + y * (seed + 3) + seed * 17) & 255) ^ (h >> 31));
}

static const char *kSource =
    "__kernel void draw(__global uchar *img, int seed, int steps) {\n"
    "  int x = get_global_id(0), y = get_global_id(1);\n"
    "  uint h = (uint)(seed * 7919 + x);\n"
    "  for (int i = 0; i < steps; ++i) h = h * 1664525u + 1013904223u;\n"
    "  img[y * get_global_size(0) + x] = (uchar)(((x * (seed + 1) + y * (seed + 3) + seed * 17) & 255) ^ (h >> 31));\n"
    "}\n";

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  cl_program program = sample_build_program(context, device, kSource, NULL);
  cl_kernel kernel = sample_create_kernel(program, "draw");

  static cl_uchar host[IMAGES][N];
  static image_record records[IMAGES];
  cl_mem images[IMAGES];
  cl_event done[IMAGES];
  size_t global[2] = {W, H};
  for (int k = 0; k < IMAGES; ++k) {
    images[k] = sample_create_buffer(context, CL_MEM_READ_WRITE, N, NULL);
    cl_int seed = k;
    CHECK(clSetKernelArg(kernel, 0, sizeof images[k], &images[k]));
    cl_int steps = STEPS;
    CHECK(clSetKernelArg(kernel, 1, sizeof seed, &seed));
    CHECK(clSetKernelArg(kernel, 2, sizeof steps, &steps));
    CHECK(clEnqueueNDRangeKernel(queue, kernel, 2, NULL, global, NULL, 0, NULL, NULL));
  }
  /* The reads wait for a gate, so every callback is registered before any read is done
   * and runs when the implementation completes the read, not inside a call. */
  cl_int err = CL_SUCCESS;
  cl_event gate = clCreateUserEvent(context, &err);
  CHECK_ERR(err, "clCreateUserEvent");
  for (int k = 0; k < IMAGES; ++k) {
    records[k].index = k;
    records[k].pixels = host[k];
    CHECK(clEnqueueReadBuffer(queue, images[k], CL_FALSE, 0, N, host[k], 1, &gate, &done[k]));
    CHECK(clSetEventCallback(done[k], CL_COMPLETE, on_read_done, &records[k]));
  }
  CHECK(clFlush(queue));
  CHECK(clSetUserEventStatus(gate, CL_COMPLETE));
  /* Wait for the callbacks themselves (they may run after clFinish returns). */
  for (int t = 0; t < 10000; ++t) {
    int all = 1;
    for (int k = 0; k < IMAGES; ++k) all &= atomic_load(&records[k].calls) > 0;
    if (all) break;
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  CHECK(clFinish(queue));
  for (int k = 0; k < IMAGES; ++k) {
    EXPECT(atomic_load(&records[k].calls) == 1, "image %d: %d callback calls", k, atomic_load(&records[k].calls));
    unsigned expect = 2166136261u;
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) expect = (expect ^ pixel(x, y, k)) * 16777619u;
    EXPECT(atomic_load(&records[k].checksum) == expect, "image %d: its callback saw checksum %08x, want %08x", k,
           atomic_load(&records[k].checksum), expect);
    printf("image %d: callback saw %d non-zero pixels, checksum %08x\n", k, atomic_load(&records[k].nonzero),
           atomic_load(&records[k].checksum));
  }
  CHECK(clReleaseEvent(gate));
  for (int k = 0; k < IMAGES; ++k) {
    CHECK(clReleaseEvent(done[k]));
    CHECK(clReleaseMemObject(images[k]));
  }
  CHECK(clReleaseKernel(kernel));
  CHECK(clReleaseProgram(program));
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  return 0;
}
