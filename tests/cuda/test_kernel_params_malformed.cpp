// .nv.info parsing on hand-built cubins: the happy path, then every way a
// hostile or truncated section must be refused with a message, never a crash.
#include <catch2/catch.hpp>
#include <cstring>

#include "fake_cubin.h"
#include "remora/cuda/kernel_params.h"

using namespace remora::cuda;
using namespace remora::cuda::test;

namespace {
KernelParse parse_info(const std::string& info) {
  return parse_kernel_params(fake_cubin({{".nv.info._Z1kic", info}}));
}
}  // namespace

TEST_CASE("a hand-built .nv.info gives the kernel's parameters by ordinal") {
  // Records in ptxas' order: last parameter first.
  auto r = parse_info(eiattr_half(0x19, 8) + kparam(1, 4, 1) + kparam(0, 0, 4) +
                      eiattr_half(0x1b, 0xff));
  REQUIRE(r.ok());
  REQUIRE(r.kernels.size() == 1);
  CHECK(r.kernels[0].name == "_Z1kic");
  CHECK(r.kernels[0].param_bytes == 8);
  REQUIRE(r.kernels[0].params.size() == 2);
  CHECK(r.kernels[0].params[0].offset == 0);
  CHECK(r.kernels[0].params[0].size == 4);
  CHECK(r.kernels[0].params[1].offset == 4);
  CHECK(r.kernels[0].params[1].size == 1);
}

TEST_CASE("a kernel without parameters has an empty list") {
  auto r = parse_info(eiattr_half(0x1b, 0xff));
  REQUIRE(r.ok());
  REQUIRE(r.kernels.size() == 1);
  CHECK(r.kernels[0].params.empty());
}

TEST_CASE("malformed .nv.info records are refused with a reason") {
  SECTION("record size past the section") {
    std::string rec = kparam(0, 0, 4);
    rec[2] = '\x40';  // claims 64 value bytes
    auto r = parse_info(rec);
    CHECK_FALSE(r.ok());
    CHECK_THAT(r.error, Catch::Contains("past the end"));
  }
  SECTION("truncated record") {
    auto r = parse_info(kparam(0, 0, 4).substr(0, 10));
    CHECK_FALSE(r.ok());
  }
  SECTION("record header cut short") {
    CHECK_FALSE(parse_info(std::string("\x04\x17", 2)).ok());
  }
  SECTION("unknown record format") {
    auto r = parse_info(std::string("\x09\x17\x00\x00", 4));
    CHECK_THAT(r.error, Catch::Contains("unknown EIATTR format 9"));
  }
  SECTION("KPARAM_INFO too short") {
    CHECK_FALSE(parse_info(eiattr_sized(0x17, "abcd")).ok());
  }
  SECTION("duplicate ordinal") {
    CHECK_THAT(parse_info(kparam(0, 0, 4) + kparam(0, 4, 4)).error, Catch::Contains("ordinals"));
  }
  SECTION("ordinal gap") {
    CHECK_FALSE(parse_info(kparam(0, 0, 4) + kparam(2, 4, 4)).ok());
  }
  SECTION("overlapping parameters") {
    CHECK_THAT(parse_info(kparam(0, 0, 8) + kparam(1, 4, 4)).error, Catch::Contains("overlap"));
  }
  SECTION("parameters past the bank size") {
    CHECK_THAT(parse_info(eiattr_half(0x19, 4) + kparam(0, 0, 8)).error,
               Catch::Contains("bank size"));
  }
  SECTION("huge offsets") {
    CHECK_FALSE(parse_info(eiattr_half(0x19, 16) + kparam(0, 0xffff, 0x3fff)).ok());
  }
}

TEST_CASE("bytes that are not a cubin are refused") {
  CHECK_FALSE(parse_kernel_params("").ok());
  CHECK_FALSE(
      parse_kernel_params("not an elf file at all, but long enough to hold a header........").ok());
  std::string cubin = fake_cubin({{".nv.info._Z1kv", kparam(0, 0, 4)}});
  SECTION("section table outside the data") {
    std::string cut = cubin.substr(0, cubin.size() - 32);
    CHECK_FALSE(parse_kernel_params(cut).ok());
  }
  SECTION("every truncation fails or parses; none crashes") {
    for (std::size_t n = 0; n < cubin.size(); ++n) (void)parse_kernel_params(cubin.substr(0, n));
    SUCCEED();
  }
  SECTION("section offsets pointing past the end") {
    std::string bad = cubin;
    std::uint64_t shoff = 0;
    std::memcpy(&shoff, bad.data() + 0x28, 8);
    std::uint64_t huge = ~0ull - 4;
    std::memcpy(&bad[shoff + 2 * 64 + 0x18], &huge, 8);  // the .nv.info section's sh_offset
    auto r = parse_kernel_params(bad);
    CHECK_THAT(r.error, Catch::Contains("outside the cubin"));
  }
}
