// The one reader of the runtime's numeric environment variables (limits, timeouts, sizes).
// A value that is not a whole number in the variable's range (REMORA_MAX_HELD=4X, abc, -1,
// one past 2^64) is never read as some other bound: one line on stderr names the variable,
// the value and what it accepts, and the variable's default is used instead (the rule in
// codegen/README.md, "Environment variables"). Start-up is not failed: most of these are
// read inside the program that loaded the guest library, at its first call.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

namespace remora {

enum class EnvUnit {
  Count,  // a plain whole number (a count, milliseconds, microseconds)
  Bytes,  // a byte count: also takes a K, M or G suffix (x1024, x1024^2, x1024^3)
};

struct EnvRange {
  std::uint64_t min = 0;
  std::uint64_t max = UINT64_MAX;
  EnvUnit unit = EnvUnit::Count;
  bool power_of_two = false;
};

// What a variable with range `r` accepts, in words (for the error line).
inline std::string env_accepted(const EnvRange& r) {
  std::string s = r.unit == EnvUnit::Bytes ? "a byte count" : "a whole number";
  if (r.power_of_two) s += ", a power of two,";
  s += " from " + std::to_string(r.min) + " to " + std::to_string(r.max);
  if (r.unit == EnvUnit::Bytes) s += " (digits, optionally followed by K, M or G)";
  return s;
}

// `text` as a number in `r`, or nothing with the reason in `why`.
inline std::optional<std::uint64_t> parse_env_number(const char* text, const EnvRange& r,
                                                     std::string& why) {
  const char* p = text;
  if (*p < '0' || *p > '9') {
    why = "not a number";
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (; *p >= '0' && *p <= '9'; ++p) {
    const auto d = static_cast<std::uint64_t>(*p - '0');
    if (v > (UINT64_MAX - d) / 10) {
      why = "too large";
      return std::nullopt;
    }
    v = v * 10 + d;
  }
  if (*p && r.unit == EnvUnit::Bytes) {
    int shift = 0;  // K, M, G in either case: x1024 once, twice, three times
    for (int i = 0; i < 3; ++i)
      if (*p == "KMG"[i] || *p == "kmg"[i]) shift = 10 * (i + 1);
    if (shift) {
      if (v > (UINT64_MAX >> shift)) {
        why = "too large";
        return std::nullopt;
      }
      v <<= shift;
      ++p;
    }
  }
  if (*p) {
    why = "unexpected '" + std::string(p) + "' after the number";
    return std::nullopt;
  }
  if (v < r.min || v > r.max) {
    why = "out of range";
    return std::nullopt;
  }
  if (r.power_of_two && (v & (v - 1)) != 0) {
    why = "not a power of two";
    return std::nullopt;
  }
  return v;
}

// The value of `name`: `fallback` when it is unset or empty, and when it is malformed or out
// of range, then with one line on stderr saying so.
inline std::uint64_t env_number(const char* name, std::uint64_t fallback, const EnvRange& r) {
  const char* e = std::getenv(name);
  if (!e || !*e) return fallback;
  std::string why;
  if (auto v = parse_env_number(e, r, why)) return *v;
  std::fprintf(stderr, "remora: %s=%s is ignored (%s): it takes %s; using the default, %llu\n",
               name, e, why.c_str(), env_accepted(r).c_str(),
               static_cast<unsigned long long>(fallback));
  return fallback;
}

// The range of a timeout or interval in milliseconds or microseconds that must be positive.
inline constexpr EnvRange kPositiveInt{1, INT32_MAX};

}  // namespace remora
