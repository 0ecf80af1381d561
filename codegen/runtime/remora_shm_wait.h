// Remora runtime: how a side of the shared-memory transport waits for its peer (bytes to
// read, or room to write) before it sleeps on the ring's futex (remora_shm_transport.cpp).
//
// A small call is a hand-off: the guest publishes a request and waits, the worker
// answers and waits for the next one. What that costs depends on where the peer runs:
//  - on another core, polling: it sees the bytes within a cache-line transfer, so a short
//    busy spin answers a small call in about a microsecond with no system call;
//  - on no core (the host has more busy threads than cores, which the scheduler then
//    answers by keeping the pair on one core): spinning only holds the CPU the peer needs
//    (a 20 us spin made every hop 20 us), and a futex sleep costs a wake-up system call
//    and a full switch per hop.
// So a waiter spins briefly, only while its peer runs on another core and spinning has
// been paying (SpinPolicy), then polls between sched_yield() calls: a peer that waits for
// our CPU runs at once, one that runs elsewhere is seen within one yield, and the peer
// needs no futex wake (it sees us "spinning"). Only past the yield budget does it sleep
// on the futex (a long call, an idle program). Measured with `remora_shm_bench --ab`.
#pragma once

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>

#include "remora_env.h"

namespace remora::shm_wait {

using Clock = std::chrono::steady_clock;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

inline Clock::duration env_microseconds(const char* name, std::uint64_t fallback) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::microseconds(env_number(name, fallback, {0, 100000})));
}

// The busy spin before yielding (REMORA_SHM_SPIN_US, default 2): long enough for a small
// call answered from another core, short enough that a wrong guess costs about one
// context switch.
inline Clock::duration spin_budget() {
  static const Clock::duration d = env_microseconds("REMORA_SHM_SPIN_US", 2);
  return d;
}

// How long from the start of a wait it keeps yielding before it sleeps on the futex
// (REMORA_SHM_YIELD_US, default 50; 0: sleep right after the spin).
inline Clock::duration yield_budget() {
  static const Clock::duration d = env_microseconds("REMORA_SHM_YIELD_US", 50);
  return d;
}

// Whether to spin before yielding. Only when the peer last ran on another core (on ours
// it cannot answer before we yield) and by score: a spin that got its bytes earns
// credit, one that did not loses it (the peer was preempted, or its calls take longer
// than the spin). With no credit left it yields at once and tries a spin again every
// 16th wait.
class SpinPolicy {
 public:
  bool should_spin(bool peer_elsewhere) {
    return peer_elsewhere && (credit_ > 0 || (++probes_ & 15) == 0);
  }
  void spun(bool got_it) {
    credit_ = got_it ? std::min(credit_ + 1, kMaxCredit) : std::max(credit_ - 1, 0);
  }

 private:
  static constexpr int kMaxCredit = 8;
  int credit_ = kMaxCredit / 2;
  unsigned probes_ = 0;
};

// Where each side runs, for its peer's SpinPolicy: a side notes its CPU when it starts
// waiting and after each yield (it may have moved). A wrong value only costs one
// spin or one yield. sched_getcpu() reads the rseq area here (a few ns).
inline void note_cpu(std::atomic<std::int32_t>& mine) {
  const int cpu = ::sched_getcpu();
  if (cpu >= 0 && mine.load(std::memory_order_relaxed) != cpu)
    mine.store(cpu, std::memory_order_relaxed);
}

// Spins until ready() or `end`; the clock is read every 16th round.
template <class Ready>
bool spin_until(Ready ready, Clock::time_point end) {
  for (unsigned i = 0;; ++i) {
    if (ready()) return true;
    if ((i & 15) == 15 && Clock::now() >= end) return ready();
    cpu_relax();
  }
}

// The waiting before a futex sleep: spin (when it pays), then yield until the yield
// budget from `start` or `deadline`. `mine`/`peers`: where this side and its peer run
// (note_cpu). True once ready().
template <class Ready>
bool spin_then_yield(Ready ready, SpinPolicy& policy, std::atomic<std::int32_t>& mine,
                     const std::atomic<std::int32_t>& peers, Clock::time_point start,
                     Clock::time_point deadline) {
  note_cpu(mine);
  if (policy.should_spin(peers.load(std::memory_order_relaxed) !=
                         mine.load(std::memory_order_relaxed))) {
    const bool got = spin_until(ready, std::min(start + spin_budget(), deadline));
    policy.spun(got);
    if (got) return true;
  }
  const Clock::time_point end = std::min(start + yield_budget(), deadline);
  while (Clock::now() < end) {
    ::sched_yield();
    note_cpu(mine);
    if (ready()) return true;
  }
  return ready();
}

}  // namespace remora::shm_wait
