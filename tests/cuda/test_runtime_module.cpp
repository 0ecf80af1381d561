// The generator's runtime modules: chosen by the spec's library alone, the functions a
// module implements or refuses, its wire calls after the spec's, its sources and
// exports in the generated project. (The module's behaviour with real programs is the
// cuda.remoted.* CTests.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plan.h"
#include "remora/codegen/generate.h"
#include "remora_libraries.h"
#include "spec_builders.h"

using namespace remora;
using remora::spec::Direction;
using remora::spec::Kind;

namespace {

// As inferred for a `void **` output such as cudaGetDriverEntryPoint's funcPtr: an out
// element, each opaque (a pointer value the program gets back).
spec::Param out_pointer(const std::string& name) {
  spec::Param p = param(name, "void **", Kind::Element, Direction::Out);
  spec::Annotation each;
  each.kind = Kind::Opaque;
  each.direction = Direction::Out;
  p.ann.element = spec::Box<spec::Annotation>(each);
  return p;
}

spec::Spec mini_cuda(const std::string& library) {
  spec::Spec s;
  s.api.name = "MiniCuda";
  s.api.headers = {"cuda_runtime_api.h"};
  s.api.include_dirs = {"/usr/local/cuda/include"};
  s.api.library = library;
  s.types.push_back(status_type("cudaError_t", "cudaSuccess", "cudaErrorNotSupported"));
  // As inferred from the header: `args` has no size, so the generic plan cannot remote it.
  s.functions.push_back(function(
      "cudaLaunchKernel", "cudaError_t",
      {param("func", "const void *", Kind::Opaque), param("gridDim", "dim3", Kind::Value),
       param("blockDim", "dim3", Kind::Value),
       param("args", "void **", Kind::Buffer, Direction::In),
       param("sharedMem", "size_t", Kind::Value), param("stream", "cudaStream_t", Kind::Value)}));
  s.functions.push_back(function(
      "cudaFuncSetCacheConfig", "cudaError_t",
      {param("func", "const void *", Kind::Opaque), param("cacheConfig", "int", Kind::Value)}));
  s.functions.push_back(function("cudaGetDeviceCount", "cudaError_t",
                                 {param("count", "int *", Kind::Element, Direction::Out)}));
  s.functions.push_back(
      function("cudaGetDriverEntryPoint", "cudaError_t",
               {param("symbol", "const char *", Kind::String), out_pointer("funcPtr"),
                param("flags", "unsigned long long", Kind::Value)}));
  return s;
}

const codegen::FunctionPlan& find(const codegen::StackPlan& p, const std::string& name) {
  for (const auto& f : p.functions)
    if (f.fn->name == name) return f;
  FAIL("no plan for " << name);
  return p.functions.front();
}

// The spec's stack, generated into a fresh temporary folder `name` (removed again with
// this). No real library: no symbol versions, the checks are on the sources.
struct GeneratedStack {
  GeneratedStack(const spec::Spec& s, const std::string& name)
      : dir(std::filesystem::temp_directory_path() / name) {
    std::filesystem::remove_all(dir);
    codegen::GenerateOptions opt;
    opt.out_dir = dir.string();
    opt.real_library = "/nonexistent";
    std::string error;
    bool ok = codegen::generate_stack(s, opt, report, error);
    INFO(error);
    REQUIRE(ok);
  }
  ~GeneratedStack() { std::filesystem::remove_all(dir); }
  // The text of a generated file.
  std::string read(const std::string& file) const {
    std::ifstream in(dir / file);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::filesystem::path dir;
  codegen::GenerateReport report;
};

}  // namespace

TEST_CASE("the CUDA runtime module is chosen by the library and owns cudaLaunchKernel",
          "[cuda-module]") {
  spec::Spec s = mini_cuda("libcudart.so.13");
  codegen::StackPlan plan = codegen::make_plan(s);
  REQUIRE(plan.module != nullptr);
  CHECK(plan.module->id == "cuda");
  const auto& launch = find(plan, "cudaLaunchKernel");
  CHECK(launch.module_owned);
  CHECK(launch.supported);
  CHECK_FALSE(find(plan, "cudaGetDeviceCount").module_owned);
  // Handing out the server's function pointers would be a silent wrong answer.
  const auto& entry = find(plan, "cudaGetDriverEntryPoint");
  CHECK_FALSE(entry.supported);
  CHECK(entry.reason.find("function pointers of the server") != std::string::npos);
}

TEST_CASE("memory the program would touch is the guest's own or refused with a reason",
          "[cuda-module][memory]") {
  spec::Spec s = mini_cuda("libcudart.so.13");
  s.types.push_back(
      status_type("cublasStatus_t", "CUBLAS_STATUS_SUCCESS", "CUBLAS_STATUS_NOT_SUPPORTED"));
  // As inferred: each hands the program a pointer value from the server's process.
  s.functions.push_back(function("cudaMallocHost", "cudaError_t",
                                 {out_pointer("ptr"), param("size", "size_t", Kind::Value)}));
  s.functions.push_back(function("cudaMallocManaged", "cudaError_t",
                                 {out_pointer("devPtr"), param("size", "size_t", Kind::Value),
                                  param("flags", "unsigned int", Kind::Value)}));
  s.functions.push_back(
      function("cudaMemcpyToSymbol", "cudaError_t",
               {param("symbol", "const void *", Kind::Opaque),
                param("src", "const void *", Kind::Opaque), param("count", "size_t", Kind::Value),
                param("offset", "size_t", Kind::Value), param("kind", "int", Kind::Value)}));
  s.functions.push_back(function("cublasSetPointerMode", "cublasStatus_t",
                                 {param("handle", "cublasHandle_t", Kind::Value),
                                  param("mode", "cublasPointerMode_t", Kind::Value)}));
  codegen::StackPlan plan = codegen::make_plan(s);
  // Pinned memory is answered in the guest (remora_cuda_host_memory.cpp).
  CHECK(find(plan, "cudaMallocHost").module_owned);
  const auto& managed = find(plan, "cudaMallocManaged");
  CHECK_FALSE(managed.supported);
  CHECK(managed.reason.find("managed memory lives in the server's process") != std::string::npos);
  // A device variable's host address is translated by the module, never sent.
  const auto& symbol = find(plan, "cudaMemcpyToSymbol");
  CHECK(symbol.module_owned);
  CHECK(symbol.supported);
  // cuBLAS's pointer mode is refused only for the device mode, in the guest.
  const auto& mode = find(plan, "cublasSetPointerMode");
  CHECK(mode.supported);
  REQUIRE(mode.refused_when.size() == 1);
  CHECK(mode.refused_when[0].first == "mode != CUBLAS_POINTER_MODE_HOST");

  GeneratedStack g(s, "remora-cuda-memory-test");
  std::string guest = g.read("guest/guest.cpp");
  CHECK(guest.find("cudaMallocHost: implemented by the cuda runtime module") != std::string::npos);
  CHECK(guest.find("if (mode != CUBLAS_POINTER_MODE_HOST) {") != std::string::npos);
  // The server refuses it too (a guest may send it anyway).
  CHECK(g.read("server/server.cpp")
            .find("if (mode != CUBLAS_POINTER_MODE_HOST) return rm.fail(\"%s: refused when %s\"") !=
        std::string::npos);
  CHECK(guest.find("cudaMemcpyToSymbol: implemented by the cuda runtime module") != std::string::npos);
  CHECK(guest.find("\"__remora_cuda_get_global\"") != std::string::npos);
  CHECK(g.read("CMakeLists.txt").find("runtime/remora_cuda_symbols.cpp") != std::string::npos);
  CHECK(g.read("CMakeLists.txt").find("runtime/remora_cuda_host_memory.cpp") != std::string::npos);
}

TEST_CASE("without libcudart there is no module and the spec alone decides", "[cuda-module]") {
  spec::Spec s = mini_cuda("libOpenCL.so.1");
  codegen::StackPlan plan = codegen::make_plan(s);
  CHECK(plan.module == nullptr);
  const auto& launch = find(plan, "cudaLaunchKernel");
  CHECK_FALSE(launch.module_owned);
  CHECK_FALSE(launch.supported);  // no size for args
  CHECK(find(plan, "cudaGetDriverEntryPoint").supported);
  // The module's wire calls are part of the fingerprint: the two stacks refuse each other.
  CHECK(codegen::make_plan(mini_cuda("libcudart.so.13")).fingerprint != plan.fingerprint);
}

TEST_CASE("the generated project compiles the module and exports nvcc's hidden API",
          "[cuda-module]") {
  spec::Spec s = mini_cuda("libcudart.so");
  GeneratedStack g(s, "remora-cuda-module-test");
  std::string cmake = g.read("CMakeLists.txt");
  CHECK(cmake.find("runtime/remora_cuda_guest.cpp") != std::string::npos);
  CHECK(cmake.find("runtime/remora_cuda_server.cpp") != std::string::npos);
  CHECK(std::filesystem::exists(g.dir / "runtime/support/src/cuda/kernel_params.cpp"));
  CHECK(std::filesystem::exists(g.dir / "runtime/support/include/remora/cuda/fatbin.h"));
  std::string guest = g.read("guest/guest.cpp");
  // No generated stub for the module's function; its calls follow the spec's (4 functions).
  CHECK(guest.find("cudaLaunchKernel: implemented by the cuda runtime module") !=
        std::string::npos);
  CHECK(guest.find("guest_first_call() { return 4; }") != std::string::npos);
  CHECK(guest.find("\"__remora_cuda_launch\"") != std::string::npos);
  // A host stub passed as `func` travels as the server's kernel.
  CHECK(guest.find("rm_opaque_func = remora::module::guest_opaque_in(remora::to_u64(func))") !=
        std::string::npos);
  CHECK(guest.find("rm_w.put_u64(rm_opaque_func);") != std::string::npos);
  std::string server = g.read("server/server.cpp");
  CHECK(server.find("remora::cuda_module::srv_launch") != std::string::npos);
  CHECK(server.find("srv_cudaLaunchKernel") == std::string::npos);
  CHECK(g.report.unsupported.size() == 1);  // cudaGetDriverEntryPoint, with its reason
}

TEST_CASE(
    "a spec over several libraries: each function resolved in its own, the guest under every "
    "soname",
    "[cuda-module][libraries]") {
  spec::Spec s = mini_cuda("libcudart.so.13");
  s.api.sonames = {"libcudart.so.13", "libcudart.so"};
  s.functions.push_back(
      function("cuInit", "cudaError_t", {param("flags", "unsigned int", Kind::Value)}));
  s.functions.back().library = "libcuda.so.1";
  CHECK(s.libraries() == std::vector<std::string>{"libcudart.so.13", "libcuda.so.1"});
  GeneratedStack g(s, "remora-cuda-libraries-test");
  CHECK(g.report.guest_library == "libcudart.so.13");
  REQUIRE(g.report.by_library.size() == 2);
  CHECK(g.report.by_library[1].soname == "libcuda.so.1");
  CHECK(g.report.by_library[1].supported == 1);
  // One guest file; the driver's soname is a link to it (one connection for both).
  std::string cmake = g.read("CMakeLists.txt");
  CHECK(cmake.find("create_symlink libcudart.so.13 ${CMAKE_BINARY_DIR}/guest/libcuda.so.1") !=
        std::string::npos);
  std::string server = g.read("server/server.cpp");
  CHECK(server.find("\"libcudart.so.13\",\n    \"libcuda.so.1\",") != std::string::npos);
  CHECK(server.find("rm_symbol(libraries[1], \"cuInit\")") != std::string::npos);
  CHECK(server.find("rm_symbol(libraries[0], \"cudaGetDeviceCount\")") != std::string::npos);
  CHECK(server.find("remora::cuda_module::resolve(libraries[0], missing)") != std::string::npos);
}

TEST_CASE("the server tells its --lib arguments apart by soname, file name or stem",
          "[libraries]") {
  const char* const sonames[] = {"libcudart.so.13", "libcuda.so.1", "libcublas.so.13"};
  std::vector<std::string> paths;
  CHECK(server::assign_libraries(
            {"/x/libcudart.so.13", "libcuda.so.1=/t/stubs/libcuda.so", "/x/libcublas.so"}, sonames,
            3, paths) == "");
  CHECK(paths ==
        std::vector<std::string>{"/x/libcudart.so.13", "/t/stubs/libcuda.so", "/x/libcublas.so"});
  // The stem alone: a stub libcuda.so is libcuda.so.1.
  CHECK(server::assign_libraries({"/t/stubs/libcuda.so"}, sonames, 3, paths) == "");
  CHECK(paths[1] == "/t/stubs/libcuda.so");
  CHECK(paths[0].empty());
  // One --lib of another name serves a one-library spec (libpocl.so for libOpenCL.so.1).
  const char* const one[] = {"libOpenCL.so.1"};
  CHECK(server::assign_libraries({"/usr/lib/libpocl.so.2"}, one, 1, paths) == "");
  CHECK(paths[0] == "/usr/lib/libpocl.so.2");
  // Among several, a file that is none of them is refused with the list; so is a repeat.
  std::string why =
      server::assign_libraries({"/x/libcudart.so.13", "/x/libfoo.so"}, sonames, 3, paths);
  CHECK(why.find("libcudart.so.13, libcuda.so.1, libcublas.so.13") != std::string::npos);
  CHECK(server::assign_libraries({"/a/libcudart.so.13", "/b/libcudart.so.13"}, sonames, 3, paths)
            .find("already") != std::string::npos);
  CHECK_FALSE(server::assign_libraries({"libcuda.so.1="}, sonames, 3, paths).empty());
  // A path holding '=' is a path.
  CHECK(server::parse_library_arg("/opt/a=b/libcuda.so").path == "/opt/a=b/libcuda.so");
}

TEST_CASE("driver-API images travel measured, wrapped by the module; cuLaunchKernel is the module's",
          "[cuda-module][measured]") {
  spec::Spec s = mini_cuda("libcudart.so.13");
  s.api.headers = {"cuda.h"};
  s.types.push_back(status_type("CUresult", "CUDA_SUCCESS", "CUDA_ERROR_NOT_SUPPORTED"));
  spec::Type module_type;
  module_type.name = "CUmodule";
  module_type.kind = spec::TypeKind::Handle;
  s.types.push_back(module_type);
  // As inferred from cuda.h's Doxygen (tests/inference/test_cuda_header.cpp).
  s.functions.push_back(function(
      "cuModuleLoadData", "CUresult",
      {param("module", "CUmodule *", Kind::Element, Direction::Out),
       param("image", "const void *", Kind::Buffer, Direction::In, "measured(image, fatbin, elf, text)")}));
  s.functions.back().params[1].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(function("cuLaunchKernel", "CUresult",
                                 {param("f", "CUfunction", Kind::Value),
                                  param("kernelParams", "void **", Kind::Buffer, Direction::In),
                                  param("extra", "void **", Kind::Buffer, Direction::In)}));
  codegen::StackPlan plan = codegen::make_plan(s);
  const auto& load = find(plan, "cuModuleLoadData");
  INFO(load.reason);
  CHECK(load.supported);
  CHECK(load.module_wrapped);
  CHECK_FALSE(load.module_owned);
  CHECK(find(plan, "cuLaunchKernel").module_owned);
  // measured() only sizes an input, the parameter itself.
  spec::Spec bad = s;
  bad.functions.back() = function(
      "cuModuleLoadFatBinary", "CUresult",
      {param("module", "CUmodule *", Kind::Element, Direction::Out),
       param("fatCubin", "void *", Kind::Buffer, Direction::Out, "measured(fatCubin, fatbin)")});
  const auto& out = find(codegen::make_plan(bad), "cuModuleLoadFatBinary");
  CHECK_FALSE(out.supported);
  CHECK(out.reason.find("measured(), which only sizes input images") != std::string::npos);

  GeneratedStack g(s, "remora-cuda-images-test");
  std::string guest = g.read("guest/guest.cpp");
  // The stub under its hidden name; the image measured in the guest, bounded by what is readable.
  CHECK(guest.find("(remora_wrapped_cuModuleLoadData)(") != std::string::npos);
  CHECK(guest.find("REMORA_EXPORT CUresult (cuModuleLoadData)") == std::string::npos);
  CHECK(guest.find("remora::measured_in_guest(image, remora::guest::readable_bytes(image), "
                   "remora::max_message_bytes(), \"fatbin,elf,text\", \"image\")") != std::string::npos);
  CHECK(guest.find("\"__remora_cuda_driver_launch\"") != std::string::npos);
  std::string server = g.read("server/server.cpp");
  // The server measures what arrived again; the module finds the driver's cuLaunchKernel.
  CHECK(server.find("remora::measured_on_server(image, rm_n_image * 1, \"fatbin,elf,text\", \"image\")") !=
        std::string::npos);
  CHECK(server.find("remora::cuda_module::srv_driver_launch") != std::string::npos);
  CHECK(server.find("void* remora::module::server_symbol(const char* name)") != std::string::npos);
  std::string cmake = g.read("CMakeLists.txt");
  CHECK(cmake.find("runtime/remora_cuda_modules.cpp") != std::string::npos);
  CHECK(cmake.find("runtime/remora_cuda_driver_server.cpp") != std::string::npos);
  CHECK(std::filesystem::exists(g.dir / "runtime/remora_image_size.h"));
  // Every runtime header is copied (the module's guest files share one).
  CHECK(std::filesystem::exists(g.dir / "runtime/remora_cuda_guest_common.h"));
  CHECK(std::filesystem::exists(g.dir / "runtime/support/src/cuda/ptx_params.cpp"));
}
