// The real CUDA runtime header (C++-compatible, Doxygen-documented).
#include <catch2/catch.hpp>

#include <filesystem>

#include "test_support.h"

using namespace remora::spec;

TEST_CASE("cuda_runtime_api.h: functions, Doxygen evidence, cudaMalloc", "[cuda]") {
  if (!std::filesystem::exists(remora::test::kCudaRuntimeHeader)) {
    WARN("skipped: /usr/local/cuda is absent (no CUDA toolkit headers installed)");
    return;
  }
  remora::inference::InferOptions o;
  o.header = remora::test::kCudaRuntimeHeader;
  o.library = "libcudart.so.12";
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  CHECK(result.spec.functions.size() >= 250);

  std::size_t with_docs = 0;
  for (const auto& f : result.spec.functions)
    for (const auto& p : f.params)
      for (const auto& e : p.evidence)
        if (e.source == EvidenceSource::Docs) ++with_docs;
  CHECK(with_docs > 200);

  const Function* malloc_fn = result.spec.find_function("cudaMalloc");
  REQUIRE(malloc_fn);
  CHECK_FALSE(malloc_fn->doc.empty());
  const Param* dev = malloc_fn->find_param("devPtr");
  REQUIRE(dev);
  CHECK(dev->ann.direction == Direction::Out);
  CHECK(dev->ann.kind == Kind::Element);
  bool quoted = false;
  for (const auto& e : dev->evidence)
    quoted = quoted || (e.source == EvidenceSource::Docs && e.why.find("allocated device memory") != std::string::npos);
  CHECK(quoted);

  const Type* error = result.spec.find_type("cudaError_t");
  REQUIRE(error);
  CHECK(error->kind == TypeKind::Status);
  CHECK(error->success == "cudaSuccess");
  const Type* stream = result.spec.find_type("cudaStream_t");
  REQUIRE(stream);
  CHECK(stream->kind == TypeKind::Handle);
  CHECK(result.spec.find_function("cudaDeviceSynchronize")->barrier);
}
