/* HIP without a device: every answer AMD's HIP runtime gives with no GPU (statuses, its
 * own names and descriptions of them, the versions, outputs it leaves alone) must read
 * the same natively and through the stack inferred from hip_runtime_api.h. Exercises a
 * CUDA-like API the rules were not written for: status-returning calls with handle and
 * address outputs, strings returned from the library's memory, a stream-ordered call
 * on the null stream whose status the next synchronous call reports. */
#include <hip/hip_runtime_api.h>
#include <stdio.h>

static const char* text(const char* s) { return s ? s : "(null)"; }

static void status(const char* call, hipError_t e) {
  printf("%s: %d %s \"%s\"\n", call, (int)e, text(hipGetErrorName(e)), text(hipGetErrorString(e)));
}

int main(void) {
  int count = -1;
  status("hipGetDeviceCount", hipGetDeviceCount(&count));
  printf("  count=%d\n", count);

  int version = -1;
  status("hipDriverGetVersion", hipDriverGetVersion(&version));
  printf("  driver version=%d\n", version);
  version = -1;
  status("hipRuntimeGetVersion", hipRuntimeGetVersion(&version));
  printf("  runtime version=%d\n", version);

  int device = -7;
  status("hipGetDevice", hipGetDevice(&device));
  printf("  device=%d\n", device);
  status("hipSetDevice(0)", hipSetDevice(0));
  int value = -7;
  status("hipDeviceGetAttribute", hipDeviceGetAttribute(&value, hipDeviceAttributeMaxThreadsPerBlock, 0));
  printf("  value=%d\n", value);

  /* Outputs a failed call leaves alone keep the program's own values. */
  void* memory = (void*)0x1234;
  status("hipMalloc", hipMalloc(&memory, 4096));
  printf("  memory %s\n", memory == (void*)0x1234 ? "untouched" : memory ? "written" : "set to NULL");
  hipStream_t stream = (hipStream_t)0;
  status("hipStreamCreate", hipStreamCreate(&stream));
  printf("  stream %s\n", stream ? "set" : "NULL");
  hipEvent_t event = (hipEvent_t)0;
  status("hipEventCreate", hipEventCreate(&event));
  printf("  event %s\n", event ? "set" : "NULL");

  /* Queued on the null stream; its status is for the next synchronous call to report. */
  (void)hipMemsetAsync(NULL, 0, 16, NULL);
  status("hipDeviceSynchronize after a queued hipMemsetAsync", hipDeviceSynchronize());

  status("hipGetLastError", hipGetLastError());
  status("hipPeekAtLastError", hipPeekAtLastError());
  const hipError_t codes[] = {hipSuccess, hipErrorInvalidValue, hipErrorOutOfMemory, hipErrorNoDevice,
                              hipErrorInvalidDevice, (hipError_t)9999};
  for (unsigned i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
    char call[48];
    snprintf(call, sizeof call, "error %d", (int)codes[i]);
    status(call, codes[i]);
  }
  return 0;
}
