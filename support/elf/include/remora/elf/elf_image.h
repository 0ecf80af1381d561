// A read-only, memory-mapped ELF64 little-endian file with bounds-checked access.
// Libraries can be hundreds of MiB (CUDA's): mapping instead of reading means only
// the pages of the section headers and the dynamic tables are ever touched.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace remora::elf {

struct Section {
  std::uint32_t type = 0;
  std::uint64_t offset = 0, size = 0, entsize = 0;
  std::uint32_t link = 0;
};

// Section types this project reads.
inline constexpr std::uint32_t kDynSym = 11, kDynamic = 6, kVerDef = 0x6ffffffd, kVerSym = 0x6fffffff;

class ElfImage {
 public:
  // nullptr when the path is not a regular, readable ELF64 little-endian file.
  static std::unique_ptr<ElfImage> open(const std::string& path);
  ~ElfImage();
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;

  const std::vector<Section>& sections() const { return sections_; }
  // The first section of a type, or nullptr.
  const Section* find(std::uint32_t type) const;
  const Section* linked(const Section& s) const { return s.link < sections_.size() ? &sections_[s.link] : nullptr; }

  template <class T>
  bool read(std::uint64_t off, T& out) const {
    if (off > size_ || sizeof(T) > size_ - off) return false;
    std::memcpy(&out, data_ + off, sizeof(T));
    return true;
  }
  // The NUL-terminated string at an offset ("" when out of bounds).
  std::string_view c_string(std::uint64_t off) const;

 private:
  ElfImage(const char* data, std::uint64_t size) : data_(data), size_(size) {}
  bool load_sections();
  const char* data_;
  std::uint64_t size_;
  std::vector<Section> sections_;
};

}  // namespace remora::elf
