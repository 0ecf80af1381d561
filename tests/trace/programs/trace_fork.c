/* The parent and a forked child both call the API; the child exits first. */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static int query(cl_platform_id platform, int times) {
  char name[128];
  for (int i = 0; i < times; ++i)
    if (clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name, name, NULL) != CL_SUCCESS) return 1;
  return 0;
}

int main(void) {
  cl_platform_id platform;
  if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS) return 2;
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) _exit(query(platform, 3));
  int rc = query(platform, 2);
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent %d, child %d\n", rc, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return rc || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
}
