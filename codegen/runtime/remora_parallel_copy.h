// Remora runtime: a large copy between the shared-memory transport's placed payloads and
// private memory, shared by the calling thread and helper threads (REMORA_COPY_THREADS).
//
// Why: a transfer whose call stays whole (a non-blocking read or write that gives the
// program an event cannot be split: the event must describe the whole command) makes its
// two copies one after the other, the library's and the transport's, while the other core
// waits. Split between threads, the transport's copy takes about half as long where a core
// is free (a lone memcpy of MiBs is bound by one core's outstanding misses, not by memory).
//
// Work is taken in chunks from a shared counter: a helper that is slow to wake (a busy
// host) takes fewer chunks and the caller copies the rest, so a copy costs at most the
// helpers' wake-up and the chunk one of them is copying when the caller is done; it waits
// for that one, since a helper writing after the call returned could overwrite what the
// program writes next. One copy uses the helpers at a time (another copies alone). After
// fork() the child starts its own helpers (the parent's threads do not exist there).
#pragma once

#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

#include "remora_env.h"

namespace remora::parallel_copy {

// Copies below this go as one memcpy: waking a helper costs 10-50 us on a busy host, about
// what a 1 MiB copy takes (in an A/B on the loaded 2-core host 1 MiB transfers lost with it).
inline constexpr std::size_t kMinBytes = std::size_t{4} << 20;
// The unit of work: small enough that the caller rarely waits long for a helper's last one.
inline constexpr std::size_t kChunkBytes = std::size_t{256} << 10;

// Threads per large copy, the caller included: REMORA_COPY_THREADS (1 = no helpers, at
// most 8), by default 2 where the host has 2 CPUs or more.
inline unsigned copy_threads() {
  static const unsigned n = static_cast<unsigned>(
      env_number("REMORA_COPY_THREADS", std::thread::hardware_concurrency() >= 2 ? 2 : 1, {1, 8}));
  return n;
}

class Helpers {
 public:
  // This process's helpers (a forked child gets its own; the parent's stay unused there).
  static Helpers& get() {
    static std::atomic<Helpers*> current{nullptr};
    Helpers* h = current.load(std::memory_order_acquire);
    if (h && h->pid_ == ::getpid()) return *h;
    auto* fresh = new Helpers();  // never freed: detached threads use it until the process ends
    if (current.compare_exchange_strong(h, fresh, std::memory_order_acq_rel)) return *fresh;
    delete fresh;  // another thread installed one first (no thread was started for it)
    return *h;
  }

  void copy(void* dst, const void* src, std::size_t n) {
    if (busy_.exchange(true, std::memory_order_acquire)) {
      std::memcpy(dst, src, n);
      return;
    }
    start_helpers();
    Job job;
    job.dst = static_cast<unsigned char*>(dst);
    job.src = static_cast<const unsigned char*>(src);
    job.n = n;
    {
      std::lock_guard<std::mutex> lk(mutex_);
      job_ = &job;
      ++generation_;
    }
    cv_.notify_all();
    work(job);
    {
      // From here no helper can take the job; those that took it finish their chunk.
      std::lock_guard<std::mutex> lk(mutex_);
      job_ = nullptr;
    }
    for (unsigned spins = 0; job.helpers_in.load(std::memory_order_acquire) != 0; ++spins)
      if (spins >= 1000) sched_yield();
    busy_.store(false, std::memory_order_release);
  }

 private:
  struct Job {
    unsigned char* dst = nullptr;
    const unsigned char* src = nullptr;
    std::size_t n = 0;
    std::atomic<std::size_t> next{0};  // the next chunk to take
    std::atomic<unsigned> helpers_in{0};
  };

  Helpers() : pid_(::getpid()) {}

  static void work(Job& job) {
    for (;;) {
      const std::size_t at = job.next.fetch_add(1, std::memory_order_relaxed) * kChunkBytes;
      if (at >= job.n) return;
      std::memcpy(job.dst + at, job.src + at, job.n - at < kChunkBytes ? job.n - at : kChunkBytes);
    }
  }

  void start_helpers() {
    if (started_) return;  // under busy_
    started_ = true;
    // A thread the process may not start (a resource limit) leaves the caller to copy alone.
    try {
      for (unsigned i = 1; i < copy_threads(); ++i) std::thread([this] { helper_main(); }).detach();
    } catch (const std::system_error&) {
    }
  }

  void helper_main() {
    std::uint64_t seen = 0;
    for (;;) {
      Job* job;
      {
        std::unique_lock<std::mutex> lk(mutex_);
        cv_.wait(lk, [&] { return generation_ != seen; });
        seen = generation_;
        job = job_;
        if (!job) continue;  // finished before this helper woke
        job->helpers_in.fetch_add(1, std::memory_order_relaxed);
      }
      work(*job);
      job->helpers_in.fetch_sub(1, std::memory_order_release);  // the last use of *job
    }
  }

  const pid_t pid_;
  std::atomic<bool> busy_{false};  // a copy is using the helpers
  bool started_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  Job* job_ = nullptr;
  std::uint64_t generation_ = 0;
};

// memcpy, split between threads when it is large and helpers are allowed.
inline void copy(void* dst, const void* src, std::size_t n) {
  if (n < kMinBytes || copy_threads() <= 1) {
    std::memcpy(dst, src, n);
    return;
  }
  Helpers::get().copy(dst, src, n);
}

}  // namespace remora::parallel_copy
