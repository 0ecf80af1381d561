// Device and runtime queries a program makes at start: device count, current
// device, properties, attributes (compared with the properties), limits, PCI bus
// id and back, versions, memory totals. Only stable values are printed (no free
// memory, which changes between runs).
#include "program_check.h"

int main() {
  // Versions first, as version-reporting tools do: both answer without a device (the
  // driver's version is 0 where no driver is installed).
  int driver = 0, runtime = 0;
  CHECK(cudaDriverGetVersion(&driver));
  CHECK(cudaRuntimeGetVersion(&runtime));
  std::printf("runtime version: %d\n", runtime);
  std::printf("driver version: %d (%s the runtime)\n", driver,
              driver >= runtime ? "supports" : "older than");

  int count = 0;
  CHECK(cudaGetDeviceCount(&count));
  std::printf("devices: %d\n", count);
  EXPECT(count > 0, "no CUDA device");
  CHECK(cudaSetDevice(0));
  int current = -1;
  CHECK(cudaGetDevice(&current));
  std::printf("current device: %d\n", current);

  for (int dev = 0; dev < count; ++dev) {
    cudaDeviceProp p{};
    CHECK(cudaGetDeviceProperties(&p, dev));
    std::printf("device %d: %s, compute capability %d.%d, %d multiprocessors, warp %d, %zu MiB\n",
                dev, p.name, p.major, p.minor, p.multiProcessorCount, p.warpSize,
                p.totalGlobalMem >> 20);
    std::printf("device %d: max threads per block %d, shared memory per block %zu, L2 %d bytes\n",
                dev, p.maxThreadsPerBlock, p.sharedMemPerBlock, p.l2CacheSize);
    std::printf(
        "device %d: unified addressing %d, managed memory %d, concurrent managed access %d\n", dev,
        p.unifiedAddressing, p.managedMemory, p.concurrentManagedAccess);

    // The attribute calls answer the same as the properties struct.
    int sms = 0, major = 0, minor = 0, warp = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev));
    CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev));
    CHECK(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev));
    CHECK(cudaDeviceGetAttribute(&warp, cudaDevAttrWarpSize, dev));
    EXPECT(
        sms == p.multiProcessorCount && major == p.major && minor == p.minor && warp == p.warpSize,
        "attributes differ from the properties");
    std::printf("device %d: attributes agree with the properties\n", dev);

    char bus[64] = {};
    CHECK(cudaDeviceGetPCIBusId(bus, sizeof bus, dev));
    int again = -1;
    CHECK(cudaDeviceGetByPCIBusId(&again, bus));
    std::printf("device %d: PCI bus id %s gives device %d\n", dev, bus, again);
  }

  size_t stack = 0, heap = 0;
  CHECK(cudaDeviceGetLimit(&stack, cudaLimitStackSize));
  CHECK(cudaDeviceGetLimit(&heap, cudaLimitMallocHeapSize));
  std::printf("limits: stack %zu bytes, malloc heap %zu bytes\n", stack, heap);
  CHECK(cudaDeviceSetLimit(cudaLimitStackSize, stack * 2));
  size_t stack2 = 0;
  CHECK(cudaDeviceGetLimit(&stack2, cudaLimitStackSize));
  std::printf("stack limit after doubling: %s\n",
              stack2 >= stack * 2 ? "at least doubled" : "unchanged");

  size_t free_bytes = 0, total = 0;
  CHECK(cudaMemGetInfo(&free_bytes, &total));
  std::printf("memory: %zu MiB in total, free %s total\n", total >> 20,
              free_bytes <= total ? "<=" : ">");

  unsigned int flags = 0;
  CHECK(cudaGetDeviceFlags(&flags));
  std::printf("device flags: %#x\n", flags);
  CHECK(cudaDeviceSynchronize());
  CHECK(cudaDeviceReset());
  std::printf("done\n");
  return 0;
}
