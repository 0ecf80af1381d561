// The runtime modules this build knows (see runtime_modules.h).
#include "runtime_modules.h"

namespace remora::codegen {

namespace {

// "libcudart.so.13" -> "libcudart"; "/x/libfoo.so" -> "libfoo".
std::string stem_of(const std::string& library) {
  std::string base = library.substr(
      library.find_last_of('/') == std::string::npos ? 0 : library.find_last_of('/') + 1);
  auto so = base.find(".so");
  return so == std::string::npos ? base : base.substr(0, so);
}

std::vector<RuntimeModule> make_modules() {
  std::vector<RuntimeModule> m;
  // CUDA runtime: programs built by nvcc (-cudart shared) register their device code
  // through hidden calls and launch kernels with argument arrays whose sizes only the
  // fat binary knows (codegen/README.md, "CUDA kernel launches").
  RuntimeModule cuda;
  cuda.id = "cuda";
  cuda.library_stem = "libcudart";
  cuda.what =
      "CUDA runtime module: nvcc's hidden registration API, fat binaries shipped once by hash, "
      "kernel launches sized from the cubin's .nv.info (else the server's cudaFuncGetParamInfo)";
  cuda.guest_sources = {"remora_cuda_guest.cpp",
                        "remora_cuda_host_memory.cpp",
                        "remora_cuda_symbols.cpp",
                        "remora_cuda_modules.cpp",
                        "support/src/cuda/fatbin.cpp",
                        "support/src/cuda/kernel_params.cpp",
                        "support/src/cuda/ptx_params.cpp",
                        "support/src/cuda/module_image.cpp",
                        "support/src/elf/elf_image.cpp"};
  cuda.server_sources = {"remora_cuda_server.cpp", "remora_cuda_driver_server.cpp"};
  cuda.include_dirs = {"support/include"};
  cuda.server_header = "remora_cuda_server.h";
  cuda.server_resolve = "remora::cuda_module::resolve";
  // Order = remora_cuda_wire.h's kCall* constants.
  cuda.calls = {{"__remora_cuda_get_kernel", "remora::cuda_module::srv_get_kernel"},
                {"__remora_cuda_launch", "remora::cuda_module::srv_launch"},
                {"__remora_cuda_param_info", "remora::cuda_module::srv_param_info"},
                {"__remora_cuda_get_global", "remora::cuda_module::srv_get_global"},
                {"__remora_cuda_driver_launch", "remora::cuda_module::srv_driver_launch"}};
  // cuLaunchKernel's kernelParams are sized from the module image's layout; a path of
  // the guest (cuModuleLoad, cuLibraryLoadFromFile) is read in the guest and sent as an
  // image (remora_cuda_modules.cpp).
  cuda.overrides = {"cudaLaunchKernel", "cuLaunchKernel", "cuModuleLoad", "cuLibraryLoadFromFile"};
  // The images' stubs travel by the spec (measured sizes); the module reads the layouts
  // of the kernels in the images it saw sent, and which function handle is which kernel.
  cuda.wraps = {"cuModuleLoadData",  "cuModuleLoadDataEx", "cuModuleLoadFatBinary", "cuLibraryLoadData",
                "cuModuleGetFunction", "cuLibraryGetKernel", "cuKernelGetFunction", "cuLibraryGetModule",
                // JIT options whose values are pointers or outputs are refused there.
                "cuLinkCreate", "cuLinkAddData"};
  // Page-locked host memory is the program's own memory, answered in the guest
  // (remora_cuda_host_memory.cpp): the server's pinned pages are not in the program's
  // address space, and copies from and to guest memory travel as pageable copies do.
  for (const char* f : {"cudaMallocHost", "cudaHostAlloc", "cudaFreeHost", "cudaHostRegister",
                        "cudaHostUnregister", "cudaHostGetFlags"})
    cuda.overrides.push_back(f);
  // Device variables are named by their host shadow's address, which only the program
  // has: translated in the guest to (fat binary, name), resolved on the server in the
  // library the kernels come from (remora_cuda_symbols.cpp).
  for (const char* f : {"cudaMemcpyToSymbol", "cudaMemcpyFromSymbol", "cudaMemcpyToSymbolAsync",
                        "cudaMemcpyFromSymbolAsync", "cudaGetSymbolAddress", "cudaGetSymbolSize"})
    cuda.overrides.push_back(f);
  cuda.exports = {"__cudaRegisterFatBinary",
                  "__cudaRegisterFatBinaryEnd",
                  "__cudaUnregisterFatBinary",
                  "__cudaInitModule",
                  "__cudaRegisterFunction",
                  "__cudaRegisterVar",
                  "__cudaPushCallConfiguration",
                  "__cudaPopCallConfiguration",
                  "__cudaGetKernel",
                  "__cudaLaunchKernel",
                  "__cudaLaunchKernel_ptsz",
                  "cudaLaunchKernel_ptsz"};
  // Each hands out function pointers of the server's process (the driver's entry points
  // and private export tables): the program would call into memory it does not have.
  const std::string entry =
      "returns function pointers of the server's process, which the program cannot call";
  // cudaFuncGetAttributes(attr, func), the occupancy calls, cudaFuncSetAttribute...: the
  // program passes its host stub where the runtime takes "a device function".
  cuda.translates_opaque = true;
  cuda.refuses = {{"cudaGetDriverEntryPoint", entry},
                  {"cudaGetDriverEntryPointByVersion", entry},
                  {"cuGetProcAddress", entry},
                  {"cuGetExportTable", entry},
                  // A path names a file of the guest, which the server must not open (the
                  // module reads cuModuleLoad's and cuLibraryLoadFromFile's itself).
                  {"cuLinkAddFile", "its path names a file of the guest, which the server cannot read"},
                  {"cuLinkComplete", "cubinOut points into the server's memory (the linked image), "
                                     "which the program cannot read"},
                  // CUlaunchConfig's attributes may hold handles in a union, and the launch's
                  // kernelParams would need the module's layouts: not remoted yet.
                  {"cuLaunchKernelEx", "config's attributes hold handles in a union and kernelParams needs "
                                       "the kernel's layout: not remoted (cuLaunchKernel is)"}};
  // Memory the program would touch directly but that only the server's process has
  // (docs/cuda-walkthrough.md, "Memory the program touches"): the program would get an
  // address that is not in its address space, or the server would be handed a guest
  // address to pin or map.
  const std::string managed =
      "managed memory lives in the server's process: the program on the guest cannot touch it (no coherence "
      "across the link is attempted)";
  const std::string mapped =
      "mapped pinned memory is host memory the device reads in place: the guest's pinned memory is its own, "
      "which the server's device cannot reach";
  const std::string driver_pinned =
      "the driver's page-locked host memory would be the server's (cudaMallocHost/cudaHostAlloc are answered "
      "in the guest; the driver's calls are not)";
  const std::string symbol =
      "a device variable is named by the program's host address of it (__cudaRegisterVar), which graph "
      "nodes do not translate (the module translates it for cudaMemcpyToSymbol and the like): the server "
      "would be handed a guest address";
  for (const char* f : {"cudaMallocManaged", "cuMemAllocManaged", "cudaLibraryGetManaged", "cuLibraryGetManaged"})
    cuda.refuses.emplace_back(f, managed);
  for (const char* f : {"cudaHostGetDevicePointer", "cuMemHostGetDevicePointer"}) cuda.refuses.emplace_back(f, mapped);
  for (const char* f : {"cuMemAllocHost", "cuMemHostAlloc", "cuMemFreeHost", "cuMemHostRegister",
                        "cuMemHostUnregister", "cuMemHostGetFlags"})
    cuda.refuses.emplace_back(f, driver_pinned);
  for (const char* f : {"cudaGraphAddMemcpyNodeToSymbol", "cudaGraphAddMemcpyNodeFromSymbol",
                        "cudaGraphMemcpyNodeSetParamsToSymbol", "cudaGraphMemcpyNodeSetParamsFromSymbol",
                        "cudaGraphExecMemcpyNodeSetParamsToSymbol", "cudaGraphExecMemcpyNodeSetParamsFromSymbol"})
    cuda.refuses.emplace_back(f, symbol);
  // cuBLAS in device pointer mode reads alpha/beta (and writes a reduction's result)
  // through device pointers, which the spec's host-number annotations would get
  // wrong: the program is told at the switch, not by wrong results later.
  cuda.refuses_when.push_back({"cublasSetPointerMode", "mode != CUBLAS_POINTER_MODE_HOST",
                               "device pointer mode makes alpha, beta and results device pointers, which this "
                               "stack sends as host numbers"});
  m.push_back(std::move(cuda));
  return m;
}

}  // namespace

const std::vector<RuntimeModule>& runtime_modules() {
  static const std::vector<RuntimeModule> modules = make_modules();
  return modules;
}

const RuntimeModule* runtime_module_for(const spec::Spec& spec) {
  std::vector<std::string> names = spec.api.sonames;
  names.push_back(spec.api.library);
  for (const auto& m : runtime_modules())
    for (const auto& n : names)
      if (!n.empty() && stem_of(n) == m.library_stem) return &m;
  return nullptr;
}

}  // namespace remora::codegen
