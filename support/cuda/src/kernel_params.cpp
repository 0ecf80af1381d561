#include "remora/cuda/kernel_params.h"

#include <algorithm>
#include <cstring>

#include "remora/elf/elf_image.h"

namespace remora::cuda {
namespace {

// EIATTR record formats: the first byte of every record.
constexpr std::uint8_t kFmtNoValue = 1, kFmtByte = 2, kFmtHalf = 3, kFmtSized = 4;
constexpr std::string_view kInfoPrefix = ".nv.info.";

template <class T>
T load(std::string_view b, std::size_t off) {
  T v{};
  std::memcpy(&v, b.data() + off, sizeof(T));
  return v;
}

// Reads one kernel's records into `k`; false with `error` on a malformed section.
bool parse_info(std::string_view info, KernelInfo& k, std::string& error) {
  std::uint32_t bank_size = 0;
  bool have_bank_size = false;
  for (std::size_t off = 0; off < info.size();) {
    if (info.size() - off < 4) {
      error = "truncated EIATTR record at offset " + std::to_string(off);
      return false;
    }
    std::uint8_t fmt = static_cast<std::uint8_t>(info[off]),
                 attr = static_cast<std::uint8_t>(info[off + 1]);
    std::uint16_t half = load<std::uint16_t>(info, off + 2);
    if (fmt == kFmtNoValue || fmt == kFmtByte || fmt == kFmtHalf) {
      if (attr == kEiattrCbankParamSize && fmt == kFmtHalf) {
        bank_size = half;
        have_bank_size = true;
      }
      off += 4;
      continue;
    }
    if (fmt != kFmtSized) {
      error = "unknown EIATTR format " + std::to_string(fmt) + " at offset " + std::to_string(off);
      return false;
    }
    if (half > info.size() - off - 4) {
      error = "EIATTR record at offset " + std::to_string(off) + " claims " + std::to_string(half) +
              " bytes, past the end of the section";
      return false;
    }
    std::string_view value = info.substr(off + 4, half);
    if (attr == kEiattrKparamInfo) {
      if (value.size() < 12) {
        error = "EIATTR_KPARAM_INFO record shorter than 12 bytes";
        return false;
      }
      KernelParam p;
      p.ordinal = load<std::uint16_t>(value, 4);
      p.offset = load<std::uint16_t>(value, 6);
      // Bits 18..31 of the last word: the size; the low bits hold alignment/space flags.
      p.size = load<std::uint32_t>(value, 8) >> 18;
      k.params.push_back(p);
    } else if (attr == kEiattrParamCbank && value.size() >= 8 && !have_bank_size) {
      bank_size = load<std::uint16_t>(value, 6);  // symbol(4), bank offset(2), size(2)
      have_bank_size = true;
    }
    off += 4 + half;
  }
  // Ordinals must be exactly 0..n-1 and the parameters must not overlap.
  std::sort(k.params.begin(), k.params.end(),
            [](auto& a, auto& b) { return a.ordinal < b.ordinal; });
  std::uint32_t end = 0;
  for (std::size_t i = 0; i < k.params.size(); ++i) {
    const KernelParam& p = k.params[i];
    if (p.ordinal != i) {
      error = "parameter ordinals are not 0.." + std::to_string(k.params.size() - 1) + " (found " +
              std::to_string(p.ordinal) + " at position " + std::to_string(i) + ")";
      return false;
    }
    end = std::max(end, p.offset + p.size);
  }
  std::vector<KernelParam> by_offset = k.params;
  std::sort(by_offset.begin(), by_offset.end(),
            [](auto& a, auto& b) { return a.offset < b.offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i)
    if (by_offset[i].offset < by_offset[i - 1].offset + by_offset[i - 1].size) {
      error = "parameters " + std::to_string(by_offset[i - 1].ordinal) + " and " +
              std::to_string(by_offset[i].ordinal) + " overlap";
      return false;
    }
  if (have_bank_size && end > bank_size) {
    error = "parameters end at byte " + std::to_string(end) + ", past the parameter bank size " +
            std::to_string(bank_size);
    return false;
  }
  k.param_bytes = have_bank_size ? bank_size : end;
  return true;
}

}  // namespace

KernelParse parse_kernel_params(std::string_view cubin) {
  KernelParse out;
  auto image = elf::ElfImage::from_bytes(cubin);
  if (!image) {
    out.error = "not an ELF64 little-endian cubin (or its section table is outside the data)";
    return out;
  }
  for (const auto& s : image->sections()) {
    if (s.name.size() <= kInfoPrefix.size() || s.name.substr(0, kInfoPrefix.size()) != kInfoPrefix)
      continue;
    KernelInfo k;
    k.name = std::string(s.name.substr(kInfoPrefix.size()));
    std::string_view info = image->contents(s);
    if (info.size() != s.size) {
      out.error = "kernel " + k.name + ": .nv.info section lies outside the cubin";
      return out;
    }
    std::string error;
    if (!parse_info(info, k, error)) {
      out.error = "kernel " + k.name + ": " + error;
      return out;
    }
    out.kernels.push_back(std::move(k));
  }
  return out;
}

}  // namespace remora::cuda
