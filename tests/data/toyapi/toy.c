/* The real toy library (what the API server loads with --lib). */
#include "toy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct toy_device_s {
  const char* name;
  size_t memory;
};
struct toy_buffer_s {
  size_t size;
  unsigned char* data;
  char name[64];
  void* tag;
  int id;
  unsigned int blob_count;
  size_t* blob_sizes;
  unsigned char** blobs;
};
struct toy_queue_s {
  int priority;
  int id;
  toy_done_fn done;
  void* done_user_data;
};

static struct toy_device_s g_devices[2] = {{"Toy Device 0", 1u << 20}, {"Toy Device 1", 2u << 20}};
static int g_next_id = 1;

static void log_release(const char* what, int id, const char* name) {
  const char* path = getenv("TOY_RELEASE_LOG");
  if (!path) return;
  FILE* f = fopen(path, "a");
  if (!f) return;
  fprintf(f, "%s %d %s\n", what, id, name ? name : "");
  fclose(f);
}

static int valid_device(toy_device d) { return d == &g_devices[0] || d == &g_devices[1]; }

toy_status toyGetDevices(unsigned int max, toy_device* devices, unsigned int* count) {
  if (!devices && !count) return TOY_ERROR_INVALID;
  for (unsigned int i = 0; devices && i < max && i < 2; ++i) devices[i] = &g_devices[i];
  if (count) *count = 2;
  return TOY_SUCCESS;
}

toy_status toyGetDeviceInfo(toy_device device, int param, size_t value_size, void* value,
                            size_t* value_size_ret) {
  if (!valid_device(device)) return TOY_ERROR_INVALID;
  const void* src;
  size_t n;
  if (param == TOY_DEVICE_NAME) {
    src = device->name;
    n = strlen(device->name) + 1;
  } else if (param == TOY_DEVICE_MEMORY) {
    src = &device->memory;
    n = sizeof device->memory;
  } else {
    return TOY_ERROR_INVALID;
  }
  if (value && value_size < n) return TOY_ERROR_INVALID;
  if (value) memcpy(value, src, n);
  if (value_size_ret) *value_size_ret = n;
  return TOY_SUCCESS;
}

toy_status toyDeviceScore(toy_device device, const toy_point* point, double* score) {
  if (!valid_device(device) || !point || !score) return TOY_ERROR_INVALID;
  *score = point->x * 1.5 + point->y * 0.25 + (device == &g_devices[1] ? 100 : 0);
  return TOY_SUCCESS;
}

toy_buffer toyCreateBuffer(toy_device device, size_t size, const void* init, toy_status* errcode_ret) {
  if (!valid_device(device) || size == 0 || size > device->memory) {
    if (errcode_ret) *errcode_ret = TOY_ERROR_INVALID;
    return NULL;
  }
  toy_buffer b = calloc(1, sizeof *b);
  b->size = size;
  b->data = calloc(1, size);
  if (init) memcpy(b->data, init, size);
  b->id = g_next_id++;
  if (errcode_ret) *errcode_ret = TOY_SUCCESS;
  return b;
}

static void free_blobs(toy_buffer b) {
  for (unsigned int i = 0; i < b->blob_count; ++i) free(b->blobs[i]);
  free(b->blobs);
  free(b->blob_sizes);
  b->blobs = NULL;
  b->blob_sizes = NULL;
  b->blob_count = 0;
}

toy_status toyReleaseBuffer(toy_buffer buffer) {
  if (!buffer) return TOY_ERROR_INVALID;
  log_release("buffer", buffer->id, buffer->name);
  free_blobs(buffer);
  free(buffer->data);
  free(buffer);
  return TOY_SUCCESS;
}

toy_queue toyCreateQueue(toy_device device, const toy_queue_property* properties, toy_status* errcode_ret) {
  if (!valid_device(device)) {
    if (errcode_ret) *errcode_ret = TOY_ERROR_INVALID;
    return NULL;
  }
  toy_queue q = calloc(1, sizeof *q);
  q->id = g_next_id++;
  for (const toy_queue_property* p = properties; p && p[0]; p += 2)
    if (p[0] == TOY_QUEUE_PRIORITY) q->priority = (int)p[1];
  if (errcode_ret) *errcode_ret = TOY_SUCCESS;
  return q;
}

toy_status toyReleaseQueue(toy_queue queue) {
  if (!queue) return TOY_ERROR_INVALID;
  log_release("queue", queue->id, NULL);
  free(queue);
  return TOY_SUCCESS;
}

toy_status toyGetQueuePriority(toy_queue queue, int* priority) {
  if (!queue || !priority) return TOY_ERROR_INVALID;
  *priority = queue->priority;
  return TOY_SUCCESS;
}

toy_status toySetName(toy_buffer buffer, const char* name) {
  if (!buffer || !name) return TOY_ERROR_INVALID;
  snprintf(buffer->name, sizeof buffer->name, "%s", name);
  return TOY_SUCCESS;
}

int toyGetName(toy_buffer buffer, char* out, int capacity) {
  if (!buffer) return -1;
  if (out && capacity > 0) snprintf(out, (size_t)capacity, "%s", buffer->name);
  return (int)strlen(buffer->name);
}

toy_status toyJoinStrings(unsigned int count, const char** strings, size_t capacity, char* out) {
  if (!out || capacity == 0) return TOY_ERROR_INVALID;
  out[0] = '\0';
  size_t used = 0;
  for (unsigned int i = 0; i < count; ++i) {
    size_t n = strlen(strings[i]);
    if (used + n + 2 > capacity) return TOY_ERROR_INVALID;
    if (i) out[used++] = '+';
    memcpy(out + used, strings[i], n + 1);
    used += n;
  }
  return TOY_SUCCESS;
}

toy_status toySum(unsigned int count, const int* values, long long* result) {
  if (!result) return TOY_ERROR_INVALID;
  long long s = 0;
  for (unsigned int i = 0; i < count; ++i) s += values[i];
  *result = s;
  return TOY_SUCCESS;
}

toy_status toyScale(unsigned int count, double* values, double factor) {
  for (unsigned int i = 0; i < count; ++i) values[i] *= factor;
  return TOY_SUCCESS;
}

toy_status toyTotalSize(unsigned int count, const toy_buffer* buffers, size_t* total) {
  size_t t = 0;
  for (unsigned int i = 0; i < count; ++i) {
    if (!buffers[i]) return TOY_ERROR_INVALID;
    t += buffers[i]->size;
  }
  if (total) *total = t;
  return TOY_SUCCESS;
}

toy_status toyCopy(int direction, void* host, toy_buffer buffer, size_t size) {
  if (!buffer || !host || size > buffer->size) return TOY_ERROR_INVALID;
  if (direction == TOY_TO_HOST) memcpy(host, buffer->data, size);
  else if (direction == TOY_TO_BUFFER) memcpy(buffer->data, host, size);
  else return TOY_ERROR_INVALID;
  return TOY_SUCCESS;
}

toy_status toyWriteBuffer(toy_queue queue, toy_buffer buffer, int blocking, size_t offset, size_t size,
                          const void* src) {
  (void)blocking;
  if (!queue || !buffer || !src || offset > buffer->size || size > buffer->size - offset) return TOY_ERROR_INVALID;
  memcpy(buffer->data + offset, src, size);
  return TOY_SUCCESS;
}

toy_status toyReadBuffer(toy_queue queue, toy_buffer buffer, int blocking, size_t offset, size_t size,
                         void* dst) {
  (void)blocking;
  if (!queue || !buffer || !dst || offset > buffer->size || size > buffer->size - offset) return TOY_ERROR_INVALID;
  memcpy(dst, buffer->data + offset, size);
  return TOY_SUCCESS;
}

toy_status toyFill(toy_queue queue, toy_buffer buffer, unsigned char value) {
  if (!queue || !buffer) return TOY_ERROR_INVALID;
  memset(buffer->data, value, buffer->size);
  return TOY_SUCCESS;
}

struct done_call {
  toy_queue queue;
  toy_done_fn done;
  void* user_data;
};

static void* run_done(void* arg) {
  struct done_call* c = arg;
  usleep(20000);
  c->done(c->queue, TOY_SUCCESS, c->user_data);
  free(c);
  return NULL;
}

toy_status toyFinish(toy_queue queue) {
  if (!queue) return TOY_ERROR_INVALID;
  /* Tests of liveness: a long legitimate call (TOY_FINISH_DELAY_MS) is slow, not dead. */
  const char* delay = getenv("TOY_FINISH_DELAY_MS");
  if (delay) {
    long ms = atol(delay);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
  }
  if (queue->done) {
    struct done_call* c = malloc(sizeof *c);
    c->queue = queue;
    c->done = queue->done;
    c->user_data = queue->done_user_data;
    queue->done = NULL;
    pthread_t t;
    pthread_create(&t, NULL, run_done, c);
    pthread_detach(t);
  }
  return TOY_SUCCESS;
}

toy_status toyRunWithLog(toy_device device, int steps, toy_log_fn log, void* user_data) {
  /* At most 100 000 steps, so that a fuzzed call stays short (the server fuzz target once spent minutes
   * in 1.3 billion log callbacks). */
  if (!valid_device(device) || steps < 0 || steps > 100000) return TOY_ERROR_INVALID;
  char msg[64];
  for (int i = 0; i < steps; ++i) {
    snprintf(msg, sizeof msg, "%s step %d", device->name, i);
    if (log) log(msg, i % 3, user_data);
  }
  return TOY_SUCCESS;
}

toy_status toySetDoneCallback(toy_queue queue, toy_done_fn done, void* user_data) {
  if (!queue) return TOY_ERROR_INVALID;
  queue->done = done;
  queue->done_user_data = user_data;
  return TOY_SUCCESS;
}

void* toyMapBuffer(toy_queue queue, toy_buffer buffer, size_t offset, size_t size, toy_status* errcode_ret) {
  if (!queue || !buffer || offset > buffer->size || size > buffer->size - offset) {
    if (errcode_ret) *errcode_ret = TOY_ERROR_INVALID;
    return NULL;
  }
  if (errcode_ret) *errcode_ret = TOY_SUCCESS;
  return buffer->data + offset;
}

toy_status toyUnmapBuffer(toy_queue queue, toy_buffer buffer, void* mapped) {
  if (!queue || !buffer || !mapped) return TOY_ERROR_INVALID;
  unsigned char* p = mapped;
  return p >= buffer->data && p < buffer->data + buffer->size ? TOY_SUCCESS : TOY_ERROR_INVALID;
}

toy_status toyMapMemory(toy_buffer buffer, size_t offset, size_t size, void** data) {
  if (!buffer || !data || offset > buffer->size || size > buffer->size - offset) return TOY_ERROR_INVALID;
  *data = buffer->data + offset;
  return TOY_SUCCESS;
}

void toyUnmapMemory(toy_buffer buffer) { (void)buffer; }

toy_status toySetTag(toy_buffer buffer, void* tag) {
  if (!buffer) return TOY_ERROR_INVALID;
  buffer->tag = tag;
  return TOY_SUCCESS;
}

void* toyGetTag(toy_buffer buffer) { return buffer ? buffer->tag : NULL; }

const char* toyVersion(void) { return "toy 1.2.3"; }

toy_status toyStoreBlobs(toy_buffer buffer, unsigned int count, const size_t* lengths, const unsigned char** blobs) {
  if (!buffer || (count && (!lengths || !blobs))) return TOY_ERROR_INVALID;
  for (unsigned int i = 0; i < count; ++i)
    if (!blobs[i] && lengths[i]) return TOY_ERROR_INVALID;
  free_blobs(buffer);
  buffer->blob_sizes = calloc(count ? count : 1, sizeof *buffer->blob_sizes);
  buffer->blobs = calloc(count ? count : 1, sizeof *buffer->blobs);
  for (unsigned int i = 0; i < count; ++i) {
    buffer->blob_sizes[i] = lengths[i];
    buffer->blobs[i] = malloc(lengths[i] ? lengths[i] : 1);
    if (lengths[i]) memcpy(buffer->blobs[i], blobs[i], lengths[i]);
  }
  buffer->blob_count = count;
  return TOY_SUCCESS;
}

toy_status toyGetBufferInfo(toy_buffer buffer, int param, size_t value_size, void* value, size_t* value_size_ret) {
  if (!buffer) return TOY_ERROR_INVALID;
  size_t scalar;
  const void* src = &scalar;
  size_t n = sizeof scalar;
  if (param == TOY_BUFFER_SIZE) {
    scalar = buffer->size;
  } else if (param == TOY_BLOB_COUNT) {
    scalar = buffer->blob_count;
  } else if (param == TOY_BLOB_SIZES) {
    src = buffer->blob_sizes;
    n = buffer->blob_count * sizeof *buffer->blob_sizes;
  } else {
    return TOY_ERROR_INVALID;
  }
  if (value && value_size < n) return TOY_ERROR_INVALID;
  if (value && n) memcpy(value, src, n);
  if (value_size_ret) *value_size_ret = n;
  return TOY_SUCCESS;
}

toy_status toyLoadBlobs(toy_buffer buffer, size_t value_size, unsigned char** blobs) {
  if (!buffer || !blobs || value_size < buffer->blob_count * sizeof *blobs) return TOY_ERROR_INVALID;
  for (unsigned int i = 0; i < buffer->blob_count; ++i)
    if (blobs[i] && buffer->blob_sizes[i]) memcpy(blobs[i], buffer->blobs[i], buffer->blob_sizes[i]);
  return TOY_SUCCESS;
}

toy_status toyCopyBlobs(toy_buffer buffer, int direction, unsigned int count, const size_t* lengths,
                        unsigned char** blobs) {
  if (direction == TOY_TO_BUFFER) return toyStoreBlobs(buffer, count, lengths, (const unsigned char**)blobs);
  if (direction != TOY_TO_HOST || !buffer || (count && (!lengths || !blobs))) return TOY_ERROR_INVALID;
  if (count > buffer->blob_count) return TOY_ERROR_INVALID;
  for (unsigned int i = 0; i < count; ++i) {
    if (lengths[i] != buffer->blob_sizes[i]) return TOY_ERROR_INVALID;
    if (blobs[i] && lengths[i]) memcpy(blobs[i], buffer->blobs[i], lengths[i]);
  }
  return TOY_SUCCESS;
}

toy_status toyChecksum(const void* data, size_t hint, unsigned int* sum) {
  if (!data || !sum) return TOY_ERROR_INVALID;
  const unsigned char* p = data;
  unsigned int s = 0;
  for (size_t i = 0; i < hint; ++i) {
    s = s * 31u + p[i];
    if (p[i] == 0) break;
  }
  *sum = s;
  return TOY_SUCCESS;
}

toy_status toySumStrided(int rows, size_t cols, int ld, const float* m, float* sum) {
  if (!m || !sum || rows < 0 || ld < 0 || (rows > 1 && (size_t)ld < cols)) return TOY_ERROR_INVALID;
  float s = 0;
  for (int r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) s += m[(size_t)r * (size_t)ld + c];
  *sum = s;
  return TOY_SUCCESS;
}

toy_status toyVendorSecret(void* anything) {
  (void)anything;
  return TOY_SUCCESS;
}

toy_status toyArgSize(int is_buffer, size_t arg_size, const void* arg_value, size_t* size) {
  if (!size) return TOY_ERROR_INVALID;
  if (!is_buffer) {
    *size = arg_size;
    return TOY_SUCCESS;
  }
  if (arg_size != sizeof(toy_buffer) || !arg_value) return TOY_ERROR_INVALID;
  toy_buffer b;
  memcpy(&b, arg_value, sizeof b);
  if (!b) return TOY_ERROR_INVALID;
  *size = b->size; /* trusts the pointer, like a vendor library */
  return TOY_SUCCESS;
}

/* Appends printf-style text to out (capacity bytes, always NUL-terminated). */
static void appendf(char* out, size_t capacity, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static void appendf(char* out, size_t capacity, const char* fmt, ...) {
  size_t used = strlen(out);
  if (used + 1 >= capacity) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out + used, capacity - used, fmt, ap);
  va_end(ap);
}

toy_status toyDescribe(const toy_config* config, size_t capacity, char* out) {
  if (!config || !out || capacity == 0 || config->type != TOY_STRUCT_CONFIG) return TOY_ERROR_INVALID;
  out[0] = '\0';
  appendf(out, capacity, "name=%s header=%s/%u", config->name ? config->name : "(null)",
          config->header.label ? config->header.label : "(null)", config->header.flags);
  for (unsigned int i = 0; i < config->tag_count; ++i) appendf(out, capacity, " tag=%s", config->tags[i]);
  for (unsigned int i = 0; i < config->item_count; ++i) {
    const toy_item* it = &config->items[i];
    appendf(out, capacity, " item=%s:%d:%u+%u", it->name ? it->name : "(null)", it->buffer ? it->buffer->id : -1,
            it->range.first, it->range.count);
  }
  unsigned int sum = 0;
  for (size_t i = 0; i < config->blob_size; ++i) sum += ((const unsigned char*)config->blob)[i];
  appendf(out, capacity, " blob=%zu:%u", config->blob_size, sum);
  if (config->window) appendf(out, capacity, " window=%u+%u", config->window->first, config->window->count);
  for (const void* p = config->next; p;) {
    int type = *(const int*)p;
    if (type == TOY_STRUCT_EXT_LABEL) {
      const toy_ext_label* l = p;
      appendf(out, capacity, " label=%s", l->label ? l->label : "(null)");
      p = l->next;
    } else if (type == TOY_STRUCT_EXT_WEIGHTS) {
      const toy_ext_weights* w = p;
      double total = 0;
      for (unsigned int i = 0; i < w->count; ++i) total += w->weights[i];
      appendf(out, capacity, " weights=%u:%.2f", w->count, total);
      p = w->next;
    } else {
      return TOY_ERROR_INVALID;  /* an extension this library does not know */
    }
  }
  return TOY_SUCCESS;
}

toy_status toyListSquares(unsigned int n, toy_list* list) {
  if (!list || (list->capacity && !list->values)) return TOY_ERROR_INVALID;
  for (unsigned int i = 0; i < n && i < list->capacity; ++i) list->values[i] = (int)(i * i);
  list->count = n;
  return TOY_SUCCESS;
}

struct toy_watcher_s {
  int limit;
  toy_watch_fn notify;
  void* user_data;
};

toy_status toyCreateWatcher(const toy_watcher_info* info, toy_watcher* watcher) {
  if (!info || !watcher) return TOY_ERROR_INVALID;
  struct toy_watcher_s* w = calloc(1, sizeof *w);
  if (!w) return TOY_ERROR_INVALID;
  w->limit = info->limit;
  w->notify = info->notify;
  w->user_data = info->user_data;
  if (w->notify && w->notify(0, "created", w->user_data)) {
    free(w);
    return TOY_ERROR_INVALID;
  }
  *watcher = w;
  return TOY_SUCCESS;
}

toy_status toyWatch(toy_watcher watcher, int value) {
  if (!watcher) return TOY_ERROR_INVALID;
  char note[32];
  snprintf(note, sizeof note, "%s %d", value > watcher->limit ? "over" : "within", watcher->limit);
  if (watcher->notify && watcher->notify(value, note, watcher->user_data)) return TOY_ERROR_INVALID;
  return TOY_SUCCESS;
}

toy_status toyReleaseWatcher(toy_watcher watcher) {
  free(watcher);
  return TOY_SUCCESS;
}

toy_status toyMeasure(toy_device device, int samples, double* mean, int* peak, unsigned int count, int* history) {
  if (!valid_device(device) || samples <= 0 || !mean) return TOY_ERROR_INVALID;
  *mean = samples * 0.5;
  if (peak && samples > 1) *peak = samples * 10;
  for (unsigned int i = 0; history && i < count; ++i) history[i] = samples + (int)i;
  return TOY_SUCCESS;
}
