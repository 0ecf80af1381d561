// CUDA runtime module, guest side: page-locked ("pinned") host memory is answered in
// the guest (cudaMallocHost, cudaHostAlloc, cudaFreeHost, cudaHostRegister,
// cudaHostUnregister, cudaHostGetFlags).
//
// Natively, pinned memory is host memory the program writes and reads directly and the
// device's DMA engine copies from. Remoted, the server's pinned pages are in another
// process (another machine): handing the program their address would crash it at its
// first touch. So the allocation is the guest's own memory (page-aligned, zeroed), and
// the copies that name it (cudaMemcpy/cudaMemcpyAsync with a host kind) carry its bytes
// like any pageable copy: asynchronous copies stay correct, only the DMA overlap is lost
// (the link copies anyway). Correct because the server's copy of those bytes is
// pageable: CUDA returns from cudaMemcpyAsync to pageable host memory only once the
// copy is done, and stages a copy from pageable memory before returning, so the bytes
// a reply carries back, or the server's buffer released after the call, are final. Registering
// existing memory is tracked, not forwarded (the server pinning a guest address would pin whatever
// the server has there).
//
// Refused with a reason (cudaErrorNotSupported): mapped memory (cudaHostAllocMapped,
// cudaHostRegisterMapped, cudaHostRegisterIoMemory), where the device would read the
// host pages in place, which the server's device cannot do for the guest's memory.
// Answered without asking the server: with no device the native calls fail with the
// runtime's initialisation error, here they succeed and the next device call reports it.
#include <cuda_runtime_api.h>
#include <sys/mman.h>

#include <cstdint>
#include <map>
#include <mutex>

#include "remora_guest.h"

#define RM_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

struct Region {
  std::size_t size = 0;
  unsigned int flags = 0;
  bool allocated = false;  // ours to unmap (cudaMallocHost/cudaHostAlloc), else registered
};

struct Regions {
  std::mutex m;
  std::map<std::uintptr_t, Region> by_start;
};

Regions& regions() {
  static Regions* r =
      new Regions;  // never destroyed: programs free pinned memory in atexit handlers
  return *r;
}

std::uintptr_t address(const void* p) {
  return reinterpret_cast<std::uintptr_t>(p);
}

// The region holding [p, p + size), or end().
std::map<std::uintptr_t, Region>::iterator region_of(Regions& r, const void* p,
                                                     std::size_t size = 1) {
  auto it = r.by_start.upper_bound(address(p));
  if (it == r.by_start.begin()) return r.by_start.end();
  --it;
  if (address(p) - it->first + size > it->second.size) return r.by_start.end();
  return it;
}

bool overlaps(Regions& r, const void* p, std::size_t size) {
  auto it = r.by_start.lower_bound(address(p));
  if (it != r.by_start.end() && it->first < address(p) + size) return true;
  if (it == r.by_start.begin()) return false;
  --it;
  return it->first + it->second.size > address(p);
}

cudaError_t refuse(const char* what, const char* why) {
  remora::guest::log_unsupported_once(what, why);
  return cudaErrorNotSupported;
}

cudaError_t allocate(void** out, std::size_t size, unsigned int flags) {
  if (!out) return cudaErrorInvalidValue;
  *out = nullptr;
  if (size == 0) return cudaSuccess;
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return cudaErrorMemoryAllocation;
  Regions& r = regions();
  std::lock_guard<std::mutex> lk(r.m);
  r.by_start[address(p)] = Region{size, flags, true};
  *out = p;
  return cudaSuccess;
}

const char* const kMapped =
    "mapped pinned memory is read by the device in place: the guest's memory is not reachable from "
    "the server's "
    "device (cuda runtime module)";

}  // namespace

RM_CUDA_EXPORT cudaError_t cudaMallocHost(void** ptr, size_t size) {
  return allocate(ptr, size, cudaHostAllocDefault);
}

RM_CUDA_EXPORT cudaError_t cudaHostAlloc(void** pHost, size_t size, unsigned int flags) {
  const unsigned int known =
      cudaHostAllocPortable | cudaHostAllocMapped | cudaHostAllocWriteCombined;
  if (flags & ~known) return cudaErrorInvalidValue;
  if (flags & cudaHostAllocMapped) return refuse("cudaHostAlloc with cudaHostAllocMapped", kMapped);
  return allocate(pHost, size, flags);
}

RM_CUDA_EXPORT cudaError_t cudaFreeHost(void* ptr) {
  if (!ptr) return cudaSuccess;
  Regions& r = regions();
  std::size_t size = 0;
  {
    std::lock_guard<std::mutex> lk(r.m);
    auto it = r.by_start.find(address(ptr));
    if (it == r.by_start.end() || !it->second.allocated) return cudaErrorInvalidValue;
    size = it->second.size;
    r.by_start.erase(it);
  }
  munmap(ptr, size);
  return cudaSuccess;
}

RM_CUDA_EXPORT cudaError_t cudaHostRegister(void* ptr, size_t size, unsigned int flags) {
  const unsigned int known = cudaHostRegisterPortable | cudaHostRegisterMapped |
                             cudaHostRegisterIoMemory | cudaHostRegisterReadOnly;
  if (!ptr || size == 0 || (flags & ~known)) return cudaErrorInvalidValue;
  if (flags & (cudaHostRegisterMapped | cudaHostRegisterIoMemory))
    return refuse("cudaHostRegister with cudaHostRegisterMapped or cudaHostRegisterIoMemory",
                  kMapped);
  if (address(ptr) + size < address(ptr)) return cudaErrorInvalidValue;
  Regions& r = regions();
  std::lock_guard<std::mutex> lk(r.m);
  if (overlaps(r, ptr, size)) return cudaErrorHostMemoryAlreadyRegistered;
  r.by_start[address(ptr)] = Region{size, flags, false};
  return cudaSuccess;
}

RM_CUDA_EXPORT cudaError_t cudaHostUnregister(void* ptr) {
  Regions& r = regions();
  std::lock_guard<std::mutex> lk(r.m);
  auto it = r.by_start.find(address(ptr));
  if (!ptr || it == r.by_start.end() || it->second.allocated)
    return cudaErrorHostMemoryNotRegistered;
  r.by_start.erase(it);
  return cudaSuccess;
}

RM_CUDA_EXPORT cudaError_t cudaHostGetFlags(unsigned int* pFlags, void* pHost) {
  if (!pFlags || !pHost) return cudaErrorInvalidValue;
  Regions& r = regions();
  std::lock_guard<std::mutex> lk(r.m);
  auto it = region_of(r, pHost);
  if (it == r.by_start.end()) return cudaErrorInvalidValue;
  *pFlags = it->second.flags;
  return cudaSuccess;
}
