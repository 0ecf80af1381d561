// Kernel parameter layouts read from a cubin's `.nv.info.<kernel>` sections
// (EIATTR records written by ptxas). This is what a remoted cudaLaunchKernel
// needs: `args` is an array of pointers, one per parameter, and only the cubin
// says how many bytes each points to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace remora::cuda {

struct KernelParam {
  std::uint32_t ordinal = 0;  // position in the kernel's signature
  std::uint32_t offset = 0;   // byte offset in the parameter constant bank
  std::uint32_t size = 0;     // bytes
};

struct KernelInfo {
  std::string name;                 // mangled symbol name (_Z7scalarscid)
  std::vector<KernelParam> params;  // sorted by ordinal, ordinals 0..n-1
  std::uint32_t param_bytes = 0;    // EIATTR_CBANK_PARAM_SIZE (or end of last param)
};

struct KernelParse {
  std::vector<KernelInfo> kernels;  // in section order
  std::string error;                // empty on success
  bool ok() const { return error.empty(); }
};

// EIATTR ids this reader uses (values from ptxas output; see docs/cuda-fatbin.md).
inline constexpr std::uint8_t kEiattrParamCbank = 0x0a;
inline constexpr std::uint8_t kEiattrKparamInfo = 0x17;
inline constexpr std::uint8_t kEiattrCbankParamSize = 0x19;

// Parses every `.nv.info.<kernel>` section of a cubin image. A kernel whose
// parameter records are inconsistent (gaps, overlaps, past the bank size) makes
// the whole parse fail with a message naming it: a wrong layout must never be
// used to marshal arguments.
KernelParse parse_kernel_params(std::string_view cubin);

}  // namespace remora::cuda
