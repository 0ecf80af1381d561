/* Toy accelerator API: a small C library exercising every remoting pattern
 * Remora's code generator supports (handles, buffers, strings, callbacks,
 * asynchronous calls, mapped memory). Used by tests/codegen/. */
#ifndef TOY_H
#define TOY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int toy_status;
#define TOY_SUCCESS 0
#define TOY_ERROR_INVALID (-1)
#define TOY_ERROR_UNAVAILABLE (-2)

typedef struct toy_device_s* toy_device;
typedef struct toy_buffer_s* toy_buffer;
typedef struct toy_queue_s* toy_queue;
typedef intptr_t toy_queue_property;

#define TOY_DEVICE_NAME 1
#define TOY_DEVICE_MEMORY 2
#define TOY_QUEUE_PRIORITY 0x10
#define TOY_QUEUE_FLAGS 0x11 /* toyCreateQueue property: a bitfield of TOY_QUEUE_* flags */
#define TOY_QUEUE_OUT_OF_ORDER \
  0x1 /* If set, queued work may complete out of order. Otherwise it completes in order. */
#define TOY_TO_HOST 1
#define TOY_TO_BUFFER 2
#define TOY_BUFFER_SIZE 0x20 /* toyGetBufferInfo: size_t */
#define TOY_BLOB_COUNT 0x21  /* toyGetBufferInfo: size_t */
#define TOY_BLOB_SIZES 0x22  /* toyGetBufferInfo: size_t[blob count] */

typedef struct toy_point {
  int x;
  int y;
} toy_point;

typedef void (*toy_log_fn)(const char* message, int level, void* user_data);
typedef void (*toy_done_fn)(toy_queue queue, int status, void* user_data);

/* Query patterns. */
toy_status toyGetDevices(unsigned int max, toy_device* devices, unsigned int* count);
toy_status toyGetDeviceInfo(toy_device device, int param, size_t value_size, void* value,
                            size_t* value_size_ret);
toy_status toyDeviceScore(toy_device device, const toy_point* point, double* score);

/* Objects. */
toy_buffer toyCreateBuffer(toy_device device, size_t size, const void* init, toy_status* errcode_ret);
toy_status toyReleaseBuffer(toy_buffer buffer);
toy_queue toyCreateQueue(toy_device device, const toy_queue_property* properties, toy_status* errcode_ret);
toy_status toyReleaseQueue(toy_queue queue);
toy_status toyGetQueuePriority(toy_queue queue, int* priority);

/* Strings. */
toy_status toySetName(toy_buffer buffer, const char* name);
int toyGetName(toy_buffer buffer, char* out, int capacity); /* returns the full length */
toy_status toyJoinStrings(unsigned int count, const char** strings, size_t capacity, char* out);

/* Arrays. */
toy_status toySum(unsigned int count, const int* values, long long* result);
toy_status toyScale(unsigned int count, double* values, double factor);
toy_status toyTotalSize(unsigned int count, const toy_buffer* buffers, size_t* total);
toy_status toyCopy(int direction, void* host, toy_buffer buffer, size_t size);

/* Queued work: non-blocking transfers complete by toyFinish. */
toy_status toyWriteBuffer(toy_queue queue, toy_buffer buffer, int blocking, size_t offset, size_t size,
                          const void* src);
toy_status toyReadBuffer(toy_queue queue, toy_buffer buffer, int blocking, size_t offset, size_t size,
                         void* dst);
toy_status toyFill(toy_queue queue, toy_buffer buffer, unsigned char value);
toy_status toyFinish(toy_queue queue);

/* Callbacks: toyRunWithLog calls back during the call; toySetDoneCallback's
 * callback runs on another thread after the next toyFinish. */
toy_status toyRunWithLog(toy_device device, int steps, toy_log_fn log, void* user_data);
toy_status toySetDoneCallback(toy_queue queue, toy_done_fn done, void* user_data);

/* Mapped memory. */
void* toyMapBuffer(toy_queue queue, toy_buffer buffer, size_t offset, size_t size, toy_status* errcode_ret);
toy_status toyUnmapBuffer(toy_queue queue, toy_buffer buffer, void* mapped);
/* A persistent mapping (Vulkan's vkMapMemory style): the address comes back through
 * `data` and stays valid across later calls until toyUnmapMemory(buffer); the library's
 * later reads and writes of the buffer see the program's writes there, and the other way. */
toy_status toyMapMemory(toy_buffer buffer, size_t offset, size_t size, void** data);
void toyUnmapMemory(toy_buffer buffer);

/* Opaque values. */
toy_status toySetTag(toy_buffer buffer, void* tag);
void* toyGetTag(toy_buffer buffer);
const char* toyVersion(void);

/* Buffers of buffers: a buffer object keeps a list of blobs (byte strings).
 * toyStoreBlobs copies count blobs of lengths[i] bytes; toyLoadBlobs writes each
 * stored blob through the caller's pointers (value_size bytes of pointers, as
 * OpenCL's CL_PROGRAM_BINARIES); toyCopyBlobs does either, by direction. */
toy_status toyStoreBlobs(toy_buffer buffer, unsigned int count, const size_t* lengths, const unsigned char** blobs);
toy_status toyGetBufferInfo(toy_buffer buffer, int param, size_t value_size, void* value, size_t* value_size_ret);
toy_status toyLoadBlobs(toy_buffer buffer, size_t value_size, unsigned char** blobs);
toy_status toyCopyBlobs(toy_buffer buffer, int direction, unsigned int count, const size_t* lengths,
                        unsigned char** blobs);

/* Sums the bytes of data up to and including its first 0 byte, at most hint
 * bytes: hint may be far larger than the memory data points to. */
toy_status toyChecksum(const void* data, size_t hint, unsigned int* sum);

/* Structs holding pointers, deep-copied as the spec's member annotations say.
 * toy_config is create-info style: a string, a nested struct holding a pointer,
 * an array of strings, an array of structs (each with a string and a handle),
 * bytes sized by a sibling, a struct by pointer and an extension chain whose
 * members are identified by their `type` (TOY_STRUCT_*). toyDescribe writes a
 * text summary of everything it reads; an unknown `type` in the chain fails. */
#define TOY_STRUCT_CONFIG 1
#define TOY_STRUCT_EXT_LABEL 2
#define TOY_STRUCT_EXT_WEIGHTS 3

typedef struct toy_range {
  unsigned int first;
  unsigned int count;
} toy_range;

typedef struct toy_item {
  const char* name;
  toy_buffer buffer;
  toy_range range;
} toy_item;

typedef struct toy_header {
  const char* label;
  unsigned int flags;
} toy_header;

typedef struct toy_config {
  int type;
  const void* next;
  const char* name;
  toy_header header;
  unsigned int tag_count;
  const char* const* tags;
  unsigned int item_count;
  const toy_item* items;
  size_t blob_size;
  const void* blob;
  const toy_range* window;
} toy_config;

typedef struct toy_ext_label {
  int type;
  const void* next;
  const char* label;
} toy_ext_label;

typedef struct toy_ext_weights {
  int type;
  const void* next;
  unsigned int count;
  const float* weights;
} toy_ext_weights;

toy_status toyDescribe(const toy_config* config, size_t capacity, char* out);

/* An output struct filling the caller's array: toyListSquares writes the squares of
 * 0..min(n, capacity)-1 into values and sets count to n (the capacity stays). */
typedef struct toy_list {
  unsigned int capacity;
  unsigned int count;
  int* values;
} toy_list;

toy_status toyListSquares(unsigned int n, toy_list* list);

/* A BLAS-style strided matrix: sums rows x cols floats, row r starting at m + r * ld.
 * The spec sizes m as (rows - 1) * ld + cols elements: in the C types of the
 * parameters a guest-chosen ld near INT_MAX wraps that to a small size. */
toy_status toySumStrided(int rows, size_t cols, int ld, const float* m, float* sum);

/* A callback inside a struct (Vulkan's debug messenger style): the watcher keeps
 * `notify` and `user_data` from its create info; toyCreateWatcher calls it once during
 * the call ("created"), toyWatch on every later value, after the create call returned.
 * The library reads the callback's return value: nonzero vetoes (TOY_ERROR_INVALID). */
typedef int (*toy_watch_fn)(int value, const char* note, void* user_data);
typedef struct toy_watcher_info {
  int limit;
  toy_watch_fn notify;
  void* user_data;
} toy_watcher_info;
typedef struct toy_watcher_s* toy_watcher;

toy_status toyCreateWatcher(const toy_watcher_info* info, toy_watcher* watcher);
toy_status toyWatch(toy_watcher watcher, int value);
toy_status toyReleaseWatcher(toy_watcher watcher);

/* Outputs a call leaves alone: with samples <= 0 toyMeasure fails and writes nothing;
 * otherwise it writes mean and count entries of history, and peak only when samples > 1.
 * Whatever it does not write keeps the program's value. */
toy_status toyMeasure(toy_device device, int samples, double* mean, int* peak, unsigned int count, int* history);

/* Not remotable: the remoting stack returns TOY_ERROR_UNAVAILABLE. */
toy_status toyVendorSecret(void* anything);

/* A kernel-argument-like value (clSetKernelArg's arg_value): when is_buffer, arg_value points
 * to a toy_buffer object (arg_size == sizeof(toy_buffer)) and the library reads that buffer's
 * size through it, as a vendor library dereferences a cl_mem; otherwise the bytes are plain
 * data and *size is arg_size. */
toy_status toyArgSize(int is_buffer, size_t arg_size, const void* arg_value, size_t* size);

#ifdef __cplusplus
}
#endif

#endif
