// CUDA runtime module, server side of the driver API's launches (wire call
// driver_launch, remora_cuda_wire.h): cuLaunchKernel on a `void*[n]` rebuilt over the
// bytes the guest sent, one buffer per parameter (sized in the guest from the module
// image's layout: remora_cuda_modules.cpp), or on extra's packed buffer. The function
// and stream are the guest's handle ids, translated like any other.
#include <cuda.h>

#include <cstring>

#include "remora_cuda_server.h"
#include "remora_cuda_wire.h"
#include "remora_module.h"
#include "remora_server.h"

namespace remora::cuda_module {

bool srv_driver_launch(remora::server::Worker& w, remora::Reader& in, remora::Writer& out) {
  using LaunchKernel = CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned,
                                    unsigned, unsigned, CUstream, void**, void**);
  std::uint64_t function = 0, stream = 0;
  std::uint32_t dims[6] = {}, shmem = 0, n = 0;
  std::uint8_t form = 0;
  if (!w.get_value_bytes(in, &function, sizeof function, "cuLaunchKernel function")) return false;
  if (!w.get_value_bytes(in, dims, sizeof dims, "cuLaunchKernel dimensions")) return false;
  if (!w.get_value_bytes(in, &shmem, sizeof shmem, "cuLaunchKernel shared memory")) return false;
  if (!w.get_value_bytes(in, &stream, sizeof stream, "cuLaunchKernel stream")) return false;
  if (!w.get_value_bytes(in, &form, 1, "cuLaunchKernel form")) return false;
  if (form != kLaunchParams && form != kLaunchPacked)
    return w.fail("cuLaunchKernel: unknown argument form %u", form);
  if (!w.get_value_bytes(in, &n, sizeof n, "cuLaunchKernel parameter count")) return false;
  if (n > kMaxParams) return w.fail("cuLaunchKernel: %u parameters (at most %u)", n, kMaxParams);
  // NULL is the driver's to refuse; the special streams (legacy, per-thread) are not objects.
  if (!w.take_handle(function, true, "cuLaunchKernel function")) return false;
  if (stream > 2 && !w.take_handle(stream, true, "cuLaunchKernel stream")) return false;
  void** params = nullptr;
  void* extra[5] = {};
  std::size_t packed_size = n;
  if (form == kLaunchPacked) {
    if (n > kMaxParamBytes)
      return w.fail("cuLaunchKernel: a %u-byte argument buffer (CUDA allows %u)", n,
                    kMaxParamBytes);
    void* p = w.scratch(n ? n : 1, 1, "cuLaunchKernel argument buffer");
    const unsigned char* b = in.take(n);
    if (!p || !b) return p ? w.fail("cuLaunchKernel: request truncated") : false;
    std::memcpy(p, b, n);
    extra[0] = CU_LAUNCH_PARAM_BUFFER_POINTER;
    extra[1] = p;
    extra[2] = CU_LAUNCH_PARAM_BUFFER_SIZE;
    extra[3] = &packed_size;
    extra[4] = CU_LAUNCH_PARAM_END;
  } else {
    params = static_cast<void**>(w.scratch(n ? n : 1, sizeof(void*), "cuLaunchKernel params"));
    if (!params) return false;
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint32_t size = 0;
      if (!w.get_value_bytes(in, &size, sizeof size, "cuLaunchKernel parameter size")) return false;
      if (size > kMaxParamBytes || (total += size) > kMaxParamBytes)
        return w.fail("cuLaunchKernel: parameters larger than the %u bytes CUDA allows",
                      kMaxParamBytes);
      void* p = w.scratch(size ? size : 1, 1,
                          "cuLaunchKernel parameter");  // own block: aligned for any type
      const unsigned char* b = in.take(size);
      if (!p || !b) return p ? w.fail("cuLaunchKernel: request truncated") : false;
      std::memcpy(p, b, size);
      params[i] = p;
    }
  }
  if (!w.set_call_mode(false, false)) return false;
  if (!in.at_end() || w.bulk_left()) return w.fail("cuLaunchKernel: unexpected trailing bytes");
  static const auto launch =
      reinterpret_cast<LaunchKernel>(remora::module::server_symbol("cuLaunchKernel"));
  if (!launch)
    return w.fail(
        "cuLaunchKernel: the server was given no library with cuLaunchKernel (libcuda.so.1)");
  CUresult e =
      launch(reinterpret_cast<CUfunction>(function), dims[0], dims[1], dims[2], dims[3], dims[4],
             dims[5], shmem, reinterpret_cast<CUstream>(stream),
             form == kLaunchPacked ? nullptr : params, form == kLaunchPacked ? extra : nullptr);
  out.put_value(static_cast<std::int32_t>(e));
  return true;
}

}  // namespace remora::cuda_module
