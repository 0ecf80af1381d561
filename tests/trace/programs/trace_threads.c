/* Several threads call the API at once. */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <pthread.h>
#include <stdio.h>

enum { kThreads = 4, kCallsPerThread = 50 };
static cl_platform_id platform;

static void* worker(void* arg) {
  (void)arg;
  char name[128];
  size_t size = 0;
  for (int i = 0; i < kCallsPerThread; ++i)
    if (clGetPlatformInfo(platform, CL_PLATFORM_VERSION, sizeof name, name, &size) != CL_SUCCESS) return (void*)1;
  return NULL;
}

int main(void) {
  if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS) return 2;
  pthread_t t[kThreads];
  for (int i = 0; i < kThreads; ++i) pthread_create(&t[i], NULL, worker, NULL);
  int failed = 0;
  for (int i = 0; i < kThreads; ++i) {
    void* r;
    pthread_join(t[i], &r);
    failed |= r != NULL;
  }
  printf("%d threads x %d calls: %s\n", kThreads, kCallsPerThread, failed ? "failed" : "ok");
  return failed;
}
