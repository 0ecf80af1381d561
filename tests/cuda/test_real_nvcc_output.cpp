// Fat binaries and kernel parameter layouts read from a real program built by
// nvcc (kernels.cu, -cudart shared, sm_80 + sm_90 cubins + compute_90 PTX).
// cuobjdump is not installed on this machine, so the reference is the C++
// types in kernel_arg_types.h: each kernel's parameter bank must have the
// layout of its *Args struct (offsetof / sizeof), on every architecture.
#include <catch2/catch.hpp>
#include <cstddef>
#include <fstream>
#include <iterator>
#include <map>

#include "kernel_arg_types.h"
#include "remora/cuda/fatbin.h"
#include "remora/cuda/kernel_params.h"

using namespace remora::cuda;

namespace {

struct Expected {
  std::size_t offset, size;
};
#define FIELD(S, m)              \
  Expected {                     \
    offsetof(S, m), sizeof(S::m) \
  }

// Mangled names as the host compiler spells them (same Itanium ABI as nvcc).
const std::map<std::string, std::vector<Expected>>& expected_layouts() {
  static const std::map<std::string, std::vector<Expected>> layouts = {
      {"_Z7scalarscid", {FIELD(ScalarsArgs, c), FIELD(ScalarsArgs, i), FIELD(ScalarsArgs, d)}},
      {"_Z8pointersPfPKii",
       {FIELD(PointersArgs, a), FIELD(PointersArgs, b), FIELD(PointersArgs, n)}},
      {"_Z9by_struct6PaddedPi", {FIELD(ByStructArgs, p), FIELD(ByStructArgs, out)}},
      {"_Z5mixedc6Paddedc", {FIELD(MixedArgs, a), FIELD(MixedArgs, p), FIELD(MixedArgs, b)}},
      {"_Z9no_paramsv", {}},
      {"_Z4tmplIdEvPT_S0_s",
       {FIELD(TemplateArgs<double>, out), FIELD(TemplateArgs<double>, v),
        FIELD(TemplateArgs<double>, s)}},
      {"_Z4tmplIcEvPT_S0_s",
       {FIELD(TemplateArgs<char>, out), FIELD(TemplateArgs<char>, v),
        FIELD(TemplateArgs<char>, s)}},
  };
  return layouts;
}

}  // namespace

TEST_CASE("the nvcc-built program's fat binaries list sm_80/sm_90 cubins and compute_90 PTX") {
  auto r = read_fatbins(REMORA_CUDA_KERNELS_APP);
  REQUIRE(r.error == "");
  std::map<std::string, int> seen;  // "cubin sm_80" -> count
  for (const auto& c : r.containers)
    for (const auto& e : c.entries) {
      seen[std::string(kind_name(e.kind)) + " " + std::to_string(e.arch)]++;
      if (e.kind == EntryKind::Cubin && e.compression == Compression::None)
        CHECK(e.payload.substr(0, 4) ==
              "\x7f"
              "ELF");
    }
  CHECK(seen["cubin 80"] >= 1);
  CHECK(seen["cubin 90"] >= 1);
  CHECK(seen["ptx 90"] == 1);
  CHECK(seen["ptx 80"] == 0);  // code=sm_80 only: no PTX for 80
}

TEST_CASE("every kernel's parameters match the C++ types, on every architecture") {
  auto r = read_fatbins(REMORA_CUDA_KERNELS_APP);
  REQUIRE(r.ok());
  std::vector<std::string> skipped;
  auto images = cubins(r, &skipped);
  CHECK(skipped.empty());  // nvcc 13 compresses PTX, not cubins, by default
  std::map<std::uint32_t, int> kernels_per_arch;
  for (const FatbinEntry* cubin : images) {
    auto k = parse_kernel_params(cubin->payload);
    INFO("sm_" << cubin->arch << " cubin at " << cubin->file_offset);
    REQUIRE(k.error == "");
    for (const auto& kernel : k.kernels) {
      INFO("kernel " << kernel.name);
      auto it = expected_layouts().find(kernel.name);
      REQUIRE(it != expected_layouts().end());
      const auto& want = it->second;
      REQUIRE(kernel.params.size() == want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("parameter " << i);
        CHECK(kernel.params[i].ordinal == i);
        CHECK(kernel.params[i].offset == want[i].offset);
        CHECK(kernel.params[i].size == want[i].size);
      }
      if (!want.empty()) CHECK(kernel.param_bytes == want.back().offset + want.back().size);
      kernels_per_arch[cubin->arch]++;
    }
  }
  CHECK(kernels_per_arch[80] == 7);
  CHECK(kernels_per_arch[90] == 7);
}

TEST_CASE("damaged copies of real nvcc output are refused or parsed, never crash") {
  auto r = read_fatbins(REMORA_CUDA_KERNELS_APP);
  REQUIRE(r.ok());
  auto images = cubins(r);
  REQUIRE_FALSE(images.empty());
  const std::string& cubin = images.back()->payload;
  // Every byte of the section headers and .nv.info set to 0xff in turn (a cheap,
  // deterministic fuzz over the fields the parser reads), then truncations.
  for (std::size_t i = 0; i < cubin.size(); i += 7) {
    std::string bad = cubin;
    bad[i] = '\xff';
    auto k = parse_kernel_params(bad);
    if (k.ok()) {
      for (const auto& kernel : k.kernels)
        for (const auto& p : kernel.params) CHECK(p.offset + p.size <= kernel.param_bytes);
    }
  }
  for (std::size_t n = 0; n < cubin.size(); n += 13) (void)parse_kernel_params(cubin.substr(0, n));
  SUCCEED();
}

TEST_CASE("each __cudaFatBinaryWrapper points at a container, whose header gives its length") {
  std::string error;
  auto wrappers = read_wrappers(REMORA_CUDA_KERNELS_APP, error);
  REQUIRE(error == "");
  auto fat = read_fatbins(REMORA_CUDA_KERNELS_APP);
  REQUIRE(fat.ok());
  REQUIRE(wrappers.size() == fat.containers.size());
  std::ifstream in(REMORA_CUDA_KERNELS_APP, std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (std::size_t i = 0; i < wrappers.size(); ++i) {
    INFO("wrapper " << i);
    bool found = false;
    for (const auto& c : fat.containers)
      found = found || c.file_offset == wrappers[i].container_offset;
    CHECK(found);
    std::uint64_t length =
        container_length(std::string_view(file).substr(wrappers[i].container_offset));
    CHECK(length > 16);
    CHECK(wrappers[i].container_offset + length <= file.size());
  }
  CHECK(container_length("") == 0);
  CHECK(container_length(std::string(16, '\xff')) == 0);
}
