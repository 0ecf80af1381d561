// Remora runtime: guest-assigned handles.
//
// A call that creates a handle and may go without a reply (an enqueue that returns an
// event) cannot wait for the server to name the new object. The guest names it instead:
// it writes a value of its own into the program's out element and sends that value with
// the request; the worker, once the real call returned, maps the guest's value to the real
// handle. Every handle the worker then reads from the guest goes through `to_real`, and
// every handle it sends back (outputs, return values, callback arguments) through
// `to_guest`, so the program only ever sees the value it was given.
//
// Guest values live in a range no real handle uses: user-space addresses on the supported
// 64-bit hosts stay below 2^47, and handles that are small integers stay far below 2^62.
// A handle the program hides inside opaque bytes (a kernel argument, a property list, an
// info result) is not translated: such bytes are passed as they are (see codegen/README.md).
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace remora {

inline constexpr std::uint64_t kGuestHandleBase = 0x7e00000000000000ull;
inline constexpr std::uint64_t kGuestHandleStep = 16;  // keeps the low bits clear, like an aligned pointer

inline bool is_guest_handle(std::uint64_t v) { return v >= kGuestHandleBase && v < kGuestHandleBase + (1ull << 56); }

// Locked: callback trampolines translate on the API's own threads.
class HandleAliases {
 public:
  // The guest named `real` with `guest` (a failed call maps it to 0: the API then sees NULL
  // and reports the error a missing object deserves).
  void add(std::uint64_t guest, std::uint64_t real) {
    std::lock_guard<std::mutex> lk(m_);
    to_real_[guest] = real;
    if (real) to_guest_[real] = guest;
  }
  // A real handle just produced under its own value (a reply carries it): the address may
  // be a reused one, whose old guest name must not be sent for it.
  void forget_real(std::uint64_t real) {
    std::lock_guard<std::mutex> lk(m_);
    if (!to_guest_.empty()) to_guest_.erase(real);
  }
  // The real handle for a value from the guest; `known` false when it is a guest value
  // the worker never mapped.
  std::uint64_t to_real(std::uint64_t v, bool& known) const {
    known = true;
    if (!is_guest_handle(v)) return v;
    std::lock_guard<std::mutex> lk(m_);
    auto it = to_real_.find(v);
    if (it == to_real_.end()) {
      known = false;
      return v;
    }
    return it->second;
  }
  std::uint64_t to_guest(std::uint64_t real) const {
    std::lock_guard<std::mutex> lk(m_);
    if (to_guest_.empty()) return real;
    auto it = to_guest_.find(real);
    return it == to_guest_.end() ? real : it->second;
  }

 private:
  mutable std::mutex m_;
  std::unordered_map<std::uint64_t, std::uint64_t> to_real_, to_guest_;
};

}  // namespace remora
