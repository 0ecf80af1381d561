// CUDA runtime module, guest side of the driver API's modules and launches.
//
// A driver-API program loads device code itself (cuModuleLoadData(&mod, image), ...)
// and launches with cuLaunchKernel(f, ..., kernelParams, extra), where kernelParams is
// a `void *[n]` whose n and sizes appear nowhere in the call. The module images travel
// by the spec (their size is `measured(image, ...)`: the generated stub sends exactly
// the image); this file wraps those stubs (RuntimeModule::wraps) to read, in the guest,
// the parameter layout of every kernel of each image the program loads (a cubin's
// .nv.info, PTX .entry lists: support/cuda/module_image.h), and remembers it per module
// handle, then per function handle (cuModuleGetFunction, cuLibraryGetKernel,
// cuKernelGetFunction). cuLaunchKernel is the module's own wire call, with
// kernelParams copied as one buffer per parameter sized from that layout, exactly like
// cudaLaunchKernel's args; a function with no known layout is refused with the reason.
// cuModuleLoad(fname) names a file of the guest: the guest reads it and loads it as an
// image (the server must never open a guest's path).
#include <cuda.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "remora/cuda/module_image.h"
#include "remora_cuda_guest_common.h"
#include "remora_cuda_wire.h"
#include "remora_guest.h"
#include "remora_image_size.h"
#include "remora_module.h"

#define RM_CUDA_EXPORT extern "C" __attribute__((visibility("default")))
// The generated stubs this file wraps (absent when the spec lacks the function: then
// the wrapper fails as the stack does for a function it does not have).
#define RM_WRAPPED extern "C" __attribute__((weak, visibility("hidden")))

RM_WRAPPED CUresult remora_wrapped_cuModuleLoadData(CUmodule*, const void*);
RM_WRAPPED CUresult remora_wrapped_cuModuleLoadDataEx(CUmodule*, const void*, unsigned int,
                                                      CUjit_option*, void**);
RM_WRAPPED CUresult remora_wrapped_cuModuleLoadFatBinary(CUmodule*, const void*);
RM_WRAPPED CUresult remora_wrapped_cuModuleGetFunction(CUfunction*, CUmodule, const char*);
RM_WRAPPED CUresult remora_wrapped_cuLibraryLoadData(CUlibrary*, const void*, CUjit_option*, void**,
                                                     unsigned int, CUlibraryOption*, void**,
                                                     unsigned int);
RM_WRAPPED CUresult remora_wrapped_cuLibraryGetKernel(CUkernel*, CUlibrary, const char*);
RM_WRAPPED CUresult remora_wrapped_cuKernelGetFunction(CUfunction*, CUkernel);
RM_WRAPPED CUresult remora_wrapped_cuLibraryGetModule(CUmodule*, CUlibrary);
RM_WRAPPED CUresult remora_wrapped_cuLinkCreate(unsigned int, CUjit_option*, void**, CUlinkState*);
RM_WRAPPED CUresult remora_wrapped_cuLinkAddData(CUlinkState, CUjitInputType, void*, size_t,
                                                 const char*, unsigned int, CUjit_option*, void**);

namespace {

using remora::cuda_module::get_status;
using remora::cuda_module::kCallDriverLaunch;
using remora::cuda_module::Layout;
using remora::cuda_module::verbose;

// What the stack answers when it cannot make a call (as its generated stubs do).
constexpr CUresult kNotSupported = CUDA_ERROR_NOT_SUPPORTED;

struct Modules {
  std::mutex mutex;
  // CUmodule / CUlibrary (the guest's ids) -> the kernels of the image it was loaded from.
  std::map<std::uint64_t, std::shared_ptr<const remora::cuda::ImageKernels>> images;
  // CUfunction / CUkernel -> layout (cuLaunchKernel takes either as its `f`).
  std::map<std::uint64_t, Layout> functions;
};

Modules& modules() {
  static Modules* m = new Modules;  // never destroyed: calls may come from atexit handlers
  return *m;
}

template <class H>
std::uint64_t id_of(H h) {
  return reinterpret_cast<std::uint64_t>(h);
}

// The kernels of the image just loaded (the stub sent exactly the bytes measured here).
void remember_image(std::uint64_t handle, const void* image, const char* formats) {
  long long readable = remora::guest::readable_bytes(image);
  remora::ImageMeasure m = remora::measure_image(
      image,
      readable < 0 ? 0
                   : std::min<std::uint64_t>(static_cast<std::uint64_t>(readable),
                                             remora::max_message_bytes()),
      formats);
  auto kernels = std::make_shared<remora::cuda::ImageKernels>();
  if (m.bytes < 0)
    kernels->error = "its image could not be measured: " + m.why;
  else
    *kernels = remora::cuda::kernels_of_image(
        std::string_view(static_cast<const char*>(image), static_cast<std::size_t>(m.bytes)));
  if (verbose())
    std::fprintf(stderr, "remora-cuda: module %#llx: %s image, %zu kernel layout(s)%s%s\n",
                 static_cast<unsigned long long>(handle), kernels->format.c_str(),
                 kernels->sizes.size(),
                 kernels->error.empty() && kernels->incomplete.empty() ? "" : ": ",
                 (kernels->error + kernels->incomplete).c_str());
  Modules& r = modules();
  std::lock_guard<std::mutex> lk(r.mutex);
  r.images[handle] = std::move(kernels);
}

// What a wrapped loader answered (`r`): when it succeeded, `*out` is the module (or
// library) of `image`, whose kernels' layouts are read.
template <class H>
CUresult remember_loaded(CUresult r, H* out, const void* image, const char* formats) {
  if (r == CUDA_SUCCESS && out) remember_image(id_of(*out), image, formats);
  return r;
}

// Calls a wrapped stub that hands out a handle in `*out` (a function, kernel or
// module of something loaded before) and, when it succeeds, has `record(modules,
// handle)` note what that handle is, under the modules' lock.
template <class Record, class H, class... P, class... A>
CUresult get_handle(Record record, CUresult (*stub)(H*, P...), H* out, A... args) {
  if (!stub) return kNotSupported;
  CUresult r = stub(out, args...);
  if (r == CUDA_SUCCESS && out) {
    Modules& m = modules();
    std::lock_guard<std::mutex> lk(m.mutex);
    record(m, id_of(*out));
  }
  return r;
}

// The layout of kernel `name` of module (or library) `owner`, for function `fn` (the
// modules' lock held).
void remember_function(Modules& r, std::uint64_t fn, std::uint64_t owner, const char* name) {
  Layout l;
  auto it = r.images.find(owner);
  if (it == r.images.end()) {
    l.why = "its module was not loaded from an image this guest read";
  } else if (auto k = it->second->sizes.find(name ? name : ""); k != it->second->sizes.end()) {
    l.known = true;
    l.sizes = k->second;
  } else {
    const auto& img = *it->second;
    l.why = "no parameter layout for " + std::string(name ? name : "(null)") + " in its " +
            img.format + " image" + (img.error.empty() ? "" : " (" + img.error + ")") +
            (img.incomplete.empty() ? "" : " (" + img.incomplete + ")");
  }
  if (verbose()) {
    std::string sizes;
    for (auto s : l.sizes) sizes += (sizes.empty() ? "" : ", ") + std::to_string(s);
    std::fprintf(stderr, "remora-cuda: %s: %s\n", name ? name : "(null)",
                 l.known ? (std::to_string(l.sizes.size()) + " parameter(s) (" + sizes +
                            " bytes) from the module image")
                               .c_str()
                         : l.why.c_str());
  }
  r.functions[fn] = std::move(l);
}

// Reads a file of the guest (bounded by the message limit) with a NUL after it, so
// that a PTX file measures as text.
bool read_guest_file(const char* path, std::vector<char>& out, CUresult& error) {
  error = CUDA_ERROR_FILE_NOT_FOUND;
  if (!path) {
    error = CUDA_ERROR_INVALID_VALUE;
    return false;
  }
  std::FILE* f = std::fopen(path, "rb");
  if (!f) return false;
  char chunk[65536];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (out.size() + n > remora::max_message_bytes()) {
      std::fclose(f);
      std::fprintf(stderr, "remora: %s: larger than a message of this stack can carry\n", path);
      error = CUDA_ERROR_INVALID_VALUE;
      return false;
    }
    out.insert(out.end(), chunk, chunk + n);
  }
  const bool ok = !std::ferror(f);
  std::fclose(f);
  out.push_back('\0');
  return ok;
}

// JIT and library options travel as the spec says: `optionValues[i]` as the value it
// holds, never what it points to, and nothing comes back in it. Only the options whose
// value is a plain input (cuda.h documents each "Option type") are remoted; a log
// buffer (a guest address the server's JIT would write through), a value the driver
// writes back (wall time, log sizes, threads per block) or a symbol table is refused.
bool jit_options_ok(const char* fn, unsigned int n, const CUjit_option* options) {
  for (unsigned int i = 0; options && i < n; ++i) {
    switch (options[i]) {
      case CU_JIT_MAX_REGISTERS:
      case CU_JIT_OPTIMIZATION_LEVEL:
      case CU_JIT_TARGET_FROM_CUCONTEXT:
      case CU_JIT_TARGET:
      case CU_JIT_FALLBACK_STRATEGY:
      case CU_JIT_GENERATE_DEBUG_INFO:
      case CU_JIT_LOG_VERBOSE:
      case CU_JIT_GENERATE_LINE_INFO:
      case CU_JIT_CACHE_MODE:
      case CU_JIT_LTO:
      case CU_JIT_FTZ:
      case CU_JIT_PREC_DIV:
      case CU_JIT_PREC_SQRT:
      case CU_JIT_FMA:
      case CU_JIT_OPTIMIZE_UNUSED_DEVICE_VARIABLES:
      case CU_JIT_POSITION_INDEPENDENT_CODE:
      case CU_JIT_MIN_CTA_PER_SM:
      case CU_JIT_MAX_THREADS_PER_BLOCK:
      case CU_JIT_OVERRIDE_DIRECTIVE_VALUES:
      case CU_JIT_SPLIT_COMPILE:
        continue;
      default:
        std::fprintf(
            stderr,
            "remora: %s: JIT option %d passes a pointer or returns a value through optionValues, "
            "which this stack does not remote; the call is refused\n",
            fn, static_cast<int>(options[i]));
        return false;
    }
  }
  return true;
}

bool library_options_ok(unsigned int n, const CUlibraryOption* options) {
  for (unsigned int i = 0; options && i < n; ++i)
    if (options[i] != CU_LIBRARY_BINARY_IS_PRESERVED) {
      std::fprintf(
          stderr,
          "remora: cuLibraryLoadData: library option %d passes a pointer (a host table of the "
          "program), which this stack does not remote; the call is refused\n",
          static_cast<int>(options[i]));
      return false;
    }
  return true;
}

}  // namespace

// ---- module images (the generated stubs send them; the guest keeps their layouts) ----

RM_CUDA_EXPORT CUresult cuModuleLoadData(CUmodule* module, const void* image) {
  if (!remora_wrapped_cuModuleLoadData) return kNotSupported;
  return remember_loaded(remora_wrapped_cuModuleLoadData(module, image), module, image,
                         "fatbin,elf,text");
}

RM_CUDA_EXPORT CUresult cuModuleLoadDataEx(CUmodule* module, const void* image,
                                           unsigned int numOptions, CUjit_option* options,
                                           void** optionValues) {
  if (!remora_wrapped_cuModuleLoadDataEx) return kNotSupported;
  if (!jit_options_ok("cuModuleLoadDataEx", numOptions, options)) return kNotSupported;
  return remember_loaded(
      remora_wrapped_cuModuleLoadDataEx(module, image, numOptions, options, optionValues), module,
      image, "fatbin,elf,text");
}

RM_CUDA_EXPORT CUresult cuModuleLoadFatBinary(CUmodule* module, const void* fatCubin) {
  if (!remora_wrapped_cuModuleLoadFatBinary) return kNotSupported;
  return remember_loaded(remora_wrapped_cuModuleLoadFatBinary(module, fatCubin), module, fatCubin,
                         "fatbin");
}

RM_CUDA_EXPORT CUresult cuLibraryLoadData(CUlibrary* library, const void* code,
                                          CUjit_option* jitOptions, void** jitOptionsValues,
                                          unsigned int numJitOptions,
                                          CUlibraryOption* libraryOptions,
                                          void** libraryOptionValues,
                                          unsigned int numLibraryOptions) {
  if (!remora_wrapped_cuLibraryLoadData) return kNotSupported;
  if (!jit_options_ok("cuLibraryLoadData", numJitOptions, jitOptions) ||
      !library_options_ok(numLibraryOptions, libraryOptions))
    return kNotSupported;
  return remember_loaded(
      remora_wrapped_cuLibraryLoadData(library, code, jitOptions, jitOptionsValues, numJitOptions,
                                       libraryOptions, libraryOptionValues, numLibraryOptions),
      library, code, "fatbin,elf,text");
}

// A path names a file of the guest: read here, sent as an image.
RM_CUDA_EXPORT CUresult cuModuleLoad(CUmodule* module, const char* fname) {
  std::vector<char> bytes;
  CUresult error;
  if (!read_guest_file(fname, bytes, error)) return error;
  return cuModuleLoadData(module, bytes.data());
}

RM_CUDA_EXPORT CUresult cuLibraryLoadFromFile(CUlibrary* library, const char* fileName,
                                              CUjit_option* jitOptions, void** jitOptionsValues,
                                              unsigned int numJitOptions,
                                              CUlibraryOption* libraryOptions,
                                              void** libraryOptionValues,
                                              unsigned int numLibraryOptions) {
  std::vector<char> bytes;
  CUresult error;
  if (!read_guest_file(fileName, bytes, error)) return error;
  return cuLibraryLoadData(library, bytes.data(), jitOptions, jitOptionsValues, numJitOptions,
                           libraryOptions, libraryOptionValues, numLibraryOptions);
}

// The linker's options, as the loaders' (its log buffers are the usual way to read errors).
RM_CUDA_EXPORT CUresult cuLinkCreate(unsigned int numOptions, CUjit_option* options,
                                     void** optionValues, CUlinkState* stateOut) {
  if (!remora_wrapped_cuLinkCreate) return kNotSupported;
  if (!jit_options_ok("cuLinkCreate", numOptions, options)) return kNotSupported;
  return remora_wrapped_cuLinkCreate(numOptions, options, optionValues, stateOut);
}

RM_CUDA_EXPORT CUresult cuLinkAddData(CUlinkState state, CUjitInputType type, void* data,
                                      size_t size, const char* name, unsigned int numOptions,
                                      CUjit_option* options, void** optionValues) {
  if (!remora_wrapped_cuLinkAddData) return kNotSupported;
  if (!jit_options_ok("cuLinkAddData", numOptions, options)) return kNotSupported;
  return remora_wrapped_cuLinkAddData(state, type, data, size, name, numOptions, options,
                                      optionValues);
}

// ---- functions: handle -> layout ----

RM_CUDA_EXPORT CUresult cuModuleGetFunction(CUfunction* hfunc, CUmodule hmod, const char* name) {
  return get_handle(
      [&](Modules& m, std::uint64_t fn) { remember_function(m, fn, id_of(hmod), name); },
      remora_wrapped_cuModuleGetFunction, hfunc, hmod, name);
}

RM_CUDA_EXPORT CUresult cuLibraryGetKernel(CUkernel* pKernel, CUlibrary library, const char* name) {
  return get_handle(
      [&](Modules& m, std::uint64_t kernel) { remember_function(m, kernel, id_of(library), name); },
      remora_wrapped_cuLibraryGetKernel, pKernel, library, name);
}

// A library's module holds the library's kernels.
RM_CUDA_EXPORT CUresult cuLibraryGetModule(CUmodule* pMod, CUlibrary library) {
  return get_handle(
      [&](Modules& m, std::uint64_t mod) {
        auto it = m.images.find(id_of(library));
        if (it != m.images.end()) m.images[mod] = it->second;
      },
      remora_wrapped_cuLibraryGetModule, pMod, library);
}

RM_CUDA_EXPORT CUresult cuKernelGetFunction(CUfunction* pFunc, CUkernel kernel) {
  return get_handle(
      [&](Modules& m, std::uint64_t fn) {
        auto it = m.functions.find(id_of(kernel));
        m.functions[fn] = it != m.functions.end()
                              ? it->second
                              : Layout{false, {}, "its kernel's layout is unknown"};
      },
      remora_wrapped_cuKernelGetFunction, pFunc, kernel);
}

// ---- launches ----

RM_CUDA_EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY,
                                       unsigned int gridDimZ, unsigned int blockDimX,
                                       unsigned int blockDimY, unsigned int blockDimZ,
                                       unsigned int sharedMemBytes, CUstream hStream,
                                       void** kernelParams, void** extra) {
  Layout layout{true, {}, ""};  // NULL f: the driver answers for it, before reading any argument
  if (f) {
    Modules& m = modules();
    std::lock_guard<std::mutex> lk(m.mutex);
    auto it = m.functions.find(id_of(f));
    if (it == m.functions.end())
      layout = Layout{false,
                      {},
                      "it was not obtained through this guest's cuModuleGetFunction, "
                      "cuLibraryGetKernel or cuKernelGetFunction"};
    else
      layout = it->second;
  }
  if (!layout.known) {
    std::fprintf(stderr,
                 "remora: cuLaunchKernel: the parameter layout of function %#llx is unknown (%s); "
                 "the launch is refused\n",
                 static_cast<unsigned long long>(id_of(f)), layout.why.c_str());
    return kNotSupported;
  }
  // extra: {CU_LAUNCH_PARAM_BUFFER_POINTER, buf, CU_LAUNCH_PARAM_BUFFER_SIZE, &size,
  // CU_LAUNCH_PARAM_END}.
  const void* packed = nullptr;
  std::size_t packed_size = 0;
  bool have_size = false;
  if (extra) {
    if (kernelParams) return CUDA_ERROR_INVALID_VALUE;  // the driver takes one or the other
    std::size_t i = 0;
    for (; i < 16 && extra[i] != CU_LAUNCH_PARAM_END; i += 2) {
      if (extra[i] == CU_LAUNCH_PARAM_BUFFER_POINTER) {
        packed = extra[i + 1];
      } else if (extra[i] == CU_LAUNCH_PARAM_BUFFER_SIZE && extra[i + 1]) {
        std::memcpy(&packed_size, extra[i + 1], sizeof packed_size);
        have_size = true;
      } else {
        std::fprintf(stderr,
                     "remora: cuLaunchKernel: extra holds key %p, which this stack does not know; "
                     "the launch is refused\n",
                     extra[i]);
        return kNotSupported;
      }
    }
    if (i >= 16 || !have_size || (packed_size && !packed)) {
      std::fprintf(stderr,
                   "remora: cuLaunchKernel: extra is not {BUFFER_POINTER, p, BUFFER_SIZE, &n, "
                   "END}; the launch is refused\n");
      return kNotSupported;
    }
    if (packed_size > remora::cuda_module::kMaxParamBytes) return CUDA_ERROR_INVALID_VALUE;
  } else if (!layout.sizes.empty() && !kernelParams) {
    return CUDA_ERROR_INVALID_VALUE;
  }
  remora::guest::Call call(&remora::module::guest_api(),
                           remora::module::guest_first_call() + kCallDriverLaunch);
  if (!call.connected()) return kNotSupported;
  remora::Writer& w = call.args();
  w.put_u64(id_of(f));
  for (unsigned v : {gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ}) w.put_u32(v);
  w.put_u32(sharedMemBytes);
  w.put_u64(id_of(hStream));
  if (extra) {
    w.put_u8(remora::cuda_module::kLaunchPacked);
    w.put_u32(static_cast<std::uint32_t>(packed_size));
    if (packed_size) w.put_raw(packed, packed_size);
  } else {
    w.put_u8(remora::cuda_module::kLaunchParams);
    w.put_u32(static_cast<std::uint32_t>(layout.sizes.size()));
    for (std::size_t i = 0; i < layout.sizes.size(); ++i) {
      w.put_u32(layout.sizes[i]);
      w.put_raw(kernelParams[i], layout.sizes[i]);
    }
  }
  if (!call.run(false)) return kNotSupported;
  CUresult status;
  if (!get_status(call, status)) return kNotSupported;
  return status;
}
