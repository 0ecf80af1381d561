// CUDA runtime module, server side (wire calls in remora_cuda_wire.h). The worker
// loads each fat binary a guest ships with the real runtime it serves
// (cudaLibraryLoadData on the container nvcc embedded), maps device function names to
// cudaKernel_t (cudaLibraryGetKernel), and launches with cudaLaunchKernel on a
// `void*[n]` rebuilt over the bytes the guest sent. Every failure of the runtime is
// answered as the status the native program would have seen; a malformed request is
// rejected like any other.
#include "remora_cuda_server.h"

#include <cuda_runtime_api.h>
#include <dlfcn.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "remora_cuda_wire.h"
#include "remora_module.h"
#include "remora_server.h"

namespace remora::cuda_module {
namespace {

using LibraryLoadData = cudaError_t (*)(cudaLibrary_t*, const void*, cudaJitOption*, void**,
                                        unsigned int, cudaLibraryOption*, void**, unsigned int);
using LibraryGetKernel = cudaError_t (*)(cudaKernel_t*, cudaLibrary_t, const char*);
using LaunchKernel = cudaError_t (*)(const void*, dim3, dim3, void**, size_t, cudaStream_t);
using FuncGetParamInfo = cudaError_t (*)(const void*, size_t, size_t*, size_t*);
using LibraryGetGlobal = cudaError_t (*)(void**, size_t*, cudaLibrary_t, const char*);

struct Real {
  LibraryLoadData library_load_data = nullptr;
  LibraryGetKernel library_get_kernel = nullptr;
  LaunchKernel launch_kernel = nullptr;
  LaunchKernel launch_kernel_ptsz = nullptr;
  FuncGetParamInfo func_get_param_info = nullptr;
  LibraryGetGlobal library_get_global = nullptr;
} real;

struct Loaded {
  std::vector<unsigned char> bytes;  // the container, kept while the worker lives
  bool loaded = false;
  cudaLibrary_t library = nullptr;
};
std::map<std::uint64_t, Loaded> g_fatbins;  // content hash -> fat binary (one worker = one guest)

bool get_status_reply(remora::Writer& out, cudaError_t e) {
  out.put_value(static_cast<std::int32_t>(e));
  return true;
}

// The special stream values (default, legacy, per-thread) are not objects; any other is
// one of this guest's handle ids, translated in place to the real stream.
bool take_stream(remora::server::Worker& w, std::uint64_t& stream) {
  if (stream <= 2) return true;
  return w.take_handle(stream, true, "cuda launch stream");
}

// The guest's id of a kernel (from get_kernel or the spec's cudaLibraryGetKernel),
// translated in place to the real kernel.
bool take_kernel(remora::server::Worker& w, std::uint64_t& kernel) {
  return w.take_handle(kernel, false, "cuda kernel");
}

}  // namespace

void resolve(void* library, std::vector<std::string>& missing) {
  auto sym = [&](const char* name) {
    void* p = dlsym(library, name);
    if (!p) missing.push_back(std::string(name) + " (CUDA runtime module)");
    return p;
  };
  real.library_load_data = reinterpret_cast<LibraryLoadData>(sym("cudaLibraryLoadData"));
  real.library_get_kernel = reinterpret_cast<LibraryGetKernel>(sym("cudaLibraryGetKernel"));
  real.launch_kernel = reinterpret_cast<LaunchKernel>(sym("cudaLaunchKernel"));
  real.launch_kernel_ptsz = reinterpret_cast<LaunchKernel>(sym("cudaLaunchKernel_ptsz"));
  real.func_get_param_info = reinterpret_cast<FuncGetParamInfo>(sym("cudaFuncGetParamInfo"));
  real.library_get_global = reinterpret_cast<LibraryGetGlobal>(sym("cudaLibraryGetGlobal"));
}

namespace {

// The request both get_kernel and get_global start with: the fat binary's hash, its
// bytes the first time this guest names it, and a name in it. Finds (keeps) the fat
// binary; false when the request is rejected (the worker has answered the error).
bool read_fatbin_request(remora::server::Worker& w, remora::Reader& in, const std::string& what,
                         Loaded*& loaded, const char*& name) {
  std::uint64_t hash = 0;
  bool ship = false;
  if (!w.get_value_bytes(in, &hash, sizeof hash, (what + " hash").c_str())) return false;
  if (!w.get_presence(in, ship, (what + " fat binary").c_str())) return false;
  const void* bytes = nullptr;
  std::uint64_t size = 0;
  if (ship) {
    if (!w.get_count(in, size, 1, (what + " fat binary").c_str())) return false;
    bytes = w.take_buffer(in, size, (what + " fat binary").c_str());
    if (!bytes) return false;
  }
  if (!w.get_string(in, name, (what + " name").c_str())) return false;
  if (!w.set_call_mode(false, false)) return false;
  if (!in.at_end() || w.bulk_left()) return w.fail("%s: unexpected trailing bytes", what.c_str());
  if (!name) return w.fail("%s: no name", what.c_str());
  if (ship) {
    const auto* b = static_cast<const unsigned char*>(bytes);
    if (content_hash(b, size) != hash)
      return w.fail("%s: the fat binary does not match its hash", what.c_str());
    Loaded& l = g_fatbins[hash];
    if (l.bytes.empty()) l.bytes.assign(b, b + size);
  }
  auto it = g_fatbins.find(hash);
  if (it == g_fatbins.end())
    return w.fail("%s: fat binary %016llx was never sent", what.c_str(),
                  static_cast<unsigned long long>(hash));
  loaded = &it->second;
  return true;
}

// Loads the fat binary with the real runtime once. A failure is not remembered: the
// next request tries again, as the native runtime does at each launch.
cudaError_t ensure_loaded(Loaded& l) {
  if (l.loaded) return cudaSuccess;
  cudaError_t e =
      real.library_load_data(&l.library, l.bytes.data(), nullptr, nullptr, 0, nullptr, nullptr, 0);
  if (e == cudaSuccess) l.loaded = true;
  return e;
}

}  // namespace

bool srv_get_kernel(remora::server::Worker& w, remora::Reader& in, remora::Writer& out) {
  Loaded* l = nullptr;
  const char* name = nullptr;
  if (!read_fatbin_request(w, in, "cuda get_kernel", l, name)) return false;
  if (!real.library_load_data || !real.library_get_kernel)
    return w.fail(
        "cuda get_kernel: the server's runtime has no cudaLibraryLoadData/cudaLibraryGetKernel");
  if (cudaError_t e = ensure_loaded(*l); e != cudaSuccess) {
    get_status_reply(out, e);
    out.put_u64(0);
    return true;
  }
  cudaKernel_t kernel = nullptr;
  cudaError_t e = real.library_get_kernel(&kernel, l->library, name);
  get_status_reply(out, e);
  const auto k = reinterpret_cast<std::uint64_t>(e == cudaSuccess ? kernel : nullptr);
  // Known to the worker (usable in the spec's calls too) and sent as the guest's id of it;
  // a spec without cudaKernel_t gets a type no release function serves.
  const int type = remora::module::server_handle_type("cudaKernel_t");
  if (k) w.add_handle(k, type >= 0 ? static_cast<std::uint32_t>(type) : ~0u, false);
  out.put_u64(w.guest_value(k));
  return true;
}

// A device variable of a fat binary (__device__/__constant__, registered by the guest's
// __cudaRegisterVar): its device address and size in the library get_kernel loads, so
// kernels and the program's symbol copies name the same variable.
bool srv_get_global(remora::server::Worker& w, remora::Reader& in, remora::Writer& out) {
  Loaded* l = nullptr;
  const char* name = nullptr;
  if (!read_fatbin_request(w, in, "cuda get_global", l, name)) return false;
  if (!real.library_load_data || !real.library_get_global)
    return w.fail(
        "cuda get_global: the server's runtime has no cudaLibraryLoadData/cudaLibraryGetGlobal");
  void* address = nullptr;
  size_t bytes = 0;
  cudaError_t e = ensure_loaded(*l);
  if (e == cudaSuccess) e = real.library_get_global(&address, &bytes, l->library, name);
  get_status_reply(out, e);
  // A device address, passed to the guest as the spec passes every device pointer.
  out.put_u64(e == cudaSuccess ? reinterpret_cast<std::uint64_t>(address) : 0);
  out.put_u64(e == cudaSuccess ? bytes : 0);
  return true;
}

bool srv_launch(remora::server::Worker& w, remora::Reader& in, remora::Writer& out) {
  std::uint64_t kernel = 0, shmem = 0, stream = 0;
  std::uint32_t dims[6] = {};
  std::uint8_t per_thread = 0;
  std::uint32_t n = 0;
  if (!w.get_value_bytes(in, &kernel, sizeof kernel, "cuda launch kernel")) return false;
  if (!w.get_value_bytes(in, dims, sizeof dims, "cuda launch dimensions")) return false;
  if (!w.get_value_bytes(in, &shmem, sizeof shmem, "cuda launch shared memory")) return false;
  if (!w.get_value_bytes(in, &stream, sizeof stream, "cuda launch stream")) return false;
  if (!w.get_value_bytes(in, &per_thread, 1, "cuda launch per-thread")) return false;
  if (!w.get_value_bytes(in, &n, sizeof n, "cuda launch parameter count")) return false;
  if (n > kMaxParams) return w.fail("cuda launch: %u parameters (at most %u)", n, kMaxParams);
  if (!take_kernel(w, kernel) || !take_stream(w, stream)) return false;
  auto** args = static_cast<void**>(w.scratch(n ? n : 1, sizeof(void*), "cuda launch args"));
  if (!args) return false;
  std::uint64_t total = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t size = 0;
    if (!w.get_value_bytes(in, &size, sizeof size, "cuda launch parameter size")) return false;
    if (size > kMaxParamBytes || (total += size) > kMaxParamBytes)
      return w.fail("cuda launch: parameters larger than the %u bytes CUDA allows", kMaxParamBytes);
    // Each in its own scratch block: aligned for any parameter type.
    void* p = w.scratch(size ? size : 1, 1, "cuda launch parameter");
    const unsigned char* b = in.take(size);
    if (!p || !b) return p ? w.fail("cuda launch: request truncated") : false;
    std::memcpy(p, b, size);
    args[i] = p;
  }
  if (!w.set_call_mode(false, false)) return false;
  if (!in.at_end() || w.bulk_left()) return w.fail("cuda launch: unexpected trailing bytes");
  LaunchKernel fn = per_thread ? real.launch_kernel_ptsz : real.launch_kernel;
  if (!fn) return w.fail("cuda launch: the server's runtime has no cudaLaunchKernel");
  dim3 grid(dims[0], dims[1], dims[2]), block(dims[3], dims[4], dims[5]);
  cudaError_t e = fn(reinterpret_cast<const void*>(kernel), grid, block, args,
                     static_cast<size_t>(shmem), reinterpret_cast<cudaStream_t>(stream));
  return get_status_reply(out, e);
}

bool srv_param_info(remora::server::Worker& w, remora::Reader& in, remora::Writer& out) {
  std::uint64_t kernel = 0;
  if (!w.get_value_bytes(in, &kernel, sizeof kernel, "cuda param_info kernel")) return false;
  if (!w.set_call_mode(false, false)) return false;
  if (!in.at_end() || w.bulk_left()) return w.fail("cuda param_info: unexpected trailing bytes");
  if (!take_kernel(w, kernel)) return false;
  if (!real.func_get_param_info)
    return w.fail("cuda param_info: the server's runtime has no cudaFuncGetParamInfo");
  // No count function exists: indices are probed until the runtime says there is none.
  std::vector<std::uint32_t> sizes;
  cudaError_t first = cudaSuccess;
  for (std::uint32_t i = 0; i <= kMaxParams; ++i) {
    size_t offset = 0, size = 0;
    cudaError_t e =
        real.func_get_param_info(reinterpret_cast<const void*>(kernel), i, &offset, &size);
    if (e != cudaSuccess) {
      if (i == 0) first = e;
      break;
    }
    if (size > kMaxParamBytes) return w.fail("cuda param_info: parameter %u of %zu bytes", i, size);
    sizes.push_back(static_cast<std::uint32_t>(size));
  }
  // A kernel without parameters and a failing runtime look alike at index 0: only an
  // error other than "no such parameter" is a failure.
  if (first != cudaSuccess && first != cudaErrorInvalidValue) {
    get_status_reply(out, first);
    out.put_u32(0);
    return true;
  }
  get_status_reply(out, cudaSuccess);
  out.put_u32(static_cast<std::uint32_t>(sizes.size()));
  for (auto s : sizes) out.put_u32(s);
  return true;
}

}  // namespace remora::cuda_module
