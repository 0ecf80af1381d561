/* The toy device: one memfd mapped twice, read-write for the library and PROT_NONE
 * for the addresses it hands out, so a program that dereferences a device address
 * faults exactly as on a GPU. */
#define _GNU_SOURCE
#include "devmem.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ARENA (1u << 24)

static unsigned char *device_view, *library_view;
static size_t used;

static int init(void) {
  if (library_view) return 1;
  int fd = memfd_create("devmem", 0);
  if (fd < 0 || ftruncate(fd, ARENA) != 0) return 0;
  library_view = mmap(NULL, ARENA, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  device_view = mmap(NULL, ARENA, PROT_NONE, MAP_SHARED, fd, 0);
  close(fd);
  return library_view != MAP_FAILED && device_view != MAP_FAILED;
}

/* The library's own view of a device address, NULL when it is not one. */
static unsigned char *on_device(const void *p, size_t count) {
  const unsigned char *a = p;
  if (!device_view || a < device_view || a + count > device_view + used) return NULL;
  return library_view + (a - device_view);
}

dmStatus dmMalloc(void **ptr, size_t size) {
  if (!ptr || !init()) return DM_ERROR_INVALID;
  size = (size + 255) & ~(size_t)255;
  if (used + size > ARENA) return DM_ERROR_OUT_OF_MEMORY;
  *ptr = device_view + used;
  used += size;
  return DM_SUCCESS;
}

dmStatus dmFree(void *ptr) { return ptr && !on_device(ptr, 0) ? DM_ERROR_INVALID : DM_SUCCESS; }

dmStatus dmMemcpyToDevice(void *dst, const void *src, size_t count) {
  unsigned char *d = on_device(dst, count);
  if (!d || !src) return DM_ERROR_INVALID;
  memcpy(d, src, count);
  return DM_SUCCESS;
}

dmStatus dmMemcpyToHost(void *dst, const void *src, size_t count) {
  unsigned char *s = on_device(src, count);
  if (!s || !dst) return DM_ERROR_INVALID;
  memcpy(dst, s, count);
  return DM_SUCCESS;
}

dmStatus dmScale(float *data, size_t n, float factor) {
  float *d = (float *)on_device(data, n * sizeof(float));
  if (!d) return DM_ERROR_INVALID;
  for (size_t i = 0; i < n; ++i) d[i] *= factor;
  return DM_SUCCESS;
}

dmStatus dmSum(const float *data, size_t n, float *result) {
  const float *d = (const float *)on_device(data, n * sizeof(float));
  if (!d || !result) return DM_ERROR_INVALID;
  float s = 0;
  for (size_t i = 0; i < n; ++i) s += d[i];
  *result = s;
  return DM_SUCCESS;
}
