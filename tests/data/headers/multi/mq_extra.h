/* Extra functions of the mq test API. */
#ifndef MQ_EXTRA_H
#define MQ_EXTRA_H
#include "mq_types.h"

/** \brief Writes out everything the context buffered.
 *  \param context The context to flush. */
mq_status mqFlush(mq_context context);

/** \brief Reads back what was written.
 *  \param[out] data Where the bytes are written.
 *  \param size The size in bytes of data. */
mq_status mqRead(mq_context context, void *data, size_t size);

#endif
