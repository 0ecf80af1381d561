// The runtime's one reader of numeric environment variables (remora_env.h): what it takes,
// what it refuses and why, and that a refused value falls back to the default with a line
// that names the variable (the real-stack check is in test_toy_stack.cpp).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "remora_env.h"

using remora::EnvRange;
using remora::EnvUnit;
using remora::parse_env_number;

namespace {
std::string refusal(const char* text, const EnvRange& r) {
  std::string why;
  auto v = parse_env_number(text, r, why);
  return v ? "accepted " + std::to_string(*v) : why;
}
}  // namespace

TEST_CASE("environment numbers: whole numbers in range, byte sizes with K, M, G",
          "[codegen][env]") {
  const EnvRange count{1, 64};
  const EnvRange bytes{4096, UINT32_MAX, EnvUnit::Bytes};
  std::string why;
  CHECK(parse_env_number("1", count, why) == 1u);
  CHECK(parse_env_number("64", count, why) == 64u);
  CHECK(parse_env_number("0004", count, why) == 4u);
  CHECK(parse_env_number("4096", bytes, why) == 4096u);
  CHECK(parse_env_number("64K", bytes, why) == 65536u);
  CHECK(parse_env_number("64k", bytes, why) == 65536u);
  CHECK(parse_env_number("3M", bytes, why) == 3u << 20);
  CHECK(parse_env_number("1G", bytes, why) == 1u << 30);
  CHECK(parse_env_number("18446744073709551615", EnvRange{}, why) == UINT64_MAX);
  CHECK(parse_env_number("16G", EnvRange{0, UINT64_MAX, EnvUnit::Bytes}, why) == std::uint64_t{16}
                                                                                     << 30);
  CHECK(parse_env_number("65536", EnvRange{65536, 1u << 30, EnvUnit::Bytes, true}, why) == 65536u);
}

TEST_CASE(
    "environment numbers: malformed, negative, overflowing and out-of-range values are refused",
    "[codegen][env]") {
  const EnvRange count{1, 64};
  const EnvRange bytes{4096, UINT32_MAX, EnvUnit::Bytes};
  CHECK(refusal("abc", count) == "not a number");
  CHECK(refusal("-1", count) == "not a number");
  CHECK(refusal("+4", count) == "not a number");
  CHECK(refusal(" 4", count) == "not a number");
  CHECK(refusal("4 ", count) == "unexpected ' ' after the number");
  CHECK(refusal("0x10", count) == "unexpected 'x10' after the number");
  CHECK(refusal("1.5", count) == "unexpected '.5' after the number");
  CHECK(refusal("4K", count) == "unexpected 'K' after the number");  // counts take no suffix
  CHECK(refusal("4X", bytes) == "unexpected 'X' after the number");
  CHECK(refusal("4GB", bytes) == "unexpected 'B' after the number");
  CHECK(refusal("0", count) == "out of range");
  CHECK(refusal("65", count) == "out of range");
  CHECK(refusal("4G", bytes) == "out of range");  // past the 32-bit limit
  CHECK(refusal("4095", bytes) == "out of range");
  CHECK(refusal("18446744073709551616", EnvRange{}) == "too large");
  CHECK(refusal("99999999999999999999999", EnvRange{}) == "too large");
  CHECK(refusal("17179869184G", EnvRange{0, UINT64_MAX, EnvUnit::Bytes}) == "too large");
  CHECK(refusal("98304", EnvRange{65536, 1u << 30, EnvUnit::Bytes, true}) == "not a power of two");
  CHECK(remora::env_accepted(bytes) ==
        "a byte count from 4096 to 4294967295 (digits, optionally followed by K, M or G)");
  CHECK(remora::env_accepted(count) == "a whole number from 1 to 64");
}

TEST_CASE("environment numbers: unset or empty gives the default, a refused value gives it too",
          "[codegen][env]") {
  const char* name = "REMORA_TEST_ENV_NUMBER";
  const EnvRange r{1, 100};
  unsetenv(name);
  CHECK(remora::env_number(name, 7, r) == 7u);
  setenv(name, "", 1);
  CHECK(remora::env_number(name, 7, r) == 7u);
  setenv(name, "42", 1);
  CHECK(remora::env_number(name, 7, r) == 42u);
  setenv(name, "4G", 1);  // says so on stderr, then the default
  CHECK(remora::env_number(name, 7, r) == 7u);
  unsetenv(name);
}
