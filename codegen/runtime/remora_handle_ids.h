// Remora runtime: the values a guest sees for its handles (issue 15, item 6).
//
// A guest never sees a host address. Every handle the worker hands a guest (a returned
// handle, an out element or array of handles, a handle member of a struct the library
// wrote, a callback argument, a handle inside bytes the spec says may hold handles) is
// replaced by an id of this worker, and every value the guest sends where a handle goes
// is translated back; a value that names none of this guest's live objects is refused.
// So a guest cannot learn the worker's heap layout from its handles, cannot name an
// object it was not given (another guest's ids are unknown here: each worker draws its own
// random prefix), and cannot make the library dereference an address of its choosing
// through a handle parameter.
//
// Two ranges, never host addresses (user-space addresses on the supported 64-bit hosts stay
// below 2^47; small-integer handles stay far below 2^56):
// - server ids: 0x7d, then 24 random bits drawn per worker, then an index times 16 (the low
//   bits clear, like an aligned pointer). A data value that collides with a live id by
//   chance must match those 32 high bits: negligible (see translate_in's residual risk).
// - guest-assigned values: a call that creates a handle and may go without a reply (an
//   enqueue's event) cannot wait for the server to name the object, so the guest names it
//   from 0x7e00000000000000 up and the worker maps that name once the real call returned.
#pragma once

#include <sys/random.h>
#include <unistd.h>

#include <cstdint>
#include <ctime>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace remora {

inline constexpr std::uint64_t kGuestHandleBase = 0x7e00000000000000ull;
inline constexpr std::uint64_t kGuestHandleStep = 16;  // keeps the low bits clear, like an aligned pointer

inline bool is_guest_handle(std::uint64_t v) { return v >= kGuestHandleBase && v < kGuestHandleBase + (1ull << 56); }

inline constexpr std::uint64_t kServerHandleTag = 0x7d00000000000000ull;
inline constexpr std::uint64_t kServerIdPrefixMask = 0xffffffff00000000ull;  // tag + random bits
inline constexpr std::uint64_t kServerIdsPerPrefix = 1ull << 28;               // index * 16 < 2^32
// The prefix of replayable ids (HandleIds::use_replay_prefix): the same in every worker.
inline constexpr std::uint64_t kReplayIdPrefix = kServerHandleTag | (0x5eedull << 32);

// The guest's values of one worker's handles, both ways. Locked: callback trampolines name
// handles on the API's own threads.
class HandleIds {
 public:
  HandleIds() { new_prefix(); }

  // Recorded frames (REMORA_RECORD_FRAMES) and their replay (the fuzz target, tests/fuzz/)
  // need ids that are the same in every worker: the handle values in a recording must name
  // the same objects when another worker serves it. Only before the first id is handed out.
  // Ids stay per worker (another worker's table knows none of them); only the prefix no
  // longer varies, so this is for recording and fuzzing, never a production server.
  void use_replay_prefix() {
    std::lock_guard<std::mutex> lk(m_);
    prefix_ = kReplayIdPrefix;
    prefixes_.assign(1, prefix_);
    next_ = 1;
  }

  // The guest's value for a real handle: the name it already has, else a new id. 0 stays 0.
  std::uint64_t name(std::uint64_t real) {
    if (real == 0) return 0;
    std::lock_guard<std::mutex> lk(m_);
    auto it = to_guest_.find(real);
    if (it != to_guest_.end()) return it->second;
    if (next_ >= kServerIdsPerPrefix) new_prefix();
    const std::uint64_t id = prefix_ | (next_++ << 4);
    bind_locked(id, real);
    return id;
  }
  // The guest named `real` itself (a failed call maps the name to 0: the API then sees NULL
  // and reports the error a missing object deserves). Later replies carry this name.
  void alias(std::uint64_t guest, std::uint64_t real) {
    std::lock_guard<std::mutex> lk(m_);
    if (real == 0) {
      to_real_[guest] = 0;
      return;
    }
    bind_locked(guest, real);
  }
  // The real handle a guest value names; false when it names nothing for this guest.
  bool to_real(std::uint64_t guest, std::uint64_t& real) const {
    if (guest == 0) {
      real = 0;
      return true;
    }
    std::lock_guard<std::mutex> lk(m_);
    auto it = to_real_.find(guest);
    if (it == to_real_.end()) return false;
    real = it->second;
    return true;
  }
  // The object is gone for this guest: every name it had is unknown from now on (a use
  // after release is refused, and a new object at the same address gets a new id).
  void forget(std::uint64_t real) {
    std::lock_guard<std::mutex> lk(m_);
    auto it = names_.find(real);
    if (it == names_.end()) return;
    for (std::uint64_t g : it->second) to_real_.erase(g);
    names_.erase(it);
    to_guest_.erase(real);
  }
  // The shape of a handle value of this guest (this worker's id prefix, or the start of the
  // guest-assigned range), live or not: raw bytes holding one that names nothing are a
  // released or forged handle, not data (see Worker::translate_handles_in).
  bool looks_like_handle(std::uint64_t v) const {
    if (v & 15) return false;
    if (v >= kGuestHandleBase && v < kGuestHandleBase + (1ull << 36)) return true;
    std::lock_guard<std::mutex> lk(m_);
    for (std::uint64_t p : prefixes_)
      if ((v & kServerIdPrefixMask) == p) return true;
    return false;
  }

 private:
  void bind_locked(std::uint64_t guest, std::uint64_t real) {
    to_real_[guest] = real;
    to_guest_[real] = guest;  // the newest name is the one replies carry
    names_[real].push_back(guest);
  }
  // 24 random bits per prefix (getrandom; the clock and pid if it is unavailable).
  void new_prefix() {
    std::uint64_t r = 0;
    if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r))
      r = static_cast<std::uint64_t>(std::time(nullptr)) * 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(::getpid());
    prefix_ = kServerHandleTag | ((r & 0xffffffull) << 32);
    prefixes_.push_back(prefix_);
    next_ = 1;
  }

  mutable std::mutex m_;
  std::uint64_t prefix_ = 0, next_ = 1;
  std::vector<std::uint64_t> prefixes_;
  std::unordered_map<std::uint64_t, std::uint64_t> to_real_, to_guest_;
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> names_;  // real -> every guest value naming it
};

}  // namespace remora
