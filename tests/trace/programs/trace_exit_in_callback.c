/* The program exits from inside a callback the API invokes. */
#define CL_TARGET_OPENCL_VERSION 300
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>

static int marker;

static void CL_CALLBACK on_complete(cl_event event, cl_int status, void* user_data) {
  (void)event;
  printf("callback: status %d, user data %s\n", status, user_data == &marker ? "ok" : "wrong");
  fflush(stdout);
  exit(3);
}

int main(void) {
  cl_platform_id platform;
  cl_device_id device;
  cl_int err;
  if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS) return 2;
  if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL) != CL_SUCCESS) return 2;
  cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
  if (err != CL_SUCCESS) return 2;
  cl_event ev = clCreateUserEvent(ctx, &err);
  if (err != CL_SUCCESS) return 2;
  clSetEventCallback(ev, CL_COMPLETE, on_complete, &marker);
  clSetUserEventStatus(ev, CL_COMPLETE);
  /* The callback may run on another thread: wait for it. */
  for (int i = 0; i < 1000; ++i) clWaitForEvents(1, &ev);
  return 0;
}
