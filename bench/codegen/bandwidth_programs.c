/* Transfer-bound OpenCL programs of our own, modelled on well-known benchmarks, for
 * remora_round_trip_bench (remoted/native wall time per transport):
 *  - bus-download: host -> device bandwidth sweep like SHOC's BusSpeedDownload (blocking
 *    clEnqueueWriteBuffer of 1 KiB .. 64 MiB, several passes per size);
 *  - bus-readback: device -> host, like SHOC's BusSpeedReadback (blocking reads);
 *  - triad: a STREAM-style triad (a = b + s * c) with its transfers, like SHOC's Triad:
 *    per iteration the inputs are written (non-blocking), the kernel runs, the result is
 *    read back (non-blocking + event wait), and checked.
 * Output is deterministic (checksums, never timings), so a remoted run must print
 * exactly what the native run prints.
 * Usage: remora_bandwidth_programs bus-download|bus-readback|triad */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_bench_setup.h"

static cl_context g_context;
static cl_command_queue g_queue;
static cl_device_id g_device;

static uint64_t checksum(const unsigned char *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i += 4093) h = (h ^ p[i]) * 1099511628211ull;
  return h ^ p[n - 1];
}

/* One size after the other, 1 KiB .. 64 MiB, like SHOC's sweep (which goes on to 512 MiB). */
static int bus_speed(int readback) {
  const size_t max_bytes = (size_t)64 << 20;
  const int passes = 3;
  unsigned char *host = malloc(max_bytes);
  if (!host) return 1;
  for (size_t i = 0; i < max_bytes; ++i) host[i] = (unsigned char)(i * 31 + 7);
  cl_int err;
  cl_mem buf = clCreateBuffer(g_context, CL_MEM_READ_WRITE, max_bytes, NULL, &err);
  CHECK(err);
  if (readback) CHECK(clEnqueueWriteBuffer(g_queue, buf, CL_TRUE, 0, max_bytes, host, 0, NULL, NULL));
  uint64_t sum = 0;
  int sizes = 0;
  for (size_t bytes = 1024; bytes <= max_bytes; bytes *= 4, ++sizes) {
    for (int pass = 0; pass < passes; ++pass) {
      if (readback) {
        memset(host, 0, bytes);
        CHECK(clEnqueueReadBuffer(g_queue, buf, CL_TRUE, 0, bytes, host, 0, NULL, NULL));
      } else {
        host[pass] ^= 1;  /* each pass sends different bytes */
        CHECK(clEnqueueWriteBuffer(g_queue, buf, CL_TRUE, 0, bytes, host, 0, NULL, NULL));
      }
    }
    sum += checksum(host, bytes);
  }
  if (!readback) {  /* what the device holds now */
    unsigned char *back = malloc(max_bytes);
    if (!back) return 1;
    CHECK(clEnqueueReadBuffer(g_queue, buf, CL_TRUE, 0, max_bytes, back, 0, NULL, NULL));
    sum += checksum(back, max_bytes);
    free(back);
  }
  printf("%s: %d sizes x %d passes, checksum %016llx\n", readback ? "bus-readback" : "bus-download", sizes, passes,
         (unsigned long long)sum);
  CHECK(clReleaseMemObject(buf));
  free(host);
  return 0;
}

static const char *kTriadSource =
    "__kernel void triad(__global const float* b, __global const float* c, __global float* a, float s) {\n"
    "  size_t i = get_global_id(0);\n"
    "  a[i] = b[i] + s * c[i];\n"
    "}\n";

static int triad(void) {
  const size_t n = (size_t)4 << 20; /* 16 MiB per array */
  const int iterations = 8;
  const size_t bytes = n * sizeof(float);
  float *a = malloc(bytes), *b = malloc(bytes), *c = malloc(bytes);
  if (!a || !b || !c) return 1;
  cl_int err;
  cl_program prog = clCreateProgramWithSource(g_context, 1, &kTriadSource, NULL, &err);
  CHECK(err);
  CHECK(clBuildProgram(prog, 1, &g_device, "", NULL, NULL));
  cl_kernel k = clCreateKernel(prog, "triad", &err);
  CHECK(err);
  cl_mem db = clCreateBuffer(g_context, CL_MEM_READ_ONLY, bytes, NULL, &err);
  CHECK(err);
  cl_mem dc = clCreateBuffer(g_context, CL_MEM_READ_ONLY, bytes, NULL, &err);
  CHECK(err);
  cl_mem da = clCreateBuffer(g_context, CL_MEM_WRITE_ONLY, bytes, NULL, &err);
  CHECK(err);
  CHECK(clSetKernelArg(k, 0, sizeof db, &db));
  CHECK(clSetKernelArg(k, 1, sizeof dc, &dc));
  CHECK(clSetKernelArg(k, 2, sizeof da, &da));
  unsigned bad = 0;
  for (int it = 0; it < iterations; ++it) {
    const float s = 1.5f + (float)it;
    for (size_t i = 0; i < n; ++i) {
      b[i] = (float)((i + (size_t)it) % 1000);
      c[i] = (float)((i * 3) % 977);
    }
    CHECK(clSetKernelArg(k, 3, sizeof s, &s));
    CHECK(clEnqueueWriteBuffer(g_queue, db, CL_FALSE, 0, bytes, b, 0, NULL, NULL));
    CHECK(clEnqueueWriteBuffer(g_queue, dc, CL_FALSE, 0, bytes, c, 0, NULL, NULL));
    size_t global = n;
    CHECK(clEnqueueNDRangeKernel(g_queue, k, 1, NULL, &global, NULL, 0, NULL, NULL));
    cl_event done;
    CHECK(clEnqueueReadBuffer(g_queue, da, CL_FALSE, 0, bytes, a, 0, NULL, &done));
    CHECK(clWaitForEvents(1, &done));
    CHECK(clReleaseEvent(done));
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i] + s * c[i]) ++bad;
  }
  printf("triad: %d iterations of %zu floats, %u wrong\n", iterations, n, bad);
  CHECK(clReleaseMemObject(da));
  CHECK(clReleaseMemObject(dc));
  CHECK(clReleaseMemObject(db));
  CHECK(clReleaseKernel(k));
  CHECK(clReleaseProgram(prog));
  free(a);
  free(b);
  free(c);
  return bad != 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s bus-download|bus-readback|triad\n", argv[0]);
    return 2;
  }
  struct ClBench cl = cl_bench_open();
  g_device = cl.device;
  g_context = cl.context;
  g_queue = cl.queue;
  int rc;
  if (strcmp(argv[1], "bus-download") == 0) rc = bus_speed(0);
  else if (strcmp(argv[1], "bus-readback") == 0) rc = bus_speed(1);
  else if (strcmp(argv[1], "triad") == 0) rc = triad();
  else {
    fprintf(stderr, "unknown program %s\n", argv[1]);
    return 2;
  }
  cl_bench_close(&cl);
  return rc;
}
