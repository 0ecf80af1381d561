/* Struct idioms for the field rules: counted arrays, strings, nested and
 * tagged structs, extension chains, callbacks with user data, anonymous
 * members, unions and a pointer nothing can size. Not any real API. */
#ifndef STRUCT_FIELDS_H
#define STRUCT_FIELDS_H

#include <stddef.h>
#include <stdint.h>

typedef struct tdx_queue_t *tdx_queue; /* a handle */

typedef enum tdx_struct_kind {
  TDX_STRUCT_KIND_APP_INFO = 0,
  TDX_STRUCT_KIND_SESSION_CREATE_INFO = 1,
  TDX_STRUCT_KIND_DEBUG_OPTIONS_EXT = 2
} tdx_struct_kind;

typedef struct TdxAppInfo {
  tdx_struct_kind sType;
  const void *pNext;
  const char *pAppName;
  uint32_t appVersion;
} TdxAppInfo;

typedef struct TdxDebugOptionsEXT {
  tdx_struct_kind sType;
  void *pNext;
  uint32_t level;
} TdxDebugOptionsEXT;

typedef void (*tdx_log_fn)(const char *message, void *user_data);

typedef struct TdxSessionCreateInfo {
  tdx_struct_kind sType;
  const void *pNext;
  const TdxAppInfo *pAppInfo;
  uint32_t enabledFeatureCount;
  const char *const *ppEnabledFeatureNames;
  uint32_t queueIndexCount;
  const uint32_t *pQueueIndices;
  const float *pQueuePriorities;
  tdx_queue queues[4];
  size_t codeSize;
  const uint32_t *pCode;
  tdx_log_fn pfnLog;
  void *pUserData;
} TdxSessionCreateInfo;

struct tdx_stream {
  const unsigned char *next_in;
  unsigned avail_in;
  unsigned char *next_out;
  unsigned avail_out;
  struct tdx_private *state;
  void *scratch;
  struct { int x, y; } origin;
  union {
    int as_int;
    float *as_floats;
  };
};

int tdxCreateSession(const TdxSessionCreateInfo *info, tdx_queue *queue);
int tdxRun(struct tdx_stream *stream, int flags);

#endif
