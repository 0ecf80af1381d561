/* The CUDA driver API through a stack (issue 17): initialise, find a device, make a
 * context, copy bytes through device memory on a stream, time it with events. Built
 * with cc and linked with -lcuda. On a GPU it prints the device's answers and exits 0;
 * without one every call returns the driver's error (here the toolkit's stub libcuda:
 * CUDA_ERROR_STUB_LIBRARY), and the remoted run must print the same. */
#include <cuda.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void report(const char* what, CUresult r) {
  printf("%-22s %d\n", what, (int)r);
  if (r != CUDA_SUCCESS) ++failures;
}

int main(void) {
  report("cuInit", cuInit(0));
  int version = -1;
  report("cuDriverGetVersion", cuDriverGetVersion(&version));
  printf("  driver version %d\n", version);
  int count = -1;
  report("cuDeviceGetCount", cuDeviceGetCount(&count));
  printf("  %d device(s)\n", count);
  CUdevice dev = -1;
  report("cuDeviceGet", cuDeviceGet(&dev, 0));
  char name[128] = "(unset)";
  report("cuDeviceGetName", cuDeviceGetName(name, (int)sizeof name, dev));
  printf("  device 0: %s\n", dev >= 0 ? name : "(none)");
  int sms = -1;
  report("cuDeviceGetAttribute", cuDeviceGetAttribute(&sms, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev));
  size_t total = 0;
  report("cuDeviceTotalMem", cuDeviceTotalMem(&total, dev));
  /* The primary context (what the runtime uses): cuCtxCreate of CUDA 13 takes a
   * CUctxCreateParams whose members the header does not size, so the stack stubs it. */
  CUcontext ctx = NULL;
  report("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain(&ctx, dev));
  report("cuCtxSetCurrent", cuCtxSetCurrent(ctx));

  float host[4] = {1.5f, 2.5f, 3.5f, 4.5f}, back[4] = {0};
  CUdeviceptr d = 0;
  report("cuMemAlloc", cuMemAlloc(&d, sizeof host));
  CUstream stream = NULL;
  report("cuStreamCreate", cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING));
  CUevent start = NULL, stop = NULL;
  report("cuEventCreate", cuEventCreate(&start, CU_EVENT_DEFAULT));
  report("cuEventCreate", cuEventCreate(&stop, CU_EVENT_DEFAULT));
  report("cuEventRecord", cuEventRecord(start, stream));
  report("cuMemsetD8Async", cuMemsetD8Async(d, 0, sizeof host, stream));
  report("cuMemcpyHtoDAsync", cuMemcpyHtoDAsync(d, host, sizeof host, stream));
  report("cuEventRecord", cuEventRecord(stop, stream));
  report("cuStreamSynchronize", cuStreamSynchronize(stream));
  float ms = -1;
  report("cuEventElapsedTime", cuEventElapsedTime(&ms, start, stop));
  report("cuMemcpyDtoH", cuMemcpyDtoH(back, d, sizeof back));
  printf("  back: %g %g %g %g (%s)\n", back[0], back[1], back[2], back[3], ms >= 0 ? "timed" : "not timed");
  if (failures == 0 && memcmp(host, back, sizeof host) != 0) {
    printf("  the bytes came back changed\n");
    ++failures;
  }
  size_t free_bytes = 0, total_bytes = 0;
  report("cuMemGetInfo", cuMemGetInfo(&free_bytes, &total_bytes));
  report("cuMemFree", cuMemFree(d));
  if (start) report("cuEventDestroy", cuEventDestroy(start));
  if (stop) report("cuEventDestroy", cuEventDestroy(stop));
  if (stream) report("cuStreamDestroy", cuStreamDestroy(stream));
  if (ctx) report("cuDevicePrimaryCtxRelease", cuDevicePrimaryCtxRelease(dev));
  printf("%d call(s) failed\n", failures);
  return failures ? 1 : 0;
}
