/* 36: handles a program gets from info queries, not from the calls that make objects.
 * A context the program released stays alive while its queue holds it; CL_QUEUE_CONTEXT
 * names it again, and the program may retain it, use it and release that reference
 * (OpenCL counts it like any other). The platform and device a queue names are used the
 * same way. Through the stack such a handle is one the guest only saw: it must be usable
 * as what it is (a platform where a platform goes), and its retain counted, so that the
 * matching release is the guest's own (issue 15; the fuzz target found a platform accepted
 * as a device, and a release of a queried context that destroyed it under its queue). */
#include "common/sample_util.h"

#include <string.h>

enum { N = 256 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  cl_command_queue queue = sample_create_queue(context, device, 0);
  CHECK(clReleaseContext(context)); /* the queue still holds it */

  cl_context named = NULL;
  CHECK(clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof named, &named, NULL));
  CHECK(clRetainContext(named)); /* a reference of the program's own again */
  static cl_int in[N], out[N];
  for (int i = 0; i < N; ++i) in[i] = 3 * i + 1;
  cl_mem buf = sample_create_buffer(named, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof in, in);
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == in[i], "element %d is %d", i, (int)out[i]);
  printf("buffer in the queried context: %d elements read back\n", N);
  cl_uint refs = 0;
  CHECK(clGetContextInfo(named, CL_CONTEXT_NUM_DEVICES, sizeof refs, &refs, NULL));
  printf("queried context has %u device(s)\n", (unsigned)refs);

  cl_device_id queue_device = NULL;
  CHECK(clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof queue_device, &queue_device, NULL));
  printf("queue device is the picked device: %s\n", queue_device == device ? "yes" : "no");
  cl_platform_id platform = NULL;
  CHECK(clGetDeviceInfo(queue_device, CL_DEVICE_PLATFORM, sizeof platform, &platform, NULL));
  char name[256] = {0};
  CHECK(clGetPlatformInfo(platform, CL_PLATFORM_NAME, sizeof name, name, NULL));
  printf("platform named by the device has a name: %s\n", name[0] ? "yes" : "no");
  cl_device_type type = 0;
  CHECK(clGetDeviceInfo(queue_device, CL_DEVICE_TYPE, sizeof type, &type, NULL));
  printf("device type known: %s\n", type ? "yes" : "no");

  CHECK(clReleaseMemObject(buf));
  CHECK(clReleaseContext(named)); /* the reference taken above */
  CHECK(clReleaseCommandQueue(queue));
  printf("done\n");
  return 0;
}
