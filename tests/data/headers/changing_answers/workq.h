/* A made-up work-queue API whose info query documents, row by row, which answers move
 * while the program runs (tests/inference/test_changing_answers.cpp). */
#ifndef WORKQ_H
#define WORKQ_H
#include <stddef.h>

typedef struct _wq *wq_t;
typedef unsigned int wq_info;

#define WQ_INFO_CAPACITY 0x1
#define WQ_INFO_REFERENCE_COUNT 0x2
#define WQ_INFO_PENDING 0x3
#define WQ_INFO_PRIORITY 0x4
#define WQ_INFO_CREATED_AT 0x5
#define WQ_INFO_LABEL 0x6

wq_t wqCreate(unsigned int capacity, int *errcode_ret);
int wqSetPriority(wq_t queue, int priority);
int wqGetInfo(wq_t queue, wq_info param_name, size_t param_value_size, void *param_value,
              size_t *param_value_size_ret);

#endif
