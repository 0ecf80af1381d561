// The real CUDA runtime header (C++-compatible, Doxygen-documented).
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "remora/spec/json_io.h"
#include "remora/spec/size_expr.h"
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
  auto issues = remora::spec::validate_spec(result.spec);
  for (const auto& issue : issues) UNSCOPED_INFO(remora::spec::format_issue(issue));
  CHECK(issues.empty());

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

  const Function* memcpy_fn = result.spec.find_function("cudaMemcpy");
  REQUIRE(memcpy_fn);
  CHECK(memcpy_fn->find_param("dst")->when.size() >= 4);

  const Type* error = result.spec.find_type("cudaError_t");
  REQUIRE(error);
  CHECK(error->kind == TypeKind::Status);
  CHECK(error->success == "cudaSuccess");
  CHECK(error->error == "cudaErrorNotSupported");
  const Type* stream = result.spec.find_type("cudaStream_t");
  REQUIRE(stream);
  CHECK(stream->kind == TypeKind::Handle);
  CHECK(result.spec.find_function("cudaDeviceSynchronize")->barrier);
}

TEST_CASE("a header's neighbours lend types but not functions", "[cuda]") {
  const std::string nccl = "/usr/local/cuda/include/nccl.h";
  if (!std::filesystem::exists(nccl)) {
    WARN("skipped: " << nccl << " is absent");
    return;
  }
  remora::inference::InferOptions o;
  o.header = nccl;
  o.include_dirs = {"/usr/local/cuda/include"};  // nccl.h includes <cuda_runtime.h>
  o.library = "libnccl.so.2";
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  REQUIRE_FALSE(result.spec.functions.empty());
  for (const auto& f : result.spec.functions) {
    bool own = f.name.rfind("nccl", 0) == 0 || f.name.rfind("pnccl", 0) == 0;
    CHECK(own);
  }
  // cudaStream_t comes from a neighbour and is still known as a handle.
  const Type* stream = result.spec.find_type("cudaStream_t");
  REQUIRE(stream);
  CHECK(stream->kind == TypeKind::Handle);
}

TEST_CASE("runtime, driver and cuBLAS: one spec, each function in the library that exports it",
          "[cuda][library]") {
  const std::string inc = "/usr/local/cuda/include";
  if (!std::filesystem::exists(inc + "/cublas_v2.h") ||
      !std::filesystem::exists(remora::test::kCudaRuntimeHeader)) {
    WARN("skipped: the CUDA toolkit's headers (with cuBLAS) are absent");
    return;
  }
  remora::inference::InferOptions o;
  o.header = remora::test::kCudaRuntimeHeader;
  o.extra_headers = {inc + "/cuda.h", inc + "/cublas_v2.h"};
  o.include_dirs = {inc};
  o.filter.globs = {"cublas_api.h"};  // cublas_v2.h declares through it
  // libcuda.so.1 is found as the toolkit's stubs/libcuda.so (its DT_SONAME).
  o.library = "libcudart.so.13";
  o.extra_libraries = {"libcuda.so.1", "libcublas.so.13"};
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  std::map<std::string, int> by_library;
  for (const auto& f : result.spec.functions) ++by_library[result.spec.library_of(f)];
  for (const auto& [lib, n] : by_library) UNSCOPED_INFO(lib << ": " << n);
  const Function* malloc_fn = result.spec.find_function("cudaMalloc");
  const Function* init = result.spec.find_function("cuInit");
  const Function* create = result.spec.find_function("cublasCreate");
  const Function* gemm = result.spec.find_function("cublasSgemm");
  REQUIRE((malloc_fn && init && create && gemm));
  CHECK(result.spec.library_of(*malloc_fn) == "libcudart.so.13");
  if (std::filesystem::exists("/usr/local/cuda/lib64/stubs/libcuda.so"))
    CHECK(init->library == "libcuda.so.1");
  CHECK(create->library == "libcublas.so.13");
  CHECK(create->exported_symbol() == "cublasCreate_v2");  // #define cublasCreate cublasCreate_v2
  CHECK(gemm->library == "libcublas.so.13");
  CHECK(by_library["libcublas.so.13"] > 300);
  // cuBLAS as inferred: the handle is a handle, matrices device memory (passed as
  // addresses), alpha/beta scalars read through host pointers (pointer mode host).
  const Param* handle = create->find_param("handle");
  REQUIRE(handle);
  CHECK(handle->ann.direction == Direction::Out);
  CHECK(handle->ann.allocates);
  for (const char* matrix : {"A", "B", "C"})
    CHECK(gemm->find_param(matrix)->ann.kind == Kind::Opaque);
  for (const char* scalar : {"alpha", "beta"}) {
    const Param* p = gemm->find_param(scalar);
    CHECK(p->ann.direction == Direction::In);
    CHECK(p->ann.kind == Kind::Element);
  }
}

TEST_CASE("images documented by a self-describing format are measured, whatever the API", "[measured]") {
  remora::inference::InferOptions o;
  o.header = remora::test::headers_dir() + "image_formats.h";
  o.library = "libldr.so.1";
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  const Param* blob = result.spec.find_function("ldr_load")->find_param("blob");
  CHECK(blob->ann.kind == Kind::Buffer);
  CHECK(blob->ann.direction == Direction::In);
  CHECK(normalize_size_expr_text(blob->ann.size) == normalize_size_expr_text("measured(blob, elf)"));
  CHECK(normalize_size_expr_text(result.spec.find_function("ldr_compile")->find_param("source")->ann.size) ==
        normalize_size_expr_text("measured(source, text)"));
  // A size argument wins over a format the docs mention; no format named, no measurement.
  CHECK(result.spec.find_function("ldr_hash")->find_param("data")->ann.size == "size");
  CHECK(result.spec.find_function("ldr_set")->find_param("value")->ann.size.find("measured") == std::string::npos);
}

TEST_CASE("cuda.h: module images are measured by their format (fat binary, cubin, PTX)", "[cuda][measured]") {
  const std::string header = "/usr/local/cuda/include/cuda.h";
  if (!std::filesystem::exists(header)) {
    WARN("skipped: the CUDA toolkit's driver header is absent");
    return;
  }
  remora::inference::InferOptions o;
  o.header = header;
  o.library = "libcuda.so.1";
  auto result = remora::inference::infer_spec(o);
  REQUIRE(result.ok);
  auto size_of = [&](const char* fn, const char* param) {
    const Function* f = result.spec.find_function(fn);
    REQUIRE(f);
    const Param* p = f->find_param(param);
    REQUIRE(p);
    CHECK(p->ann.direction == Direction::In);
    return normalize_size_expr_text(p->ann.size);
  };
  auto n = [](const char* size) { return normalize_size_expr_text(size); };
  CHECK(size_of("cuModuleLoadData", "image") == n("measured(image, fatbin, elf, text)"));
  CHECK(size_of("cuModuleLoadDataEx", "image") == n("measured(image, fatbin, elf, text)"));
  CHECK(size_of("cuModuleLoadFatBinary", "fatCubin") == n("measured(fatCubin, fatbin)"));
  CHECK(size_of("cuLibraryLoadData", "code") == n("measured(code, fatbin, elf, text)"));
  // Host memory of a copy keeps its byte count.
  CHECK(size_of("cuMemcpyHtoD", "srcHost") == n("ByteCount"));
}
