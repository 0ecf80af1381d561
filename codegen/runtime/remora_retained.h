// Remora runtime, server side: buffers the library keeps using after the call
// (`retain: "object"` in the spec: clCreateBuffer's host_ptr with
// CL_MEM_USE_HOST_PTR). Their bytes are copied into memory that is not per-call
// scratch, handed to the library, and kept until the object the call created is
// released; a map of that object finds the guest's own address for it (alias).
//
// A release is not the end of the library's use: OpenCL lets a program release a buffer
// while commands that use it are still queued (the object goes once they complete). So a
// release hands the object's copies out (release() returns them as one shared Kept), and
// the server keeps them with every piece of un-retired queued work until the last goes.
// They stay counted against the bound until they are freed.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <utility>
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
    *held_ -= unbound_bytes() + bound_bytes();
  }

  struct Region {
    unsigned char* data;
    std::uint64_t bytes;
    std::uint64_t guest;
  };
  // The copies of a released object: freed (and uncounted) when the last owner lets go.
  // It owns a share of the counter, so it may outlive the RetainedMemory that made it.
  class Kept {
   public:
    Kept(std::vector<Region> regions, std::shared_ptr<std::uint64_t> held)
        : regions_(std::move(regions)), held_(std::move(held)) {}
    Kept(const Kept&) = delete;
    Kept& operator=(const Kept&) = delete;
    ~Kept() {
      for (auto& r : regions_) {
        *held_ -= r.bytes;
        std::free(r.data);
      }
    }

   private:
    std::vector<Region> regions_;
    std::shared_ptr<std::uint64_t> held_;
  };

  // A copy of `bytes` bytes the guest sent from `guest_addr`, which outlives the call.
  // Null when memory runs out or the per-guest bound is reached.
  void* keep(const void* data, std::uint64_t bytes, std::uint64_t guest_addr) {
    if (bytes > kMaxBytes - *held_) return nullptr;
    void* p = nullptr;
    if (posix_memalign(&p, 4096, bytes ? bytes : 1) != 0) return nullptr;  // page-aligned, as a program's would be
    if (bytes) std::memcpy(p, data, bytes);
    *held_ += bytes;
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
  // A call served from inside a callback during another call (Worker::call_callback)
  // binds only its own copies: the outer call's are set aside meanwhile, then put back.
  std::vector<Region> set_aside_unbound() { return std::exchange(unbound_, {}); }
  void put_back_unbound(std::vector<Region> outer) { unbound_ = std::move(outer); }
  // The object was released: its copies leave it, handed out as one Kept (null when it
  // kept none). Dropping the Kept frees them; commands still queued keep it alive.
  std::shared_ptr<Kept> release(std::uint64_t handle) {
    auto range = by_handle_.equal_range(handle);
    std::vector<Region> regions;
    for (auto it = range.first; it != range.second; ++it) regions.push_back(it->second);
    by_handle_.erase(range.first, range.second);
    if (regions.empty()) return nullptr;
    return std::make_shared<Kept>(std::move(regions), held_);
  }
  // Some live object keeps memory (calls made now may queue work that uses it).
  bool keeps_any() const { return !by_handle_.empty(); }
  // `handle` keeps memory now.
  bool keeps(std::uint64_t handle) const { return by_handle_.count(handle) != 0; }
  // Bytes kept now, including released objects' copies not yet freed.
  std::uint64_t held_bytes() const { return *held_; }
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
  void drop(Region& r) {
    *held_ -= r.bytes;
    std::free(r.data);
  }
  std::uint64_t unbound_bytes() const {
    std::uint64_t n = 0;
    for (const auto& r : unbound_) n += r.bytes;
    return n;
  }
  std::uint64_t bound_bytes() const {
    std::uint64_t n = 0;
    for (const auto& [h, r] : by_handle_) n += r.bytes;
    return n;
  }
  std::vector<Region> unbound_;
  std::multimap<std::uint64_t, Region> by_handle_;
  // Shared with the Kept of released objects (freed after this, at worker exit).
  std::shared_ptr<std::uint64_t> held_ = std::make_shared<std::uint64_t>(0);
};

}  // namespace remora::server
