/* A program using the toy API; its output must be identical natively and
 * through the generated remoting stack. Modes:
 *   toy_client            every pattern, deterministic output
 *   toy_client leak       creates objects and exits without releasing them
 *   toy_client async-error  a failing non-blocking call reported by toyFinish
 *   toy_client async-error-query  the same, reported by a call whose size needs query()
 *   toy_client unsupported  calls the unsupported function
 *   toy_client failed-outputs  outputs a call leaves unwritten (failed or not) keep their values
 *   toy_client structs    structs holding pointers (deep copy), and an unknown chain member
 *   toy_client fork       parent and forked child both use the API
 *   toy_client threads    four threads calling at once
 *   toy_client ping N     N small synchronous calls (for benchmarks) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "toy.h"

#define CHECK(call)                                                   \
  do {                                                                \
    toy_status s_ = (call);                                           \
    if (s_ != TOY_SUCCESS) {                                          \
      printf("FAILED %s -> %d (line %d)\n", #call, s_, __LINE__);     \
      return 1;                                                       \
    }                                                                 \
  } while (0)

struct log_state {
  int calls;
  int level_sum;
  char last[64];
  toy_device device;
  size_t memory;  /* read by an API call made inside the callback */
};

static void on_log(const char* message, int level, void* user_data) {
  struct log_state* st = user_data;
  st->calls++;
  st->level_sum += level;
  snprintf(st->last, sizeof st->last, "%s", message ? message : "(null)");
  if (st->calls == 1) toyGetDeviceInfo(st->device, TOY_DEVICE_MEMORY, sizeof st->memory, &st->memory, NULL);
}

struct done_state {
  volatile int fired;
  int status;
  int same_queue;
  size_t memory_from_callback;
  toy_queue expected;
  toy_device device;
};

static void on_done(toy_queue queue, int status, void* user_data) {
  struct done_state* st = user_data;
  st->status = status;
  st->same_queue = queue == st->expected;
  /* An API call from inside an asynchronous callback. */
  size_t mem = 0;
  toyGetDeviceInfo(st->device, TOY_DEVICE_MEMORY, sizeof mem, &mem, NULL);
  st->memory_from_callback = mem;
  st->fired = 1;
}

/* Buffers of buffers: each blob has its own length; the loads write through the
 * caller's pointers and must touch nothing past each blob. */
struct watch_state {
  int calls;
  int sum;
  char last[32];
};

/* A watcher's callback: counts, keeps the note, vetoes values over 100. */
static int on_watch(int value, const char* note, void* user_data) {
  struct watch_state* s = user_data;
  s->calls++;
  s->sum += value;
  snprintf(s->last, sizeof s->last, "%s", note ? note : "(null)");
  return value > 100;
}

static int run_blobs(toy_buffer b) {
  const unsigned char blob0[] = {1, 2, 3, 250};
  const unsigned char blob1[] = "hello, blobs";
  const unsigned char blob2[1] = {77}; /* stored with length 0 */
  const unsigned char* in_blobs[3] = {blob0, blob1, blob2};
  size_t lengths[3] = {sizeof blob0, sizeof blob1, 0};
  CHECK(toyStoreBlobs(b, 3, lengths, in_blobs));
  size_t blob_count = 0, sizes_bytes = 0, sizes[3] = {0};
  CHECK(toyGetBufferInfo(b, TOY_BLOB_COUNT, sizeof blob_count, &blob_count, NULL));
  CHECK(toyGetBufferInfo(b, TOY_BLOB_SIZES, 0, NULL, &sizes_bytes));
  CHECK(toyGetBufferInfo(b, TOY_BLOB_SIZES, sizeof sizes, sizes, NULL));
  printf("blobs: %zu, sizes in %zu bytes: %zu %zu %zu\n", blob_count, sizes_bytes, sizes[0], sizes[1], sizes[2]);

  unsigned char out0[6], out1[16], out2[2];
  memset(out0, 0xee, sizeof out0);
  memset(out1, 0xee, sizeof out1);
  memset(out2, 0xee, sizeof out2);
  unsigned char* out_blobs[3] = {out0, out1, out2};
  CHECK(toyLoadBlobs(b, sizeof out_blobs, out_blobs));
  printf("loaded: %d %d %d %d, after: %d %d; '%s' then %d; empty blob untouched: %d %d\n", out0[0], out0[1],
         out0[2], out0[3], out0[4], out0[5], (const char*)out1, out1[13], out2[0], out2[1]);
  /* A NULL pointer skips its blob. */
  memset(out1, 0, sizeof out1);
  unsigned char* some[3] = {NULL, out1, NULL};
  CHECK(toyLoadBlobs(b, sizeof some, some));
  printf("loaded one: '%s'\n", (const char*)out1);
  printf("load with too few pointers: %d\n", toyLoadBlobs(b, sizeof some - 1, some) != TOY_SUCCESS);

  /* One function, either direction: a `when` clause makes the pointees outputs. */
  unsigned char c0[] = "copy in";
  unsigned char c1[] = {9, 8};
  unsigned char* cblobs[2] = {c0, c1};
  size_t clen[2] = {sizeof c0, sizeof c1};
  CHECK(toyCopyBlobs(b, TOY_TO_BUFFER, 2, clen, cblobs));
  unsigned char r0[sizeof c0 + 2], r1[3];
  memset(r0, 0xee, sizeof r0);
  memset(r1, 0xee, sizeof r1);
  unsigned char* rblobs[2] = {r0, r1};
  CHECK(toyCopyBlobs(b, TOY_TO_HOST, 2, clen, rblobs));
  printf("copied back: '%s' then %d; %d %d then %d\n", (const char*)r0, r0[sizeof c0], r1[0], r1[1], r1[2]);
  CHECK(toyGetBufferInfo(b, TOY_BLOB_COUNT, sizeof blob_count, &blob_count, NULL));
  printf("blobs now: %zu\n", blob_count);
  CHECK(toyStoreBlobs(b, 0, NULL, NULL));
  CHECK(toyGetBufferInfo(b, TOY_BLOB_COUNT, sizeof blob_count, &blob_count, NULL));
  printf("blobs after clearing: %zu\n", blob_count);
  return 0;
}

/* readable() sizes: data is sent up to the end of its readable memory, never
 * further, however large the hint. */
static int run_checksums(void) {
  unsigned int sum = 0;
  unsigned char bytes[100];
  for (int i = 0; i < 100; ++i) bytes[i] = (unsigned char)(i + 1);
  CHECK(toyChecksum(bytes, sizeof bytes, &sum));
  printf("checksum of 100 bytes: %u\n", sum);
  CHECK(toyChecksum(bytes, 7, &sum));
  printf("checksum of the first 7: %u\n", sum);
  char* heap = malloc(40);
  snprintf(heap, 40, "on the heap");
  CHECK(toyChecksum(heap, 40, &sum));
  printf("checksum of a string: %u\n", sum);
  free(heap);
  /* A string ending at the last byte before an inaccessible page, with a hint far
   * beyond it: natively the library stops at the 0 byte; the stack must not read on. */
  long page = sysconf(_SC_PAGESIZE);
  unsigned char* pages = mmap(NULL, (size_t)(2 * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (pages == MAP_FAILED || mprotect(pages + page, (size_t)page, PROT_NONE) != 0) {
    printf("mmap failed\n");
    return 1;
  }
  unsigned char* tail = pages + page - 6;
  memcpy(tail, "guard", 6);
  CHECK(toyChecksum(tail, (size_t)-1, &sum));
  printf("checksum before a guard page: %u\n", sum);
  munmap(pages, (size_t)(2 * page));
  return 0;
}

static int run_all(void) {
  unsigned int count = 0;
  CHECK(toyGetDevices(0, NULL, &count));
  printf("devices: %u\n", count);
  toy_device devices[4] = {0};
  CHECK(toyGetDevices(4, devices, NULL));
  printf("distinct devices: %d\n", devices[0] != devices[1] && devices[0] && devices[1]);
  toy_device dev = devices[0];

  size_t name_size = 0;
  CHECK(toyGetDeviceInfo(dev, TOY_DEVICE_NAME, 0, NULL, &name_size));
  char* name = malloc(name_size);
  CHECK(toyGetDeviceInfo(dev, TOY_DEVICE_NAME, name_size, name, NULL));
  printf("device name: %s (%zu bytes)\n", name, name_size);
  free(name);
  size_t memory = 0;
  CHECK(toyGetDeviceInfo(devices[1], TOY_DEVICE_MEMORY, sizeof memory, &memory, NULL));
  printf("device 1 memory: %zu\n", memory);
  printf("bad param: %d\n", toyGetDeviceInfo(dev, 999, 0, NULL, NULL));

  toy_point pt = {4, 8};
  double score = 0;
  CHECK(toyDeviceScore(devices[1], &pt, &score));
  printf("score: %.2f\n", score);

  toy_status err = 123;
  unsigned char init[16];
  for (int i = 0; i < 16; ++i) init[i] = (unsigned char)(i * 3);
  toy_buffer a = toyCreateBuffer(dev, sizeof init, init, &err);
  printf("create a: %s err=%d\n", a ? "ok" : "null", err);
  toy_buffer b = toyCreateBuffer(dev, 64, NULL, NULL);
  toy_buffer bad = toyCreateBuffer(dev, 0, NULL, &err);
  printf("create bad: %s err=%d\n", bad ? "ok" : "null", err);

  toy_queue_property props[] = {TOY_QUEUE_PRIORITY, 7, 0};
  toy_queue q = toyCreateQueue(dev, props, &err);
  int prio = -1;
  CHECK(toyGetQueuePriority(q, &prio));
  printf("queue priority: %d err=%d\n", prio, err);
  toy_queue q2 = toyCreateQueue(dev, NULL, NULL);
  CHECK(toyGetQueuePriority(q2, &prio));
  printf("default priority: %d\n", prio);

  CHECK(toySetName(a, "alpha buffer"));
  char small[6];
  int len = toyGetName(a, small, sizeof small);
  printf("name length %d, truncated '%s'\n", len, small);
  char full[64];
  memset(full, 'X', sizeof full);
  len = toyGetName(a, full, sizeof full);
  printf("name '%s' len %d, byte after NUL untouched: %d\n", full, len, full[len + 1] == 'X');
  printf("name length only: %d\n", toyGetName(a, NULL, 0));

  const char* words[] = {"remote", "procedure", "call"};
  char joined[64];
  CHECK(toyJoinStrings(3, words, sizeof joined, joined));
  printf("joined: %s\n", joined);

  int values[5] = {1, 2, 3, 4, 100};
  long long sum = 0;
  CHECK(toySum(5, values, &sum));
  printf("sum: %lld\n", sum);
  double scaled[3] = {1.5, -2, 10};
  CHECK(toyScale(3, scaled, 2.0));
  printf("scaled: %.1f %.1f %.1f\n", scaled[0], scaled[1], scaled[2]);
  toy_buffer both[2] = {a, b};
  size_t total = 0;
  CHECK(toyTotalSize(2, both, &total));
  printf("total size: %zu\n", total);

  unsigned char host[16] = {0};
  CHECK(toyCopy(TOY_TO_HOST, host, a, sizeof host));
  printf("copy to host: %d %d %d\n", host[0], host[5], host[15]);
  for (int i = 0; i < 16; ++i) host[i] = (unsigned char)(200 + i);
  CHECK(toyCopy(TOY_TO_BUFFER, host, b, sizeof host));

  toy_queue queue = q;
  unsigned char pattern[8] = {9, 8, 7, 6, 5, 4, 3, 2};
  CHECK(toyWriteBuffer(queue, b, 0, 16, sizeof pattern, pattern));  /* non-blocking */
  CHECK(toyFill(queue, a, 0x5a));                                    /* async */
  unsigned char readback[24] = {0};
  CHECK(toyReadBuffer(queue, b, 0, 0, sizeof readback, readback));   /* non-blocking */
  CHECK(toyFinish(queue));
  printf("after finish: %d %d %d %d\n", readback[0], readback[15], readback[16], readback[23]);
  unsigned char filled[2] = {0};
  CHECK(toyReadBuffer(queue, a, 1, 14, 2, filled));
  printf("filled: %d %d\n", filled[0], filled[1]);

  struct log_state ls = {0, 0, "", dev, 0};
  CHECK(toyRunWithLog(dev, 5, on_log, &ls));
  printf("log: %d calls, level sum %d, last '%s', memory read inside: %zu\n", ls.calls, ls.level_sum, ls.last,
         ls.memory);
  CHECK(toyRunWithLog(dev, 2, NULL, NULL));

  struct done_state ds = {0, -1, 0, 0, queue, dev};
  CHECK(toySetDoneCallback(queue, on_done, &ds));
  CHECK(toyFinish(queue));
  for (int i = 0; i < 300 && !ds.fired; ++i) usleep(10000);
  printf("done callback: fired=%d status=%d same_queue=%d memory=%zu\n", ds.fired, ds.status, ds.same_queue,
         ds.memory_from_callback);

  unsigned char* m = toyMapBuffer(queue, a, 4, 8, &err);
  printf("map: %s err=%d first=%d\n", m ? "ok" : "null", err, m ? m[0] : -1);
  for (int i = 0; i < 8; ++i) m[i] = (unsigned char)(i + 1);
  CHECK(toyUnmapBuffer(queue, a, m));
  unsigned char after_map[12] = {0};
  CHECK(toyReadBuffer(queue, a, 1, 0, sizeof after_map, after_map));
  printf("after unmap: %d %d %d %d\n", after_map[3], after_map[4], after_map[11], after_map[12 - 1]);
  printf("bad map: %s\n", toyMapBuffer(queue, a, 100, 8, &err) ? "ok" : "null");
  printf("bad map err=%d\n", err);

  /* A persistent mapping, used across later calls: the library sees the program's
   * writes (toyReadBuffer), the program sees the library's (toyFill + toyFinish). */
  unsigned char* pm = NULL;
  CHECK(toyMapMemory(a, 2, 6, (void**)&pm));
  pm[0] = 41;
  pm[5] = 42;
  unsigned char seen[8] = {0};
  CHECK(toyReadBuffer(queue, a, 1, 0, sizeof seen, seen));
  printf("persistent map: the library reads %d %d %d\n", seen[2], seen[7], seen[3]);
  CHECK(toyFill(queue, a, 9));
  CHECK(toyFinish(queue));
  printf("persistent map: the program reads %d %d after the library's fill\n", pm[0], pm[5]);
  pm[1] = 77;
  toyUnmapMemory(a);
  CHECK(toyReadBuffer(queue, a, 1, 0, sizeof seen, seen));
  printf("persistent map: after the unmap the library reads %d %d\n", seen[3], seen[4]);
  printf("bad persistent map: %d\n", toyMapMemory(a, 100, 8, (void**)&pm));

  int tag_target = 0;
  CHECK(toySetTag(a, &tag_target));
  printf("tag round trip: %d\n", toyGetTag(a) == (void*)&tag_target);
  printf("version: %s\n", toyVersion());

  if (run_blobs(b)) return 1;
  if (run_checksums()) return 1;

  CHECK(toyReleaseBuffer(a));
  CHECK(toyReleaseBuffer(b));
  CHECK(toyReleaseQueue(q));
  CHECK(toyReleaseQueue(q2));
  printf("done\n");
  return 0;
}

struct thread_job {
  toy_device device;
  int priority;
  long matches;
};

static void* thread_main(void* arg) {
  struct thread_job* job = arg;
  toy_queue_property props[] = {TOY_QUEUE_PRIORITY, job->priority, 0};
  toy_queue q = toyCreateQueue(job->device, props, NULL);
  for (int i = 0; i < 500; ++i) {
    int p = -1;
    if (toyGetQueuePriority(q, &p) == TOY_SUCCESS && p == job->priority) job->matches++;
  }
  toyReleaseQueue(q);
  return NULL;
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "all";
  if (strcmp(mode, "all") == 0) return run_all();
  toy_device dev = NULL;
  if (strcmp(mode, "ping") == 0) {
    long n = argc > 2 ? atol(argv[2]) : 1000;
    CHECK(toyGetDevices(1, &dev, NULL));
    int prio = 0;
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    for (long i = 0; i < n; ++i) CHECK(toyGetQueuePriority(q, &prio));
    CHECK(toyReleaseQueue(q));
    printf("pinged %ld\n", n);
    return 0;
  }
  toy_status st = toyGetDevices(1, &dev, NULL);
  printf("get devices: %d\n", st);
  if (st != TOY_SUCCESS) return 2;
  if (strcmp(mode, "leak") == 0) {
    toy_buffer x = toyCreateBuffer(dev, 8, NULL, NULL);
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    toy_buffer y = toyCreateBuffer(dev, 8, NULL, NULL);
    toySetName(x, "first");
    toySetName(y, "second");
    (void)q;
    printf("leaving without releasing\n");
    return 0;
  }
  if (strcmp(mode, "async-error") == 0) {
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    toy_buffer x = toyCreateBuffer(dev, 8, NULL, NULL);
    unsigned char data[4] = {1, 2, 3, 4};
    printf("bad non-blocking write: %d\n", toyWriteBuffer(q, x, 0, 100, sizeof data, data));
    printf("finish: %d\n", toyFinish(q));
    printf("finish again: %d\n", toyFinish(q));
    return 0;
  }
  if (strcmp(mode, "async-error-query") == 0) {
    /* A size computed with query() makes calls of its own before the program's
     * call goes out: an earlier asynchronous failure must still reach the program. */
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    toy_buffer x = toyCreateBuffer(dev, 8, NULL, NULL);
    const unsigned char blob[3] = {5, 6, 7};
    const unsigned char* blobs[1] = {blob};
    size_t length = sizeof blob;
    printf("store: %d\n", toyStoreBlobs(x, 1, &length, blobs));
    unsigned char data[4] = {1, 2, 3, 4};
    printf("bad non-blocking write: %d\n", toyWriteBuffer(q, x, 0, 100, sizeof data, data));
    unsigned char out[3] = {0};
    unsigned char* outs[1] = {out};
    printf("load: %d\n", toyLoadBlobs(x, sizeof outs, outs));
    printf("finish: %d\n", toyFinish(q));
    memset(out, 0, sizeof out);
    toy_status again = toyLoadBlobs(x, sizeof outs, outs);
    printf("load again: %d -> %d %d %d\n", again, out[0], out[1], out[2]);
    return 0;
  }
  if (strcmp(mode, "bulk") == 0) {
    /* Transfers large enough to travel in the bulk trailer, both ways, blocking and
     * not, at odd sizes and unaligned addresses. */
    enum { N = 256 * 1024 + 13 };
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    unsigned char* src = malloc(N);
    unsigned char* dst = calloc(1, N + 8);
    unsigned char* dst2 = calloc(1, N);
    for (int i = 0; i < N; ++i) src[i] = (unsigned char)(i * 7 + 3);
    toy_buffer x = toyCreateBuffer(dev, N, src, NULL);
    CHECK(toyReadBuffer(q, x, 1, 0, N, dst + 3));
    printf("created and read back: %s\n", memcmp(dst + 3, src, N) == 0 ? "same" : "differs");
    for (int i = 0; i < N; ++i) src[i] ^= 0x55;
    CHECK(toyWriteBuffer(q, x, 1, 0, N, src));
    CHECK(toyReadBuffer(q, x, 1, 0, N, dst));
    printf("blocking write, read: %s\n", memcmp(dst, src, N) == 0 ? "same" : "differs");
    for (int i = 0; i < N; ++i) src[i] = (unsigned char)(src[i] + 1);
    CHECK(toyWriteBuffer(q, x, 0, 0, N, src)); /* non-blocking */
    CHECK(toyReadBuffer(q, x, 0, 0, N, dst2)); /* non-blocking: final after toyFinish */
    CHECK(toyFinish(q));
    printf("non-blocking write, read: %s\n", memcmp(dst2, src, N) == 0 ? "same" : "differs");
    CHECK(toyReadBuffer(q, x, 1, 1000, 5000, dst + 1));
    printf("part at an offset: %s\n", memcmp(dst + 1, src + 1000, 5000) == 0 ? "same" : "differs");
    int* values = malloc(N / sizeof(int) * sizeof(int));
    for (unsigned i = 0; i < N / sizeof(int); ++i) values[i] = (int)(i % 1000) - 300;
    long long sum = 0;
    CHECK(toySum(N / sizeof(int), values, &sum));
    printf("sum of %u values: %lld\n", (unsigned)(N / sizeof(int)), sum);
    CHECK(toyReleaseBuffer(x));
    CHECK(toyReleaseQueue(q));
    free(src);
    free(dst);
    free(dst2);
    free(values);
    return 0;
  }
  if (strcmp(mode, "held") == 0) {
    /* Non-blocking writes with no barrier between them: a remoting server holds each
     * one's input until toyFinish. Then the same writes with a finish after every 8. */
    enum { SIZE = 64 * 1024, WRITES = 48 };
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    toy_buffer x = toyCreateBuffer(dev, SIZE, NULL, NULL);
    unsigned char* src = malloc(SIZE);
    for (int i = 0; i < SIZE; ++i) src[i] = (unsigned char)(i * 3 + 1);
    toy_status first = TOY_SUCCESS;
    for (int i = 0; i < WRITES; ++i) {
      toy_status w = toyWriteBuffer(q, x, 0, 0, SIZE, src);
      if (first == TOY_SUCCESS) first = w;
    }
    toy_status fin = toyFinish(q);
    printf("%d writes without a barrier: %d, finish: %d\n", WRITES, first, fin);
    first = TOY_SUCCESS;
    for (int i = 0; i < WRITES; ++i) {
      toy_status w = toyWriteBuffer(q, x, 0, 0, SIZE, src);
      if (w == TOY_SUCCESS && i % 8 == 7) w = toyFinish(q);
      if (first == TOY_SUCCESS) first = w;
    }
    printf("%d writes with a finish every 8: %d\n", WRITES, first);
    CHECK(toyReleaseBuffer(x));
    CHECK(toyReleaseQueue(q));
    free(src);
    return 0;
  }
  if (strcmp(mode, "held-in-order") == 0) {
    /* Non-blocking writes, each followed by a small blocking read on the same queue and no
     * finish: on an in-order queue the read's completion proves the write done, so a
     * remoting server may let the write's input go; on a queue created out of order
     * nothing proves it, and the server must keep holding it. */
    enum { SIZE = 64 * 1024, WRITES = 48 };
    const toy_queue_property out_of_order[] = {TOY_QUEUE_PRIORITY, 3, TOY_QUEUE_FLAGS,
                                               TOY_QUEUE_OUT_OF_ORDER, 0};
    const toy_queue_property in_order[] = {TOY_QUEUE_PRIORITY, TOY_QUEUE_OUT_OF_ORDER,
                                           0}; /* the flag's value, not under FLAGS */
    const toy_queue_property* lists[] = {NULL, in_order, out_of_order};
    const char* names[] = {"default queue", "in-order queue", "out-of-order queue"};
    toy_buffer x = toyCreateBuffer(dev, SIZE, NULL, NULL);
    unsigned char* src = malloc(SIZE);
    unsigned char back[64];
    for (int i = 0; i < SIZE; ++i) src[i] = (unsigned char)(i * 5 + 2);
    for (int l = 0; l < 3; ++l) {
      toy_queue q = toyCreateQueue(dev, lists[l], NULL);
      toy_status first = TOY_SUCCESS;
      for (int i = 0; i < WRITES; ++i) {
        toy_status w = toyWriteBuffer(q, x, 0, 0, SIZE, src);
        if (w == TOY_SUCCESS) w = toyReadBuffer(q, x, 1, 0, sizeof back, back);
        if (first == TOY_SUCCESS) first = w;
      }
      toy_status fin = toyFinish(q);
      printf("%s: %d writes, each then a blocking read: %d, finish: %d, bytes %s\n", names[l],
             WRITES, first, fin, memcmp(back, src, sizeof back) == 0 ? "same" : "differ");
      CHECK(toyReleaseQueue(q));
    }
    CHECK(toyReleaseBuffer(x));
    free(src);
    return 0;
  }
  if (strcmp(mode, "pieces") == 0) {
    /* A large write as consecutive non-blocking pieces (what a guest that splits a
     * transfer sends), with small synchronous calls between some of them: the server
     * receives the next piece while the library copies this one (its read-ahead). */
    enum { PIECE = 260 * 1024 + 5, PIECES = 3, N = PIECE * PIECES }; /* under the 1 MiB device */
    toy_queue q = toyCreateQueue(dev, NULL, NULL);
    unsigned char* src = malloc(N);
    unsigned char* dst = calloc(1, N);
    int values[64];
    for (int i = 0; i < 64; ++i) values[i] = i;
    toy_buffer x = toyCreateBuffer(dev, N, NULL, NULL);
    for (int round = 0; round < 2; ++round) {
      for (int i = 0; i < N; ++i) src[i] = (unsigned char)(i * 13 + 5 + round);
      for (int k = 0; k < PIECES; ++k) {
        CHECK(toyWriteBuffer(q, x, 0, (size_t)k * PIECE, PIECE, src + (size_t)k * PIECE));
        if (k % 2) {
          long long sum = 0;
          CHECK(toySum(64, values, &sum));
          printf("sum between pieces: %lld\n", sum);
        }
      }
      CHECK(toyFinish(q));
      CHECK(toyReadBuffer(q, x, 1, 0, N, dst));
      printf("round %d, %d pieces: %s\n", round, PIECES, memcmp(dst, src, N) == 0 ? "same" : "differs");
    }
    CHECK(toyReleaseBuffer(x));
    CHECK(toyReleaseQueue(q));
    free(src);
    free(dst);
    return 0;
  }
  if (strcmp(mode, "threads") == 0) {
    pthread_t t[4];
    struct thread_job jobs[4];
    for (int i = 0; i < 4; ++i) {
      jobs[i].device = dev;
      jobs[i].priority = 10 + i;
      jobs[i].matches = 0;
      pthread_create(&t[i], NULL, thread_main, &jobs[i]);
    }
    for (int i = 0; i < 4; ++i) pthread_join(t[i], NULL);
    for (int i = 0; i < 4; ++i) printf("thread %d: %ld/500 calls saw its own queue\n", i, jobs[i].matches);
    return 0;
  }
  if (strcmp(mode, "fork") == 0) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      unsigned int n = 0;
      toy_status s = toyGetDevices(0, NULL, &n);
      printf("child: %d devices=%u\n", s, n);
      return 0;
    }
    int status = 0;
    waitpid(child, &status, 0);
    unsigned int n = 0;
    toy_status s = toyGetDevices(0, NULL, &n);
    printf("parent: %d devices=%u child exit=%d\n", s, n, WEXITSTATUS(status));
    return 0;
  }
  if (strcmp(mode, "structs") == 0) {
    /* Structs holding pointers: every member kind of toy_config, then a chain with an
     * extension the stack does not know. */
    toy_buffer a = toyCreateBuffer(dev, 4, NULL, NULL);
    toy_buffer b = toyCreateBuffer(dev, 4, NULL, NULL);
    const char* tags[3] = {"red", "green", "blue"};
    toy_item items[2] = {{"first", a, {1, 2}}, {"second", b, {3, 4}}};
    unsigned char blob[5000];
    for (unsigned i = 0; i < sizeof blob; ++i) blob[i] = (unsigned char)(i * 13);
    toy_range window = {7, 8};
    float weights[3] = {0.5f, 1.25f, 2.0f};
    toy_ext_weights ext_w = {TOY_STRUCT_EXT_WEIGHTS, NULL, 3, weights};
    toy_ext_label ext_l = {TOY_STRUCT_EXT_LABEL, &ext_w, "extended"};
    toy_config config = {TOY_STRUCT_CONFIG, &ext_l, "config", {"head", 9}, 3, tags, 2, items, sizeof blob, blob, &window};
    char out[512];
    CHECK(toyDescribe(&config, sizeof out, out));
    printf("describe: %s\n", out);
    toy_config bare = {TOY_STRUCT_CONFIG, NULL, NULL, {NULL, 0}, 0, NULL, 0, NULL, 0, NULL, NULL};
    CHECK(toyDescribe(&bare, sizeof out, out));
    printf("describe bare: %s\n", out);
    struct { int type; const void* next; } unknown = {99, NULL};
    ext_w.next = &unknown;
    printf("unknown extension: %s\n", toyDescribe(&config, sizeof out, out) == TOY_SUCCESS ? "accepted" : "refused");
    int values[4] = {-1, -1, -1, -1};
    toy_list list = {3, 0, values};
    CHECK(toyListSquares(6, &list));
    printf("squares: count=%u capacity=%u own array=%d: %d %d %d %d\n", list.count, list.capacity,
           list.values == values, values[0], values[1], values[2], values[3]);
    CHECK(toyReleaseBuffer(a));
    CHECK(toyReleaseBuffer(b));
    return 0;
  }
  if (strcmp(mode, "watch") == 0) {
    /* A callback inside a struct, called during the create call and after it returned;
     * its return value decides (a veto). */
    struct watch_state ws = {0, 0, ""};
    toy_watcher_info info = {10, on_watch, &ws};
    toy_watcher watcher = NULL;
    CHECK(toyCreateWatcher(&info, &watcher));
    printf("watcher created: %d call(s), last '%s'\n", ws.calls, ws.last);
    info.notify = NULL; /* the watcher keeps its own copy */
    printf("watch 5: %d\n", toyWatch(watcher, 5));
    printf("watch 50: %d\n", toyWatch(watcher, 50));
    printf("watch 500 (vetoed): %d\n", toyWatch(watcher, 500));
    printf("watcher: %d calls, sum %d, last '%s'\n", ws.calls, ws.sum, ws.last);
    CHECK(toyReleaseWatcher(watcher));
    toy_watcher_info quiet = {10, NULL, NULL};
    CHECK(toyCreateWatcher(&quiet, &watcher));
    printf("quiet watch 500: %d\n", toyWatch(watcher, 500));
    CHECK(toyReleaseWatcher(watcher));
    return 0;
  }
  if (strcmp(mode, "failed-outputs") == 0) {
    /* What a call does not write keeps the program's value, whether it failed or not. */
    int prio = 42;
    toy_status s = toyGetQueuePriority(NULL, &prio);
    printf("priority of no queue: %d, priority %d\n", s, prio);
    double mean = 2.5;
    int peak = 7;
    int history[3] = {9, 9, 9};
    s = toyMeasure(dev, 0, &mean, &peak, 3, history);
    printf("failed: %d mean %.1f peak %d history %d %d %d\n", s, mean, peak, history[0], history[1], history[2]);
    s = toyMeasure(dev, 1, &mean, &peak, 2, history);
    printf("no peak: %d mean %.1f peak %d history %d %d %d\n", s, mean, peak, history[0], history[1], history[2]);
    s = toyMeasure(dev, 4, &mean, &peak, 3, history);
    printf("all: %d mean %.1f peak %d history %d %d %d\n", s, mean, peak, history[0], history[1], history[2]);
    s = toyMeasure(dev, 3, &mean, NULL, 0, NULL);
    printf("no optional outputs: %d mean %.1f\n", s, mean);
    return 0;
  }
  if (strcmp(mode, "unsupported") == 0) {
    printf("secret: %d\n", toyVendorSecret(NULL));
    printf("secret again: %d\n", toyVendorSecret(NULL));
    return 0;
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
