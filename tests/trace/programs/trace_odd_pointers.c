/* Pointer arguments the tracer must survive: an inaccessible mapping, a huge
 * heap buffer, a pointer into the middle of an allocation, a read-only global. */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char kGreeting[] = "hello from .rodata";

int main(void) {
  cl_platform_id platform;
  cl_device_id device;
  cl_int err;
  if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS) return 2;
  if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL) != CL_SUCCESS) return 2;
  cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  if (err != CL_SUCCESS) return 2;
  /* host_ptr without USE/COPY flags is rejected without being read. */
  void* guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  cl_mem bad = clCreateBuffer(ctx, CL_MEM_READ_WRITE, 64, guard, &err);
  printf("PROT_NONE host_ptr: %s\n", bad == NULL && err == CL_INVALID_HOST_PTR ? "rejected" : "unexpected");
  /* 64 MiB copied in: the tracer compares at most its window. */
  size_t big = 64u << 20;
  char* huge = malloc(big);
  memset(huge, 7, big);
  cl_mem copy = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, big, huge, &err);
  printf("64 MiB buffer: %s\n", err == CL_SUCCESS ? "ok" : "failed");
  /* Output into the middle of an allocation and into a read-only string. */
  char* block = malloc(1000);
  size_t size = 0;
  clGetPlatformInfo(platform, CL_PLATFORM_NAME, 500, block + 100, &size);
  cl_mem str = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, sizeof kGreeting, (void*)kGreeting, &err);
  printf("rodata buffer: %s\n", err == CL_SUCCESS ? "ok" : "failed");
  clReleaseMemObject(str);
  clReleaseMemObject(copy);
  clReleaseContext(ctx);
  munmap(guard, 4096);
  free(huge);
  free(block);
  return 0;
}
