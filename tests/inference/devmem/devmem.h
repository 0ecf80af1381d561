/* A toy accelerator API whose memory lives in another address space, for the
 * allocator value-flow rule (tests/inference/test_allocator_flow.cpp). Its "device
 * addresses" are real addresses the program cannot dereference (a PROT_NONE view of
 * the library's memory), as a GPU's are. */
#ifndef DEVMEM_H
#define DEVMEM_H
#include <stddef.h>

typedef enum { DM_SUCCESS = 0, DM_ERROR_INVALID = 1, DM_ERROR_OUT_OF_MEMORY = 2 } dmStatus;

dmStatus dmMalloc(void **ptr, size_t size);
dmStatus dmFree(void *ptr);
dmStatus dmMemcpyToDevice(void *dst, const void *src, size_t count);
dmStatus dmMemcpyToHost(void *dst, const void *src, size_t count);
/* Typed like host arrays, but given device addresses by every program. */
dmStatus dmScale(float *data, size_t n, float factor);
dmStatus dmSum(const float *data, size_t n, float *result);
#endif
