/* The core functions of the mq test API. mqFlush is declared here without
   documentation, and again in mq_extra.h with it. */
#ifndef MQ_CORE_H
#define MQ_CORE_H
#include "mq_types.h"

/** \brief Creates a context.
 *  \param[out] context Returns the new context. */
mq_status mqCreate(mq_context *context);

mq_status mqDestroy(mq_context context);

/* The first ABI of mqResize, kept for old binaries: new code calls mqResize_v2. */
mq_status mqResize(mq_context context, unsigned int size);
#define mqResize mqResize_v2
mq_status mqResize_v2(mq_context context, size_t size);

/* A rename through a wrapper macro, as CUDA's per-thread-stream variants are written:
   code calling mqCopy gets mqCopy_v2. */
#define MQ_API_VARIANT(api) api
#define mqCopy MQ_API_VARIANT(mqCopy_v2)
mq_status mqCopy(mq_context context, void *dst, const void *src, size_t n);

mq_status mqFlush(mq_context);

#endif
