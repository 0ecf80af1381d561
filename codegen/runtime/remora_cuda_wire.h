// The CUDA runtime module's wire calls (guest remora_cuda_guest.cpp, server
// remora_cuda_server.cpp). They follow the spec's functions in the call table, in
// this order (the generator lists the same names: runtime_modules.cpp).
//
//   get_kernel  (u64 fat binary hash, presence + u64 length + bytes of the fat binary
//                the first time this guest names that hash, string device function name)
//               -> i32 status, u64 kernel (a cudaKernel_t of the server)
//   launch      (u64 kernel, 3 x u32 grid, 3 x u32 block, u64 shared memory, u64 stream,
//                u8 per-thread default stream, u32 n, then per parameter u32 size + bytes)
//               -> i32 status
//   param_info  (u64 kernel) -> i32 status, u32 n, n x u32 size
//               (the server's driver answers the layout: cudaFuncGetParamInfo)
//   get_global  (as get_kernel, with a device variable's name)
//               -> i32 status, u64 device address, u64 size (cudaLibraryGetGlobal in the
//               library get_kernel loads: kernels see the same variable)
//   driver_launch (u64 CUfunction or CUkernel, 3 x u32 grid, 3 x u32 block, u32 shared
//               memory, u64 stream, u8 form: 0 = kernelParams (u32 n, then per
//               parameter u32 size + bytes), 1 = extra's packed buffer (u32 size + bytes))
//               -> i32 CUresult (cuLaunchKernel; remora_cuda_modules.cpp sizes it)
#pragma once

#include <cstdint>

namespace remora::cuda_module {

inline constexpr std::uint32_t kCallGetKernel = 0;
inline constexpr std::uint32_t kCallLaunch = 1;
inline constexpr std::uint32_t kCallParamInfo = 2;
inline constexpr std::uint32_t kCallGetGlobal = 3;
inline constexpr std::uint32_t kCallDriverLaunch = 4;
inline constexpr std::uint8_t kLaunchParams = 0;
inline constexpr std::uint8_t kLaunchPacked = 1;

// Bounds a hostile or broken peer cannot exceed: parameters per kernel (CUDA allows
// 32764 bytes of parameters, so at most that many one-byte ones) and bytes of one.
inline constexpr std::uint32_t kMaxParams = 32764;
inline constexpr std::uint32_t kMaxParamBytes = 32764;

// FNV-1a over the fat binary container: the key both sides use for "this fat binary".
inline std::uint64_t content_hash(const unsigned char* p, std::uint64_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::uint64_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace remora::cuda_module
