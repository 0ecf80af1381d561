/* cuda-01: device management queries: count, properties, attributes, limits,
 * versions, and error reporting for an invalid device. */
#include "common/sample_util.h"

int main(void) {
  int count = sample_require_device();
  printf("devices >= 1: %s\n", count >= 1 ? "yes" : "no");

  int current = -1;
  CHECK(cudaGetDevice(&current));
  printf("current device: %d\n", current);

  struct cudaDeviceProp prop;
  memset(&prop, 0, sizeof prop);
  CHECK(cudaGetDeviceProperties(&prop, 0));
  fprintf(stderr, "device 0: %s, cc %d.%d, %zu bytes\n", prop.name, prop.major, prop.minor, prop.totalGlobalMem);
  printf("name non-empty: %s\n", prop.name[0] ? "yes" : "no");
  printf("global memory > 0: %s\n", prop.totalGlobalMem > 0 ? "yes" : "no");

  int major = 0, warp = 0;
  CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, 0));
  CHECK(cudaDeviceGetAttribute(&warp, cudaDevAttrWarpSize, 0));
  EXPECT(major == prop.major, "attribute %d vs property %d", major, prop.major);
  printf("attribute matches properties: yes\n");
  printf("warp size: %d\n", warp);

  size_t stack = 0;
  CHECK(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
  printf("stack limit > 0: %s\n", stack > 0 ? "yes" : "no");

  int least = 0, greatest = 0;
  CHECK(cudaDeviceGetStreamPriorityRange(&least, &greatest));
  CHECK(cudaDeviceGetStreamPriorityRange(NULL, &greatest)); /* NULL is documented as allowed */
  printf("priority range ordered: %s\n", greatest <= least ? "yes" : "no");

  char bus_id[32] = {0};
  CHECK(cudaDeviceGetPCIBusId(bus_id, (int)sizeof bus_id, 0));
  int same = -1;
  CHECK(cudaDeviceGetByPCIBusId(&same, bus_id));
  printf("PCI bus id round-trips: %s\n", same == 0 ? "yes" : "no");

  int runtime = 0, driver = 0;
  CHECK(cudaRuntimeGetVersion(&runtime));
  CHECK(cudaDriverGetVersion(&driver));
  fprintf(stderr, "runtime %d, driver %d\n", runtime, driver);
  printf("driver supports runtime: %s\n", driver >= runtime ? "yes" : "no");

  /* An invalid device is reported, by name and string, and is sticky only
   * until read with cudaGetLastError. */
  cudaError_t err = cudaSetDevice(count + 100);
  printf("invalid device: %s\n", cudaGetErrorName(err));
  printf("error string non-empty: %s\n", cudaGetErrorString(err)[0] ? "yes" : "no");
  printf("last error: %s\n", cudaGetErrorName(cudaGetLastError()));
  printf("last error after reset: %s\n", cudaGetErrorName(cudaGetLastError()));
  CHECK(cudaDeviceSynchronize());
  return 0;
}
