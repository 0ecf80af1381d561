// Remora runtime: checked size arithmetic for the size expressions of generated code.
//
// A size expression of the spec (`(M - 1) * lda + K`, `count * sizeof(T)`) is computed
// by both sides from the call's arguments: on the server from values a guest chose.
// In the C types of the parameters (`int lda`) a hostile `lda` near INT_MAX wraps, both
// sides compute the same wrapped (small) size, the server's "enough elements sent?"
// check passes, and the library reads far past what arrived. So the generator emits
// every +, -, *, /, unary minus, min, max and ?: of a size over remora::Size: 64-bit
// signed arithmetic whose overflow (or division by zero) poisons the result instead
// of wrapping or trapping. Converting a poisoned size to an integer gives kSizeOverflow
// (negative), which every size check of generated code already rejects; size_problem()
// names it in the failure message.
//
// A poisoned value keeps the saturated sign of the true result (+/- "infinity"), so
// comparisons and min/max stay right: min(capacity, a value too large for 64 bits) is
// the capacity.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace remora {

inline constexpr long long kSizeOverflow = LLONG_MIN;
// terminated(p, MEMBER, END) found no element that ends the array where it may read.
inline constexpr long long kSizeUnterminated = LLONG_MIN + 1;

class Size {
 public:
  constexpr Size() = default;
  // Implicit from every integer and enum (the leaves of a size: parameters, members,
  // sizeof, strlen, constants) so that mixed operands of ?: and comparisons convert.
  template <class T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>, int> = 0>
  constexpr Size(T v) {  // NOLINT(google-explicit-constructor)
    if constexpr (std::is_enum_v<T>) {
      *this = Size(static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_same_v<T, bool>) {
      v_ = v ? 1 : 0;
    } else if constexpr (std::is_signed_v<T>) {
      v_ = static_cast<long long>(v);
    } else if (static_cast<unsigned long long>(v) > static_cast<unsigned long long>(LLONG_MAX)) {
      v_ = LLONG_MAX;
      bad_ = true;
    } else {
      v_ = static_cast<long long>(v);
    }
  }
  // A floating-point parameter in a size (rare): truncated, out of range poisons.
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  constexpr Size(T v) {  // NOLINT(google-explicit-constructor)
    if (v >= static_cast<T>(-9.2e18) && v <= static_cast<T>(9.2e18)) {
      v_ = static_cast<long long>(v);
    } else {
      v_ = v < 0 ? LLONG_MIN : LLONG_MAX;  // NaN counts as too large
      bad_ = true;
    }
  }

  constexpr bool overflowed() const { return bad_; }
  // The value: kSizeOverflow when it overflowed. Conversions to other integers
  // follow it: out of range (or poisoned) gives the target's minimum when it is
  // signed, its maximum when unsigned; both are refused as sizes.
  template <class T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
  constexpr explicit operator T() const {
    if constexpr (std::is_same_v<T, bool>) {
      return bad_ || v_ != 0;
    } else if constexpr (std::is_signed_v<T>) {
      if (bad_ || v_ < static_cast<long long>(std::numeric_limits<T>::min()) ||
          v_ > static_cast<long long>(std::numeric_limits<T>::max()))
        return std::numeric_limits<T>::min();
      return static_cast<T>(v_);
    } else {
      if (bad_ || v_ < 0 || static_cast<unsigned long long>(v_) > std::numeric_limits<T>::max())
        return std::numeric_limits<T>::max();
      return static_cast<T>(v_);
    }
  }

  friend constexpr Size operator+(Size a, Size b) {
    long long r = 0;
    if (__builtin_add_overflow(a.v_, b.v_, &r)) return poisoned(a.v_ > 0);
    return {r, a.bad_ || b.bad_};
  }
  friend constexpr Size operator-(Size a, Size b) {
    long long r = 0;
    if (__builtin_sub_overflow(a.v_, b.v_, &r)) return poisoned(a.v_ >= 0);
    return {r, a.bad_ || b.bad_};
  }
  friend constexpr Size operator*(Size a, Size b) {
    long long r = 0;
    if (__builtin_mul_overflow(a.v_, b.v_, &r)) return poisoned((a.v_ < 0) == (b.v_ < 0));
    return {r, a.bad_ || b.bad_};
  }
  friend constexpr Size operator/(Size a, Size b) {
    if (b.v_ == 0 || (a.v_ == LLONG_MIN && b.v_ == -1)) return poisoned(true);
    return {a.v_ / b.v_, a.bad_ || b.bad_};
  }
  friend constexpr Size operator-(Size a) { return Size(0) - a; }
  friend constexpr bool operator==(Size a, Size b) { return a.v_ == b.v_ && a.bad_ == b.bad_; }
  friend constexpr bool operator!=(Size a, Size b) { return !(a == b); }
  friend constexpr bool operator<(Size a, Size b) { return a.v_ < b.v_; }
  friend constexpr bool operator>(Size a, Size b) { return a.v_ > b.v_; }
  friend constexpr bool operator<=(Size a, Size b) { return a.v_ <= b.v_; }
  friend constexpr bool operator>=(Size a, Size b) { return a.v_ >= b.v_; }

 private:
  constexpr Size(long long v, bool bad) : v_(bad ? (v < 0 ? LLONG_MIN : LLONG_MAX) : v), bad_(bad) {}
  static constexpr Size poisoned(bool positive) { return {positive ? LLONG_MAX : LLONG_MIN, true}; }

  long long v_ = 0;
  bool bad_ = false;
};

// Not arithmetic: the saturated value is exact for min/max (see the top).
constexpr Size size_min(Size a, Size b) { return b < a ? b : a; }
constexpr Size size_max(Size a, Size b) { return b > a ? b : a; }

// What generated code wraps every operand of size arithmetic in.
template <class T>
constexpr Size sz(T v) {
  return Size(v);
}
constexpr Size sz(Size v) { return v; }

// strlen(p[i]) on the server: the length of an element that arrived as `bytes` bytes,
// never reading past them. Without a NUL among them the element is not what its size
// says: `unterminated` is set (the caller names it) and the size is poisoned.
inline Size strlen_within(const void* p, std::uint64_t bytes, bool& unterminated) {
  const void* nul = p ? std::memchr(p, 0, static_cast<std::size_t>(bytes)) : nullptr;
  if (!nul) {
    unterminated = true;
    return Size(ULLONG_MAX);  // poisoned: too large
  }
  return Size(static_cast<const char*>(nul) - static_cast<const char*>(p));
}

// For failure messages about a size converted to long long.
inline const char* size_problem(long long v) {
  return v == kSizeOverflow       ? "overflows 64-bit arithmetic"
         : v == kSizeUnterminated ? "is unknown: no element that ends the array lies within the memory it points to"
         : v < 0                  ? "is negative"
                                  : "is too large";
}

}  // namespace remora
