// Fat binary container parsing on hand-built bytes: entries, compression
// flags, and refusal of truncated, wrong-magic and oversized containers.
#include <catch2/catch.hpp>
#include <cstring>

#include "fake_cubin.h"
#include "remora/cuda/fatbin.h"

using namespace remora::cuda;
using namespace remora::cuda::test;

TEST_CASE("a hand-built container lists its entries") {
  std::string fat =
      fake_fatbin({{2, 80, 0x11, "CUBIN80!"}, {1, 90, 0x8011, "zstd..."}, {2, 90, 0x2011, "lz4"}});
  auto r = parse_fatbin_containers(fat + std::string(8, '\0') + fat);  // padding between containers
  REQUIRE(r.ok());
  REQUIRE(r.containers.size() == 2);
  const auto& e = r.containers[0].entries;
  REQUIRE(e.size() == 3);
  CHECK(e[0].kind == EntryKind::Cubin);
  CHECK(e[0].arch == 80);
  CHECK(e[0].payload == "CUBIN80!");
  CHECK(e[0].compression == Compression::None);
  CHECK(e[1].kind == EntryKind::Ptx);
  CHECK(e[1].compression == Compression::Zstd);
  CHECK(e[2].compression == Compression::Lz4);
  std::vector<std::string> skipped;
  auto images = cubins(r, &skipped);
  CHECK(images.size() == 2);  // the uncompressed sm_80 cubin of each container
  REQUIRE(skipped.size() == 2);
  CHECK_THAT(skipped[0], Catch::Contains("lz4-compressed"));
}

TEST_CASE("malformed fat binaries are refused with a reason") {
  std::string fat = fake_fatbin({{2, 80, 0x11, std::string(100, 'x')}});
  SECTION("wrong magic") {
    std::string bad = fat;
    bad[0] = 'Z';
    CHECK_THAT(parse_fatbin_containers(bad).error, Catch::Contains("no fat binary magic"));
  }
  SECTION("every truncation is refused, none crashes") {
    for (std::size_t n = 1; n < fat.size(); ++n) {
      auto r = parse_fatbin_containers(std::string_view(fat).substr(0, n));
      INFO("length " << n);
      CHECK_FALSE(r.ok());
    }
  }
  SECTION("container size past the data") {
    std::string bad = fat;
    std::uint64_t huge = ~0ull;
    std::memcpy(&bad[8], &huge, 8);
    CHECK_THAT(parse_fatbin_containers(bad).error, Catch::Contains("past the end"));
  }
  SECTION("entry payload size past the container") {
    std::string bad = fat;
    std::uint64_t huge = 1ull << 62;
    std::memcpy(&bad[16 + 8], &huge, 8);
    CHECK_THAT(parse_fatbin_containers(bad).error,
               Catch::Contains("past the end of its container"));
  }
  SECTION("entry header size too small or too large") {
    std::string bad = fat;
    std::uint32_t small = 8;
    std::memcpy(&bad[16 + 4], &small, 4);
    CHECK_THAT(parse_fatbin_containers(bad).error, Catch::Contains("bad header size"));
    std::uint32_t large = 0xfffffff0;
    std::memcpy(&bad[16 + 4], &large, 4);
    CHECK_THAT(parse_fatbin_containers(bad).error, Catch::Contains("bad header size"));
  }
  SECTION("empty data") {
    CHECK_FALSE(parse_fatbin_containers("").ok());
  }
}

TEST_CASE("read_fatbins refuses files that hold no fat binary") {
  CHECK_THAT(read_fatbins("/nonexistent/file").error, Catch::Contains("cannot open"));
  // A host ELF without device code (this test program itself).
  CHECK_THAT(read_fatbins("/proc/self/exe").error, Catch::Contains("no .nv_fatbin section"));
  CHECK_THAT(read_fatbins(REMORA_SOURCE_DIR "/README.md").error,
             Catch::Contains("neither an ELF64"));
  std::string error;
  CHECK(read_wrappers("/proc/self/exe", error).empty());
  CHECK_THAT(error, Catch::Contains("no .nvFatBinSegment"));
}
