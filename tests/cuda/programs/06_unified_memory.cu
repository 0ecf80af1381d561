// Unified memory: cudaMallocManaged written and read by the host and by kernels,
// with cudaMemAdvise and cudaMemPrefetchAsync to the device and back to the host
// when the device supports concurrent managed access.
//
// Remoted, managed memory would be the server's memory, which the host cannot
// touch: cudaMallocManaged is refused with cudaErrorNotSupported and a reason
// (codegen/README.md, "Limits of the CUDA stack"), the known limit this program
// shows on a GPU (an error at the allocation, not a crash at the first touch).
#include <vector>

#include "program_check.h"

__global__ void triple(long long* v, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) v[i] = v[i] * 3 - i;
}

int main() {
  use_first_device();
  const int n = 1 << 18;
  long long* m = nullptr;
  CHECK(cudaMallocManaged(&m, n * sizeof(long long)));
  for (int i = 0; i < n; ++i) m[i] = static_cast<long long>(i) * i;

  int concurrent = 0;
  CHECK(cudaDeviceGetAttribute(&concurrent, cudaDevAttrConcurrentManagedAccess, 0));
  cudaMemLocation device{};
  device.type = cudaMemLocationTypeDevice;
  device.id = 0;
  cudaMemLocation host{};
  host.type = cudaMemLocationTypeHost;
  if (concurrent) {
    CHECK(cudaMemAdvise(m, n * sizeof(long long), cudaMemAdviseSetPreferredLocation, device));
    CHECK(cudaMemPrefetchAsync(m, n * sizeof(long long), device, 0, 0));
  }
  triple<<<(n + 255) / 256, 256>>>(m, n);
  CHECK_LAUNCH();
  if (concurrent) {
    CHECK(cudaMemPrefetchAsync(m, n * sizeof(long long), host, 0, 0));
    CHECK(cudaDeviceSynchronize());
  }
  std::vector<long long> want(n);
  for (int i = 0; i < n; ++i) want[i] = static_cast<long long>(i) * i * 3 - i;
  EXPECT_SAME("managed memory after a kernel", m, want.data(), n);
  print_checksum("managed", m, n * sizeof(long long));

  // The host writes again, a kernel reads and writes again, the host reads.
  for (int i = 0; i < n; ++i) m[i] = -i;
  triple<<<(n + 255) / 256, 256>>>(m, n);
  CHECK_LAUNCH();
  for (int i = 0; i < n; ++i) want[i] = -4LL * i;
  EXPECT_SAME("managed memory, second round", m, want.data(), n);

  CHECK(cudaFree(m));
  std::printf("done\n");
  return 0;
}
