/* Bulk transfer probe: times clEnqueueReadBuffer / clEnqueueWriteBuffer of one
 * buffer, blocking and non-blocking + clWaitForEvents, for sizes 4 KiB .. 64 MiB
 * (256 MiB with --large), and from 1 MiB a write sent as 8 non-blocking pieces. The benchmark runs it natively and through the
 * remoting stack (LD_LIBRARY_PATH picks the library) and prints the ratios.
 *
 * Usage: remora_bulk_probe [--large] [--median] [BYTES...]   (only the given sizes when any)
 * Output, one line per case:  <mode> <bytes> <seconds per transfer: the best, or the median
 * with --median>
 * The modes of one size take turns transfer by transfer (this host has two speeds that
 * last longer than a case). Each mode's bytes are checked before and after its timed
 * transfers, so a fast path that moves the wrong bytes fails here (exit 1) instead of
 * looking fast. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cl_bench_setup.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

enum Mode { READ_BLOCKING, READ_NONBLOCKING, WRITE_BLOCKING, WRITE_NONBLOCKING, WRITE_PIECES, MODES };
static const char *kModeNames[] = {"read-blocking", "read-nonblocking", "write-blocking", "write-nonblocking",
                                   "write-pieces"};

/* write-pieces: the transfer as 8 non-blocking writes of consecutive sub-ranges, each with
 * its event, then one wait for all of them (a program that streams its data in pieces):
 * the remoted server can receive piece k+1 while the library copies piece k. From 1 MiB. */
enum { PIECES = 8 };
static const size_t kPiecesFrom = (size_t)1 << 20;

static cl_command_queue g_queue;
static cl_mem g_buffer;

static void transfer(enum Mode mode, unsigned char *host, size_t bytes) {
  cl_event ev;
  switch (mode) {
    case READ_BLOCKING: CHECK(clEnqueueReadBuffer(g_queue, g_buffer, CL_TRUE, 0, bytes, host, 0, NULL, NULL)); break;
    case WRITE_BLOCKING: CHECK(clEnqueueWriteBuffer(g_queue, g_buffer, CL_TRUE, 0, bytes, host, 0, NULL, NULL)); break;
    case READ_NONBLOCKING:
      CHECK(clEnqueueReadBuffer(g_queue, g_buffer, CL_FALSE, 0, bytes, host, 0, NULL, &ev));
      CHECK(clWaitForEvents(1, &ev));
      CHECK(clReleaseEvent(ev));
      break;
    case WRITE_NONBLOCKING:
      CHECK(clEnqueueWriteBuffer(g_queue, g_buffer, CL_FALSE, 0, bytes, host, 0, NULL, &ev));
      CHECK(clWaitForEvents(1, &ev));
      CHECK(clReleaseEvent(ev));
      break;
    case WRITE_PIECES: {
      cl_event evs[PIECES];
      const size_t piece = bytes / PIECES;
      for (int k = 0; k < PIECES; ++k) {
        const size_t at = (size_t)k * piece, n = k == PIECES - 1 ? bytes - at : piece;
        CHECK(clEnqueueWriteBuffer(g_queue, g_buffer, CL_FALSE, at, n, host + at, 0, NULL, &evs[k]));
      }
      CHECK(clWaitForEvents(PIECES, evs));
      for (int k = 0; k < PIECES; ++k) CHECK(clReleaseEvent(evs[k]));
      break;
    }
    case MODES: break;
  }
}

/* One transfer of `mode` whose bytes are checked: a read must deliver what the buffer
 * holds (dst cleared first), a write must store src (the buffer cleared first). */
static int verified(enum Mode mode, const unsigned char *src, unsigned char *dst, size_t bytes) {
  const int is_read = mode == READ_BLOCKING || mode == READ_NONBLOCKING;
  memset(dst, 0, bytes);
  if (is_read) {
    CHECK(clEnqueueWriteBuffer(g_queue, g_buffer, CL_TRUE, 0, bytes, src, 0, NULL, NULL));
    transfer(mode, dst, bytes);
  } else {
    CHECK(clEnqueueWriteBuffer(g_queue, g_buffer, CL_TRUE, 0, bytes, dst, 0, NULL, NULL));
    transfer(mode, (unsigned char *)src, bytes);
    CHECK(clEnqueueReadBuffer(g_queue, g_buffer, CL_TRUE, 0, bytes, dst, 0, NULL, NULL));
  }
  if (memcmp(dst, src, bytes) == 0) return 1;
  fprintf(stderr, "%s of %zu bytes returned wrong data\n", kModeNames[mode], bytes);
  return 0;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  size_t max_bytes = (size_t)64 << 20;
  size_t only[16];
  int n_only = 0, median = 0;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--large") == 0) max_bytes = (size_t)256 << 20;
    else if (strcmp(argv[i], "--median") == 0) median = 1;
    else if (n_only < 16) only[n_only++] = (size_t)strtoull(argv[i], NULL, 10);
  }
  for (int i = 0; i < n_only; ++i)
    if (only[i] > max_bytes) max_bytes = only[i];
  struct ClBench cl = cl_bench_open();
  g_queue = cl.queue;
  cl_int err;
  g_buffer = clCreateBuffer(cl.context, CL_MEM_READ_WRITE, max_bytes, NULL, &err);
  CHECK(err);
  unsigned char *src = malloc(max_bytes), *dst = malloc(max_bytes);
  if (!src || !dst) return 1;
  for (size_t i = 0; i < max_bytes; ++i) src[i] = (unsigned char)(i * 131 + 7);
  memset(dst, 0, max_bytes);
  for (size_t bytes = 4096; bytes <= max_bytes; bytes *= 4) {
    int wanted = n_only == 0;
    for (int i = 0; i < n_only; ++i) wanted |= only[i] == bytes;
    if (!wanted) continue;
    /* Enough repetitions for ~256 MiB per case, at least 5. */
    int reps = (int)(((size_t)256 << 20) / bytes);
    if (reps < 5) reps = 5;
    if (reps > 300) reps = 300;
    int modes[MODES], n_modes = 0;
    for (int m = 0; m < MODES; ++m)
      if (m != WRITE_PIECES || bytes >= kPiecesFrom) modes[n_modes++] = m;
    /* Each mode moves the right bytes before and after the timed transfers (a warm-up
     * first: first-touch costs are not the steady state). */
    for (int k = 0; k < n_modes; ++k)
      if (!verified((enum Mode)modes[k], src, dst, bytes)) return 1;
    /* The modes take turns, transfer by transfer: this host runs in two speeds that last
     * longer than one case's transfers, so modes timed one after the other would compare
     * the host's modes as much as theirs. */
    static double times[MODES][300];
    for (int r = 0; r < reps; ++r)
      for (int k = 0; k < n_modes; ++k) {
        const int m = modes[k];
        const int is_read = m == READ_BLOCKING || m == READ_NONBLOCKING;
        double t = now();
        transfer((enum Mode)m, is_read ? dst : src, bytes);
        times[m][r] = now() - t;
      }
    for (int k = 0; k < n_modes; ++k) {
      const int m = modes[k];
      if (!verified((enum Mode)m, src, dst, bytes)) return 1;
      qsort(times[m], (size_t)reps, sizeof times[m][0], by_value);
      printf("%s %zu %.9f\n", kModeNames[m], bytes, median ? times[m][reps / 2] : times[m][0]);
    }
    fflush(stdout);
  }
  CHECK(clReleaseMemObject(g_buffer));
  cl_bench_close(&cl);
  free(src);
  free(dst);
  return 0;
}
