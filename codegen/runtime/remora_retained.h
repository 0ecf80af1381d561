// Remora runtime, server side: buffers the library keeps using after the call
// (`retain: "object"` in the spec: clCreateBuffer's host_ptr with
// CL_MEM_USE_HOST_PTR). Their bytes are copied into memory that is not per-call
// scratch, handed to the library, and kept until the object the call created is
// released; a map of that object finds the guest's own address for it (alias).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

namespace remora::server {

class RetainedMemory {
 public:
  RetainedMemory() = default;
  RetainedMemory(const RetainedMemory&) = delete;
  RetainedMemory& operator=(const RetainedMemory&) = delete;
  ~RetainedMemory() {
    for (auto& r : unbound_) std::free(r.data);
    for (auto& [h, r] : by_handle_) std::free(r.data);
  }

  // A copy of `bytes` bytes the guest sent from `guest_addr`, which outlives the call.
  // Null when memory runs out or the per-guest bound is reached.
  void* keep(const void* data, std::uint64_t bytes, std::uint64_t guest_addr) {
    if (bytes > kMaxBytes - held_) return nullptr;
    void* p = nullptr;
    if (posix_memalign(&p, 4096, bytes ? bytes : 1) != 0) return nullptr;  // page-aligned, as a program's would be
    if (bytes) std::memcpy(p, data, bytes);
    held_ += bytes;
    unbound_.push_back({static_cast<unsigned char*>(p), bytes, guest_addr});
    return p;
  }
  // After the call: the object `handle` keeps what keep() made during it; with no
  // object (the call failed) the copies are freed.
  void bind(std::uint64_t handle) {
    for (auto& r : unbound_) {
      if (handle) by_handle_.emplace(handle, r);
      else drop(r);
    }
    unbound_.clear();
  }
  // The object was released: its copies go.
  void release(std::uint64_t handle) {
    auto range = by_handle_.equal_range(handle);
    for (auto it = range.first; it != range.second; ++it) drop(it->second);
    by_handle_.erase(range.first, range.second);
  }
  // The guest address of server address p when p lies inside a kept copy (0: none).
  std::uint64_t guest_alias(const void* p, std::uint64_t bytes) const {
    auto at = reinterpret_cast<std::uintptr_t>(p);
    for (const auto& [h, r] : by_handle_) {
      auto base = reinterpret_cast<std::uintptr_t>(r.data);
      if (at >= base && at - base <= r.bytes && bytes <= r.bytes - (at - base)) return r.guest + (at - base);
    }
    return 0;
  }

  // Bound on what one guest can make the worker keep.
  static constexpr std::uint64_t kMaxBytes = 8ull << 30;

 private:
  struct Region {
    unsigned char* data;
    std::uint64_t bytes;
    std::uint64_t guest;
  };
  void drop(Region& r) {
    held_ -= r.bytes;
    std::free(r.data);
  }
  std::vector<Region> unbound_;
  std::multimap<std::uint64_t, Region> by_handle_;
  std::uint64_t held_ = 0;
};

}  // namespace remora::server
