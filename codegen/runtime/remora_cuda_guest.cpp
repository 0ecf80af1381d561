// CUDA runtime module, guest side: the hidden registration API that nvcc's host stubs
// call (`__cudaRegisterFatBinary`, `__cudaRegisterFunction`, ...; declared in
// crt/host_runtime.h, in no public header, so no spec lists them) and kernel launches
// (`__cudaGetKernel` + `__cudaLaunchKernel` from `<<<>>>` in CUDA 13, and the public
// `cudaLaunchKernel`).
//
// Registration is local: the guest records each fat binary (its container bytes, in
// the program's read-only data, and their content hash) and, per host stub address,
// the device function's name. The first time a kernel is needed the guest asks the
// server for it by (hash, name), shipping the fat binary with the request the first
// time this connection names that hash; the server loads it with the real runtime
// (cudaLibraryLoadData) and answers a cudaKernel_t, or the error loading gave (with no
// driver or device: the same error a native program gets from its first launch).
//
// A launch's `args` is `void*[n]` with no size anywhere in the headers: the sizes come
// from the fat binary's cubin (`.nv.info` KPARAM records, support/cuda), else from the
// server's driver (cudaFuncGetParamInfo); with neither the launch is refused with a
// reason, never guessed. Host stubs passed to the spec's other calls as `func` travel
// as their kernels (guest_opaque_in). Design and limits: codegen/README.md,
// docs/cuda-fatbin.md.
#include <cuda_runtime_api.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "remora/cuda/fatbin.h"
#include "remora/cuda/kernel_params.h"
#include "remora_cuda_guest_common.h"
#include "remora_cuda_symbols.h"
#include "remora_cuda_wire.h"
#include "remora_guest.h"
#include "remora_module.h"

#define RM_CUDA_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

using remora::cuda_module::get_status;
using remora::cuda_module::kCallGetGlobal;
using remora::cuda_module::kCallGetKernel;
using remora::cuda_module::kCallLaunch;
using remora::cuda_module::kCallParamInfo;
using remora::cuda_module::Layout;
using remora::cuda_module::verbose;

// What a failed connection returns, as the generated stubs of this API do.
constexpr cudaError_t kNoServer = cudaErrorNotSupported;

struct FatBinary {
  const unsigned char* data = nullptr;  // the container, in the program's memory
  std::uint64_t size = 0;
  std::uint64_t hash = 0;
  bool parsed = false;
  std::map<std::string, Layout, std::less<>> layouts;  // mangled name -> layout
  std::string why_no_layout;                           // when the cubins give none
};

struct HostFunction {
  FatBinary* fatbin = nullptr;
  std::string device_name;
  bool resolved = false;
  cudaError_t status = cudaSuccess;
  std::uint64_t kernel = 0;
};

// A __device__/__constant__ variable: the program names it by the address of its host
// shadow (cudaMemcpyToSymbol(var, ...)); the server knows it by (fat binary, name).
struct DeviceVar {
  FatBinary* fatbin = nullptr;
  std::string name;
  std::uint64_t address = 0;  // on the device, once resolved
  std::uint64_t size = 0;
  bool resolved = false;
};

struct Registry {
  std::mutex mutex;
  std::vector<std::unique_ptr<FatBinary>> fatbins;
  std::map<const void*, HostFunction> functions;  // host stub address -> device function
  std::map<const void*, DeviceVar> vars;          // host shadow address -> device variable
  std::map<std::uint64_t, Layout> kernels;        // server kernel -> layout
  std::set<std::uint64_t> shipped;                // hashes the server has from this process
};

Registry& registry() {
  static Registry* r = new Registry;  // never destroyed: stubs run from atexit handlers
  return *r;
}

// Reads the parameter sizes of every kernel in the fat binary's uncompressed cubins.
void parse_layouts(FatBinary& fb) {
  if (fb.parsed) return;
  fb.parsed = true;
  std::string_view bytes(reinterpret_cast<const char*>(fb.data), static_cast<std::size_t>(fb.size));
  remora::cuda::FatbinParse parse = remora::cuda::parse_fatbin_containers(bytes);
  if (!parse.ok()) {
    fb.why_no_layout = "its fat binary could not be read: " + parse.error;
    return;
  }
  std::vector<std::string> skipped;
  auto cubins = remora::cuda::cubins(parse, &skipped);
  for (const auto* entry : cubins) {
    remora::cuda::KernelParse kp = remora::cuda::parse_kernel_params(entry->payload);
    if (!kp.ok()) {
      fb.why_no_layout = "its cubin's parameter records are inconsistent: " + kp.error;
      continue;
    }
    for (const auto& k : kp.kernels) {
      Layout l;
      l.known = true;
      for (const auto& p : k.params) l.sizes.push_back(p.size);
      fb.layouts.emplace(k.name, std::move(l));  // every cubin gives the same layout (the ABI's)
    }
  }
  if (cubins.empty())
    fb.why_no_layout = skipped.empty() ? "its fat binary holds no cubin (PTX only)"
                                       : "its cubins are compressed (" + skipped.front() + ")";
}

// (hash, the fat binary's bytes the first time this connection names it, name): the
// request get_kernel and get_global start with. True when the bytes go with it.
bool put_fatbin_request(Registry& r, const FatBinary& fb, const std::string& name, remora::Writer& w) {
  w.put_u64(fb.hash);
  const bool ship = !r.shipped.count(fb.hash);
  w.put_u8(ship);
  if (ship) {
    w.put_u64(fb.size);
    remora::put_buffer(w, fb.data, fb.size);
  }
  w.put_string(name.c_str());
  return ship;
}

// The server's kernel for a registered host stub (lock held).
cudaError_t resolve(Registry& r, HostFunction& hf) {
  if (hf.resolved) return hf.status;
  FatBinary& fb = *hf.fatbin;
  remora::guest::Call call(&remora::module::guest_api(),
                           remora::module::guest_first_call() + kCallGetKernel);
  if (!call.connected()) return kNoServer;
  const bool ship = put_fatbin_request(r, fb, hf.device_name, call.args());
  if (!call.run(false)) return kNoServer;
  cudaError_t status;
  std::uint64_t kernel = 0;
  if (!get_status(call, status)) return kNoServer;
  if (!call.reply().get_u64(kernel)) {
    call.bad_reply("kernel");
    return kNoServer;
  }
  r.shipped.insert(fb.hash);  // the server keeps it whether or not loading succeeded
  if (verbose())
    std::fprintf(stderr, "remora-cuda: %s: fat binary %016llx (%llu bytes)%s, status %d\n",
                 hf.device_name.c_str(), static_cast<unsigned long long>(fb.hash),
                 static_cast<unsigned long long>(fb.size),
                 ship ? " shipped" : " already on the server", static_cast<int>(status));
  hf.status = status;
  // A failure is not remembered: a later launch asks again, as the native runtime does.
  if (status != cudaSuccess) return status;
  hf.resolved = true;
  hf.kernel = kernel;
  parse_layouts(fb);
  auto it = fb.layouts.find(hf.device_name);
  Layout layout = it != fb.layouts.end() ? it->second : Layout{};
  if (verbose()) {
    if (layout.known) {
      std::string sizes;
      for (auto s : layout.sizes) sizes += (sizes.empty() ? "" : ", ") + std::to_string(s);
      std::fprintf(stderr, "remora-cuda: %s: %zu parameter(s) (%s bytes) from the cubin\n",
                   hf.device_name.c_str(), layout.sizes.size(), sizes.c_str());
    } else {
      std::fprintf(stderr, "remora-cuda: %s: no layout in the fat binary (%s); asking the server\n",
                   hf.device_name.c_str(), fb.why_no_layout.c_str());
    }
  }
  if (layout.known) r.kernels[kernel] = std::move(layout);
  return cudaSuccess;
}

// A kernel's layout: from its cubin (recorded at resolve), else from the server's driver.
cudaError_t layout_of(Registry& r, std::uint64_t kernel, const Layout*& out) {
  auto it = r.kernels.find(kernel);
  if (it != r.kernels.end()) {
    out = &it->second;
    return cudaSuccess;
  }
  remora::guest::Call call(&remora::module::guest_api(),
                           remora::module::guest_first_call() + kCallParamInfo);
  if (!call.connected()) return kNoServer;
  call.args().put_u64(kernel);
  if (!call.run(false)) return kNoServer;
  cudaError_t status;
  if (!get_status(call, status)) return kNoServer;
  if (status != cudaSuccess) return status;
  std::uint32_t n = 0;
  if (!call.reply().get_u32(n) || n > remora::cuda_module::kMaxParams) {
    call.bad_reply("parameter count");
    return kNoServer;
  }
  Layout l;
  l.known = true;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t s = 0;
    if (!call.reply().get_u32(s) || s > remora::cuda_module::kMaxParamBytes) {
      call.bad_reply("parameter size");
      return kNoServer;
    }
    l.sizes.push_back(s);
  }
  if (verbose())
    std::fprintf(stderr, "remora-cuda: kernel %#llx: %u parameter(s) from the server's driver\n",
                 static_cast<unsigned long long>(kernel), n);
  out = &(r.kernels[kernel] = std::move(l));
  return cudaSuccess;
}

cudaError_t launch(std::uint64_t kernel, dim3 grid, dim3 block, void** args, size_t shmem,
                   cudaStream_t stream, bool per_thread) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  const Layout* layout = nullptr;
  static const Layout kNone{true, {}, {}};
  if (kernel == 0) {
    layout = &kNone;  // the runtime rejects a NULL kernel before it reads any argument
  } else if (cudaError_t e = layout_of(r, kernel, layout); e != cudaSuccess) {
    return e;
  }
  if (!layout->sizes.empty() && !args) return cudaErrorInvalidValue;
  remora::guest::Call call(&remora::module::guest_api(),
                           remora::module::guest_first_call() + kCallLaunch);
  if (!call.connected()) return kNoServer;
  remora::Writer& w = call.args();
  w.put_u64(kernel);
  for (unsigned v : {grid.x, grid.y, grid.z, block.x, block.y, block.z}) w.put_u32(v);
  w.put_u64(shmem);
  w.put_u64(reinterpret_cast<std::uint64_t>(stream));
  w.put_u8(per_thread);
  w.put_u32(static_cast<std::uint32_t>(layout->sizes.size()));
  for (std::size_t i = 0; i < layout->sizes.size(); ++i) {
    w.put_u32(layout->sizes[i]);
    w.put_raw(args[i], layout->sizes[i]);
  }
  if (!call.run(false)) return kNoServer;
  cudaError_t status;
  if (!get_status(call, status)) return kNoServer;
  return status;
}

struct CallConfig {
  dim3 grid, block;
  size_t shmem;
  void* stream;
};
thread_local std::vector<CallConfig> t_configs;

}  // namespace

// Opaque pointer arguments of the spec's calls (cudaFuncGetAttributes(attr, func), the
// occupancy calls, cudaFuncSetAttribute, ...): a registered host stub travels as its
// kernel on the server, which the runtime accepts wherever it takes a device function.
// Anything else (device pointers, kernels, NULL) is passed through. When the lookup
// fails the stub's address goes as it is and the server's runtime reports it.
std::uint64_t remora::module::guest_opaque_in(std::uint64_t value) {
  if (value == 0) return 0;
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  auto it = r.functions.find(reinterpret_cast<const void*>(value));
  if (it == r.functions.end()) return value;
  remora::guest::InternalCall internal;  // an earlier async error stays for the program's call
  return resolve(r, it->second) == cudaSuccess ? it->second.kernel : value;
}

// ---- registration (no server call) ----

RM_CUDA_EXPORT void** __cudaRegisterFatBinary(void* fatCubin) {
  // A __cudaFatBinaryWrapper: {u32 magic, u32 version, const void* data, void* prelinked}.
  struct Wrapper {
    std::uint32_t magic, version;
    const unsigned char* data;
    void* prelinked;
  };
  auto fb = std::make_unique<FatBinary>();
  const auto* wrapper = static_cast<const Wrapper*>(fatCubin);
  if (wrapper && wrapper->magic == remora::cuda::kFatbinWrapperMagic && wrapper->data) {
    fb->data = wrapper->data;
    fb->size = remora::cuda::container_length(
        std::string_view(reinterpret_cast<const char*>(wrapper->data), 16));
  }
  if (fb->size == 0) {
    std::fprintf(
        stderr,
        "remora: __cudaRegisterFatBinary: not a fat binary wrapper nvcc writes; its kernels "
        "cannot be launched through this remoting stack\n");
    fb->data = nullptr;
  } else {
    fb->hash = remora::cuda_module::content_hash(fb->data, fb->size);
  }
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  r.fatbins.push_back(std::move(fb));
  return reinterpret_cast<void**>(r.fatbins.back().get());
}

RM_CUDA_EXPORT void __cudaRegisterFatBinaryEnd(void** fatCubinHandle) {
  (void)fatCubinHandle;
}

// Kept for the life of the process: the server unloads what a guest loaded when it goes.
RM_CUDA_EXPORT void __cudaUnregisterFatBinary(void** fatCubinHandle) {
  (void)fatCubinHandle;
}

RM_CUDA_EXPORT char __cudaInitModule(void** fatCubinHandle) {
  (void)fatCubinHandle;
  return 1;  // managed variables are not remoted (see the limits); nothing to initialise here
}

RM_CUDA_EXPORT void __cudaRegisterFunction(void** fatCubinHandle, const char* hostFun,
                                           char* deviceFun, const char* deviceName,
                                           int thread_limit, uint3* tid, uint3* bid, dim3* bDim,
                                           dim3* gDim, int* wSize) {
  (void)deviceName, (void)thread_limit, (void)tid, (void)bid, (void)bDim, (void)gDim, (void)wSize;
  auto* fb = reinterpret_cast<FatBinary*>(fatCubinHandle);
  if (!fb || !fb->data || !deviceFun) return;
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  HostFunction hf;
  hf.fatbin = fb;
  hf.device_name = deviceFun;  // the mangled name, as in the cubin's symbol table
  r.functions[hostFun] = std::move(hf);
}

// Device variables: the host shadow's address names the variable in the symbol API
// (cudaMemcpyToSymbol, ...: remora_cuda_symbols.cpp), resolved on the server by name.
RM_CUDA_EXPORT void __cudaRegisterVar(void** fatCubinHandle, char* hostVar, char* deviceAddress,
                                      const char* deviceName, int ext, size_t size, int constant,
                                      int global) {
  (void)ext, (void)size, (void)constant, (void)global;
  auto* fb = reinterpret_cast<FatBinary*>(fatCubinHandle);
  // nvcc passes the variable's name in the cubin as deviceAddress (and deviceName).
  const char* name = deviceAddress ? deviceAddress : deviceName;
  if (!fb || !fb->data || !name || !hostVar) return;
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  DeviceVar v;
  v.fatbin = fb;
  v.name = name;
  r.vars[hostVar] = std::move(v);
}

// The device address and size of the variable whose host shadow is at `symbol`
// (remora_cuda_symbols.h). cudaErrorInvalidSymbol for an address no registration
// names: it is never sent to the server.
cudaError_t remora::cuda_module::guest_device_var(const void* symbol, std::uint64_t& address,
                                                   std::uint64_t& size) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  auto it = symbol ? r.vars.find(symbol) : r.vars.end();
  if (it == r.vars.end()) return cudaErrorInvalidSymbol;
  DeviceVar& v = it->second;
  if (!v.resolved) {
    remora::guest::Call call(&remora::module::guest_api(),
                             remora::module::guest_first_call() + kCallGetGlobal);
    if (!call.connected()) return kNoServer;
    const bool ship = put_fatbin_request(r, *v.fatbin, v.name, call.args());
    if (!call.run(false)) return kNoServer;
    cudaError_t status;
    std::uint64_t a = 0, n = 0;
    if (!get_status(call, status)) return kNoServer;
    if (!call.reply().get_u64(a) || !call.reply().get_u64(n)) {
      call.bad_reply("device variable");
      return kNoServer;
    }
    r.shipped.insert(v.fatbin->hash);
    if (verbose())
      std::fprintf(stderr, "remora-cuda: %s: device variable, fat binary %016llx%s, status %d\n",
                   v.name.c_str(), static_cast<unsigned long long>(v.fatbin->hash),
                   ship ? " shipped" : " already on the server", static_cast<int>(status));
    // A failure is not remembered: the next use asks again, as the native runtime does.
    if (status != cudaSuccess) return status;
    v.resolved = true;
    v.address = a;
    v.size = n;
  }
  address = v.address;
  size = v.size;
  return cudaSuccess;
}

// ---- <<<grid, block, shmem, stream>>>: the configuration stays in the guest ----

RM_CUDA_EXPORT unsigned __cudaPushCallConfiguration(dim3 gridDim, dim3 blockDim, size_t sharedMem,
                                                    void* stream) {
  t_configs.push_back({gridDim, blockDim, sharedMem, stream});
  return 0;
}

RM_CUDA_EXPORT cudaError_t __cudaPopCallConfiguration(dim3* gridDim, dim3* blockDim,
                                                      size_t* sharedMem, void* stream) {
  if (t_configs.empty()) return cudaErrorMissingConfiguration;
  CallConfig c = t_configs.back();
  t_configs.pop_back();
  if (gridDim) *gridDim = c.grid;
  if (blockDim) *blockDim = c.block;
  if (sharedMem) *sharedMem = c.shmem;
  if (stream) *static_cast<void**>(stream) = c.stream;
  return cudaSuccess;
}

// ---- launches ----

RM_CUDA_EXPORT cudaError_t __cudaGetKernel(cudaKernel_t* kernel, const void* hostFun) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mutex);
  auto it = r.functions.find(hostFun);
  if (it == r.functions.end()) return cudaErrorInvalidDeviceFunction;
  cudaError_t e = resolve(r, it->second);
  if (e == cudaSuccess && kernel) *kernel = reinterpret_cast<cudaKernel_t>(it->second.kernel);
  return e;
}

RM_CUDA_EXPORT cudaError_t __cudaLaunchKernel(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim,
                                              void** args, size_t sharedMem, cudaStream_t stream) {
  return launch(reinterpret_cast<std::uint64_t>(kernel), gridDim, blockDim, args, sharedMem, stream,
                false);
}

RM_CUDA_EXPORT cudaError_t __cudaLaunchKernel_ptsz(cudaKernel_t kernel, dim3 gridDim, dim3 blockDim,
                                                   void** args, size_t sharedMem,
                                                   cudaStream_t stream) {
  return launch(reinterpret_cast<std::uint64_t>(kernel), gridDim, blockDim, args, sharedMem, stream,
                true);
}

// `func` is a registered host stub (nvcc's legacy launch, or a program's own call) or
// a cudaKernel_t the program got from the runtime (cudaLibraryGetKernel).
static cudaError_t launch_func(const void* func, dim3 gridDim, dim3 blockDim, void** args,
                               size_t sharedMem, cudaStream_t stream, bool per_thread) {
  std::uint64_t kernel = reinterpret_cast<std::uint64_t>(func);
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lk(r.mutex);
    auto it = r.functions.find(func);
    if (it != r.functions.end()) {
      if (cudaError_t e = resolve(r, it->second); e != cudaSuccess) return e;
      kernel = it->second.kernel;
    }
  }
  return launch(kernel, gridDim, blockDim, args, sharedMem, stream, per_thread);
}

// The header may rename it (per-thread default stream): export both spellings.
#undef cudaLaunchKernel
RM_CUDA_EXPORT cudaError_t cudaLaunchKernel(const void* func, dim3 gridDim, dim3 blockDim,
                                            void** args, size_t sharedMem, cudaStream_t stream) {
  return launch_func(func, gridDim, blockDim, args, sharedMem, stream, false);
}

RM_CUDA_EXPORT cudaError_t cudaLaunchKernel_ptsz(const void* func, dim3 gridDim, dim3 blockDim,
                                                 void** args, size_t sharedMem,
                                                 cudaStream_t stream) {
  return launch_func(func, gridDim, blockDim, args, sharedMem, stream, true);
}
