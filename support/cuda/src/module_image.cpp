#include "remora/cuda/module_image.h"

#include <cstring>

#include "remora/cuda/fatbin.h"
#include "remora/cuda/kernel_params.h"
#include "remora/cuda/ptx_params.h"

namespace remora::cuda {
namespace {

// Adds the kernels of `parse` not already known (every cubin and the PTX of one fat
// binary give the same layout: the ABI's).
void add(ImageKernels& out, const KernelParse& parse) {
  for (const auto& k : parse.kernels) {
    std::vector<std::uint32_t> sizes;
    for (const auto& p : k.params) sizes.push_back(p.size);
    out.sizes.emplace(k.name, std::move(sizes));
  }
}

void from_fatbin(std::string_view image, ImageKernels& out) {
  FatbinParse parse = parse_fatbin_containers(image);
  if (!parse.ok()) {
    out.error = "the fat binary could not be read: " + parse.error;
    return;
  }
  std::vector<std::string> skipped;
  for (const FatbinEntry* cubin : cubins(parse, &skipped)) {
    KernelParse kp = parse_kernel_params(cubin->payload);
    if (kp.ok())
      add(out, kp);
    else
      out.incomplete = "a cubin's parameter records are inconsistent: " + kp.error;
  }
  for (const auto& c : parse.containers)
    for (const auto& e : c.entries) {
      if (e.kind != EntryKind::Ptx) continue;
      if (e.compression != Compression::None) {
        out.incomplete =
            "its PTX is compressed (" + std::string(compression_name(e.compression)) + ")";
        continue;
      }
      std::string_view text(e.payload);
      text = text.substr(0, text.find('\0'));
      KernelParse kp = parse_ptx_params(text);
      if (kp.ok())
        add(out, kp);
      else
        out.incomplete = "its PTX's parameter lists could not be read: " + kp.error;
    }
  if (out.sizes.empty() && out.incomplete.empty() && !skipped.empty())
    out.incomplete = "its cubins are compressed (" + skipped.front() + ")";
}

}  // namespace

ImageKernels kernels_of_image(std::string_view image) {
  ImageKernels out;
  std::uint32_t magic = 0;
  if (image.size() >= 4) std::memcpy(&magic, image.data(), 4);
  if (magic == kFatbinMagic) {
    out.format = "fatbin";
    from_fatbin(image, out);
  } else if (image.size() >= 4 && image.substr(0, 4) == std::string_view("\x7f"
                                                                         "ELF",
                                                                         4)) {
    out.format = "cubin";
    KernelParse kp = parse_kernel_params(image);
    if (kp.ok())
      add(out, kp);
    else
      out.error = "the cubin's parameter records could not be read: " + kp.error;
  } else {
    out.format = "ptx";
    KernelParse kp = parse_ptx_params(image.substr(0, image.find('\0')));
    if (kp.ok())
      add(out, kp);
    else
      out.error = "the PTX's parameter lists could not be read: " + kp.error;
  }
  return out;
}

}  // namespace remora::cuda
