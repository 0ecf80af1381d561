// Remora runtime: reusable memory for transfer-sized buffers (the server's copies of
// bulk inputs and outputs). A fresh allocation per call costs page faults and kernel
// zeroing of every page, each time (a 64 MiB transfer touches 16384 new pages); a
// pooled region is faulted in once and then reused. Regions are never zeroed on reuse:
// they hold only bytes of the same guest's earlier transfers (one worker serves one guest).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace remora {

// Whoever lends a PooledBuffer's memory and takes it back: the worker's BufferPool, or a
// shared-memory transport lending memory its peer reads in place (remora_shm_transport.h).
class BufferLender {
 public:
  virtual void put(unsigned char* data, std::size_t capacity) = 0;

 protected:
  ~BufferLender() = default;
};

// A region on loan from a BufferLender; goes back to it when destroyed.
class PooledBuffer {
 public:
  PooledBuffer() = default;
  PooledBuffer(BufferLender* pool, unsigned char* data, std::size_t capacity)
      : pool_(pool), data_(data), capacity_(capacity) {}
  PooledBuffer(PooledBuffer&& o) noexcept
      : pool_(std::exchange(o.pool_, nullptr)), data_(std::exchange(o.data_, nullptr)),
        capacity_(std::exchange(o.capacity_, 0)) {}
  PooledBuffer& operator=(PooledBuffer&& o) noexcept {
    if (this != &o) {
      reset();
      pool_ = std::exchange(o.pool_, nullptr);
      data_ = std::exchange(o.data_, nullptr);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  PooledBuffer(const PooledBuffer&) = delete;
  PooledBuffer& operator=(const PooledBuffer&) = delete;
  ~PooledBuffer() { reset(); }

  unsigned char* data() const { return data_; }
  std::size_t capacity() const { return capacity_; }
  explicit operator bool() const { return data_ != nullptr; }
  inline void reset();

 private:
  BufferLender* pool_ = nullptr;
  unsigned char* data_ = nullptr;
  std::size_t capacity_ = 0;
};

class BufferPool final : public BufferLender {
 public:
  // Free regions kept for reuse, in bytes; beyond that a returned region is unmapped.
  explicit BufferPool(std::size_t keep_bytes = std::size_t{512} << 20) : keep_bytes_(keep_bytes) {}
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;
  ~BufferPool() {
    for (const auto& r : free_) ::munmap(r.data, r.capacity);
  }

  // At least `bytes` of page-aligned memory (uninitialised on reuse); empty on failure.
  PooledBuffer get(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    std::lock_guard<std::mutex> lk(mutex_);
    std::size_t best = free_.size();
    for (std::size_t i = 0; i < free_.size(); ++i)  // the smallest region that fits
      if (free_[i].capacity >= bytes && (best == free_.size() || free_[i].capacity < free_[best].capacity)) best = i;
    if (best < free_.size()) {
      Region r = free_[best];
      free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(best));
      free_bytes_ -= r.capacity;
      return PooledBuffer(this, r.data, r.capacity);
    }
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::size_t cap = (bytes + page - 1) / page * page;
    void* p = ::mmap(nullptr, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return {};
    // Large regions on huge pages where the kernel allows: fewer faults and TLB misses.
    if (cap >= (std::size_t{4} << 20)) ::madvise(p, cap, MADV_HUGEPAGE);
    return PooledBuffer(this, static_cast<unsigned char*>(p), cap);
  }

  void put(unsigned char* data, std::size_t capacity) override {
    std::lock_guard<std::mutex> lk(mutex_);
    free_.push_back({data, capacity});
    free_bytes_ += capacity;
    while (free_bytes_ > keep_bytes_) {  // over the bound: unmap the largest free regions first
      std::size_t largest = 0;
      for (std::size_t i = 1; i < free_.size(); ++i)
        if (free_[i].capacity > free_[largest].capacity) largest = i;
      ::munmap(free_[largest].data, free_[largest].capacity);
      free_bytes_ -= free_[largest].capacity;
      free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(largest));
    }
  }

 private:
  struct Region {
    unsigned char* data;
    std::size_t capacity;
  };
  // The serving thread and the read-ahead thread (Worker::receive_request) both take
  // regions; an uncontended lock costs nothing next to a transfer-sized buffer.
  std::mutex mutex_;
  std::vector<Region> free_;
  std::size_t free_bytes_ = 0;
  std::size_t keep_bytes_;
};

inline void PooledBuffer::reset() {
  if (pool_ && data_) pool_->put(data_, capacity_);
  pool_ = nullptr;
  data_ = nullptr;
  capacity_ = 0;
}

}  // namespace remora
