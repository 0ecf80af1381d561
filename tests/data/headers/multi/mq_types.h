/* Types shared by the mq headers (a multi-header API for tests/inference). */
#ifndef MQ_TYPES_H
#define MQ_TYPES_H
#include <stddef.h>

typedef struct mq_context_st *mq_context;
typedef enum { MQ_SUCCESS = 0, MQ_ERROR_INVALID = 1, MQ_ERROR_UNKNOWN = 999 } mq_status;

#endif
