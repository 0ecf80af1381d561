/* 33: references taken with clRetain* are counted: an object stays usable until
 * its last release, whichever call took the reference. */
#include "common/sample_util.h"

enum { N = 1024 };

int main(void) {
  cl_device_id device = sample_pick_device(NULL);
  cl_context context = sample_create_context(device);
  CHECK(clRetainContext(context));
  cl_command_queue queue = sample_create_queue(context, device, 0);
  CHECK(clRetainCommandQueue(queue));

  static cl_int in[N], out[N];
  for (int i = 0; i < N; ++i) in[i] = i * i;
  cl_mem buf = sample_create_buffer(context, CL_MEM_READ_WRITE, sizeof in, NULL);
  CHECK(clRetainMemObject(buf));
  CHECK(clRetainMemObject(buf));
  CHECK(clReleaseMemObject(buf));  /* two references left */
  CHECK(clEnqueueWriteBuffer(queue, buf, CL_TRUE, 0, sizeof in, in, 0, NULL, NULL));
  CHECK(clReleaseMemObject(buf));  /* one left */
  CHECK(clEnqueueReadBuffer(queue, buf, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL));
  for (int i = 0; i < N; ++i) EXPECT(out[i] == in[i], "element %d is %d", i, (int)out[i]);
  cl_uint refs = 0;
  CHECK(clGetMemObjectInfo(buf, CL_MEM_REFERENCE_COUNT, sizeof refs, &refs, NULL));
  printf("buffer usable until its last release: reference count %u\n", (unsigned)refs);
  CHECK(clReleaseMemObject(buf));

  cl_event marker = NULL;
  CHECK(clEnqueueMarkerWithWaitList(queue, 0, NULL, &marker));
  CHECK(clRetainEvent(marker));
  CHECK(clReleaseEvent(marker));
  CHECK(clWaitForEvents(1, &marker));
  CHECK(clReleaseEvent(marker));
  printf("event usable after retain + release\n");

  CHECK(clReleaseCommandQueue(queue));
  CHECK(clFinish(queue)); /* still one reference */
  CHECK(clReleaseCommandQueue(queue));
  CHECK(clReleaseContext(context));
  CHECK(clReleaseContext(context));
  printf("done\n");
  return 0;
}
