/* Runs inside the QEMU guest of the virtio-serial benchmark (test_guest_environments.cpp,
 * "[vm-bench]"): the raw channel next to API calls over the same kind of link.
 *
 *   vm_link_probe raw PORT ROUNDS BYTES   ping-pong of BYTES over the virtio-serial port
 *                                         PORT (the host echoes): "raw BYTES <us per round>"
 *   vm_link_probe calls N                 N blocking 4-byte clEnqueueReadBuffer calls:
 *                                         "call 4 <us per call>"
 *   vm_link_probe bulk BYTES REPEATS      blocking write + read of BYTES, best of REPEATS:
 *                                         "bulk-write BYTES <MB/s>", "bulk-read BYTES <MB/s>"
 * Reads are checked against what was written (exit 1 on a mismatch). */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int open_port(const char* name) {
  DIR* d = opendir("/sys/class/virtio-ports");
  struct dirent* e;
  char path[512], got[256];
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "/sys/class/virtio-ports/%s/name", e->d_name);
    FILE* f = fopen(path, "r");
    if (!f) continue;
    int match = fgets(got, sizeof got, f) && strncmp(got, name, strlen(name)) == 0 &&
                got[strlen(name)] == '\n';
    fclose(f);
    if (match) {
      snprintf(path, sizeof path, "/dev/%s", e->d_name);
      closedir(d);
      return open(path, O_RDWR | O_NONBLOCK);
    }
  }
  if (d) closedir(d);
  return -1;
}

/* Sends n bytes and receives n bytes back, interleaved (the port's queues are small). */
static int round_trip(int fd, const unsigned char* out, unsigned char* in, size_t n) {
  size_t sent = 0, got = 0;
  while (got < n) {
    struct pollfd p = {fd, (short)(POLLIN | (sent < n ? POLLOUT : 0)), 0};
    if (poll(&p, 1, 5000) <= 0) return -1;
    if ((p.revents & POLLOUT) && sent < n) {
      ssize_t k = write(fd, out + sent, n - sent);
      if (k > 0)
        sent += (size_t)k;
      else if (k < 0 && errno != EAGAIN)
        return -1;
    }
    if (p.revents & POLLIN) {
      ssize_t k = read(fd, in + got, n - got);
      if (k > 0)
        got += (size_t)k;
      else if (k == 0 || errno != EAGAIN)
        return -1;
    }
  }
  return memcmp(out, in, n) == 0 ? 0 : -1;
}

static int raw(const char* port, long rounds, size_t bytes) {
  int fd = open_port(port);
  if (fd < 0) {
    fprintf(stderr, "no virtio-serial port %s\n", port);
    return 1;
  }
  unsigned char *out = malloc(bytes), *in = malloc(bytes);
  for (size_t i = 0; i < bytes; ++i) out[i] = (unsigned char)(i * 7);
  if (round_trip(fd, out, in, bytes) != 0) return 1; /* warm-up */
  double t = now();
  for (long r = 0; r < rounds; ++r)
    if (round_trip(fd, out, in, bytes) != 0) {
      fprintf(stderr, "raw round trip failed\n");
      return 1;
    }
  printf("raw %zu %.1f\n", bytes, (now() - t) / (double)rounds * 1e6);
  return 0;
}

#define CHECK(call)                                      \
  do {                                                   \
    cl_int e_ = (call);                                  \
    if (e_ != CL_SUCCESS) {                              \
      fprintf(stderr, "%s failed with %d\n", #call, e_); \
      exit(1);                                           \
    }                                                    \
  } while (0)

static int api(int bulk, size_t bytes, long n) {
  cl_platform_id platform;
  cl_device_id device;
  cl_int err;
  CHECK(clGetPlatformIDs(1, &platform, NULL));
  CHECK(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL));
  cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  CHECK(err);
  cl_command_queue q = clCreateCommandQueueWithProperties(ctx, device, NULL, &err);
  CHECK(err);
  cl_mem buf = clCreateBuffer(ctx, CL_MEM_READ_WRITE, bytes, NULL, &err);
  CHECK(err);
  unsigned char *out = malloc(bytes), *in = malloc(bytes);
  for (size_t i = 0; i < bytes; ++i) out[i] = (unsigned char)(i * 13 + 1);
  CHECK(clEnqueueWriteBuffer(q, buf, CL_TRUE, 0, bytes, out, 0, NULL, NULL));
  if (!bulk) {
    CHECK(clEnqueueReadBuffer(q, buf, CL_TRUE, 0, 4, in, 0, NULL, NULL)); /* warm-up */
    double t = now();
    for (long i = 0; i < n; ++i)
      CHECK(clEnqueueReadBuffer(q, buf, CL_TRUE, 0, 4, in, 0, NULL, NULL));
    printf("call 4 %.1f\n", (now() - t) / (double)n * 1e6);
  } else {
    double best_w = 1e9, best_r = 1e9;
    for (long i = 0; i < n; ++i) {
      double t = now();
      CHECK(clEnqueueWriteBuffer(q, buf, CL_TRUE, 0, bytes, out, 0, NULL, NULL));
      double w = now() - t;
      memset(in, 0, bytes);
      t = now();
      CHECK(clEnqueueReadBuffer(q, buf, CL_TRUE, 0, bytes, in, 0, NULL, NULL));
      double r = now() - t;
      if (memcmp(in, out, bytes) != 0) {
        fprintf(stderr, "bulk read returned other bytes than written\n");
        return 1;
      }
      if (w < best_w) best_w = w;
      if (r < best_r) best_r = r;
    }
    printf("bulk-write %zu %.1f\nbulk-read %zu %.1f\n", bytes, (double)bytes / best_w / 1e6, bytes,
           (double)bytes / best_r / 1e6);
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 5 && strcmp(argv[1], "raw") == 0)
    return raw(argv[2], atol(argv[3]), (size_t)atol(argv[4]));
  if (argc == 3 && strcmp(argv[1], "calls") == 0) return api(0, 4096, atol(argv[2]));
  if (argc == 4 && strcmp(argv[1], "bulk") == 0)
    return api(1, (size_t)atol(argv[2]), atol(argv[3]));
  fprintf(stderr, "usage: vm_link_probe raw PORT ROUNDS BYTES | calls N | bulk BYTES REPEATS\n");
  return 2;
}
