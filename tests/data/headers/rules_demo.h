/* A small API that exercises every general header rule (tests/inference). */
#ifndef RULES_DEMO_H
#define RULES_DEMO_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int demo_status;
#define DEMO_SUCCESS 0
#define DEMO_INVALID_VALUE -1
#define DEMO_INVALID_OPERATION -2
#define DEMO_OUT_OF_MEMORY -3

typedef unsigned int demo_bool;
#define DEMO_FALSE 0
#define DEMO_TRUE 1

typedef struct _demo_ctx *demo_ctx;
typedef struct _demo_buf *demo_buf;
typedef struct _demo_evt *demo_evt;
typedef long demo_prop;

typedef enum demo_mode { DEMO_MODE_A = 1, DEMO_MODE_B = 2 } demo_mode;
struct demo_info { int major; int minor; };
typedef void (*demo_log_fn)(const char *message, void *user_data);

demo_status demoGetContexts(unsigned int num_entries, demo_ctx *contexts, unsigned int *num_contexts);
demo_ctx demoCreateContext(const demo_prop *properties, demo_log_fn pfn_log, void *user_data, demo_status *errcode_ret);
demo_status demoReleaseContext(demo_ctx ctx);
demo_status demoGetInfo(demo_ctx ctx, int param_name, size_t param_value_size, void *param_value,
                        size_t *param_value_size_ret);
demo_buf demoCreateBuffer(demo_ctx ctx, size_t size, void *host_ptr, demo_status *errcode_ret);
demo_status demoReadBuffer(demo_ctx ctx, demo_buf buf, demo_bool blocking_read, size_t size, void *ptr,
                           unsigned int num_events_in_wait_list, const demo_evt *event_wait_list, demo_evt *event);
demo_status demoEnqueueKernel(demo_ctx ctx, unsigned int num_events_in_wait_list, const demo_evt *event_wait_list,
                              demo_evt *event);
demo_status demoWriteBuffer(demo_ctx ctx, demo_buf buf, size_t size, const void *ptr);
demo_status demoSetName(demo_ctx ctx, const char *name);
demo_status demoFinish(demo_ctx ctx);
void *demoMapBuffer(demo_buf buf, size_t offset, size_t size, demo_status *errcode_ret);
demo_status demoUnmapBuffer(demo_buf buf, void *mapped_ptr);
demo_status demoMapMemory(demo_ctx ctx, demo_buf mem, size_t offset, size_t size, void **ppData);
void demoUnmapMemory(demo_ctx ctx, demo_buf mem);
demo_status demoQueryInfo(demo_ctx ctx, struct demo_info *info);
demo_status demoLog(demo_ctx ctx, const char *format, ...);

/**
 * \brief Allocates device memory.
 *
 * \param devPtr - Pointer to allocated device memory
 * \param size   - Requested allocation size in bytes
 */
demo_status demoMalloc(void **devPtr, size_t size);

/** \brief Frees device memory.
 * \param[in] devPtr Device pointer to memory to free
 */
demo_status demoFree(void *devPtr);

enum demo_copy_kind { DEMO_COPY_HOST_TO_DEVICE = 1, DEMO_COPY_DEVICE_TO_HOST = 2, DEMO_COPY_DEVICE_TO_DEVICE = 3 };
demo_status demoMemcpy(void *dst, const void *src, size_t count, enum demo_copy_kind kind);

#define demoMallocCompat demoMalloc_v2
demo_status demoMalloc_v2(void **devPtr, size_t bytesize);

#ifdef __cplusplus
}
#endif
#endif
