// The kernels of a driver-API module image and their parameter sizes: what a remoted
// cuLaunchKernel needs to copy `kernelParams` (a `void *[n]` with no size anywhere).
// The image is one of the formats cuModuleLoadData takes: a fat binary container
// (its cubins' .nv.info records, else its uncompressed PTX), an ELF cubin (.nv.info),
// or NUL-terminated PTX text (the .entry parameter lists).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace remora::cuda {

struct ImageKernels {
  std::string format;  // "fatbin", "cubin" or "ptx"
  // Mangled kernel name -> bytes of each parameter, in order.
  std::map<std::string, std::vector<std::uint32_t>, std::less<>> sizes;
  // Why a kernel may have no layout here (compressed entries, inconsistent records),
  // "" when every kernel of the image was read.
  std::string incomplete;
  std::string error;  // the image could not be read at all
};

// `image` holds exactly the image's bytes (the measured length).
ImageKernels kernels_of_image(std::string_view image);

}  // namespace remora::cuda
