/* Makes a known number of OpenCL calls, then crashes: with argv[1] == "outside"
 * by raising SIGSEGV between calls, with "inside" by handing the implementation
 * a bad output pointer so it faults inside the call. */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  cl_platform_id platform;
  cl_uint n = 0;
  if (clGetPlatformIDs(1, &platform, &n) != CL_SUCCESS || n == 0) return 2;
  char name[256];
  for (int i = 0; i < 5; ++i) clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name, name, NULL);
  printf("6 calls made\n");
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "inside") == 0)
    clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name, (void*)16, NULL);
  raise(SIGSEGV);
  return 0;
}
