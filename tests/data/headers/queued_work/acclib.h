/* A fictional accelerator API in the style of a driver API with streams and of a queue
   API, for the queued-work sync rule (inference/header/src/queued_work.cpp). Handle
   types spelled like CUstream: the type's own words do not say "stream", the parameter's
   name does. */
#include <stddef.h>

typedef enum { AC_SUCCESS = 0, AC_ERROR_INVALID = 1 } acResult;
typedef struct acStream_st *ACstream;
typedef struct acEvent_st *ACevent;
typedef struct acQueue_st *acQueue;
typedef struct acDevice_st *acDevice;
typedef struct acFence_st *acFence;
typedef struct acMemory_st *acMemory;
typedef void (*acStreamCallback)(ACstream hStream, acResult status, void *userData);
typedef struct {
  const void *data;
  size_t size;
} acSubmitInfo;

acResult acStreamCreate(ACstream *phStream, unsigned int flags);
acResult acStreamDestroy(ACstream hStream);
acResult acStreamSynchronize(ACstream hStream);
acResult acStreamQuery(ACstream hStream);
acResult acStreamBeginCapture(ACstream hStream);
acResult acStreamGetPriority(ACstream hStream, int *priority);
acResult acStreamReadCounter(ACstream hStream, unsigned long long *value);
acResult acEventCreate(ACevent *phEvent, unsigned int flags);
acResult acEventRecord(ACevent hEvent, ACstream hStream);
acResult acEventSynchronize(ACevent hEvent);
acResult acStreamWaitEvent(ACstream hStream, ACevent hEvent, unsigned int flags);
acResult acStreamAddCallback(ACstream hStream, acStreamCallback callback, void *userData, unsigned int flags);

acResult acQueueSubmit(acQueue queue, unsigned int submitCount, const acSubmitInfo *pSubmits, acFence fence);
acResult acQueueWaitIdle(acQueue queue);
acResult acDeviceWaitIdle(acDevice device);
acResult acBindMemory(acDevice device, acMemory memory, size_t offset);

/* A file library's media stream: nothing waits for it, so it is no work queue. */
typedef struct mediaStream_st *mediaStream;
acResult mediaStreamOpen(const char *path, mediaStream *stream);
acResult mediaStreamWrite(mediaStream stream, const void *data, size_t size);
acResult mediaStreamClose(mediaStream stream);
