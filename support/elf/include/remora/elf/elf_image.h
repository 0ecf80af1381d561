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
  std::uint32_t info = 0;
  std::uint64_t address = 0;  // sh_addr: where a loaded section lives (0 in relocatable files)
  std::string_view name;      // from the section-name string table ("" when it has none)
};

// Section types this project reads.
inline constexpr std::uint32_t kDynSym = 11, kDynamic = 6, kVerDef = 0x6ffffffd, kVerSym = 0x6fffffff;

class ElfImage {
 public:
  // nullptr when the path is not a regular, readable ELF64 little-endian file.
  static std::unique_ptr<ElfImage> open(const std::string& path);
  // The same checks on bytes already in memory (a cubin inside a fat binary); the
  // image keeps its own copy. nullptr when they are not a well-formed ELF64 LE header.
  static std::unique_ptr<ElfImage> from_bytes(std::string_view bytes);
  ~ElfImage();
  ElfImage(const ElfImage&) = delete;
  ElfImage& operator=(const ElfImage&) = delete;

  const std::vector<Section>& sections() const { return sections_; }
  // The first section of a type, or nullptr.
  const Section* find(std::uint32_t type) const;
  // The first section with this name, or nullptr.
  const Section* find_named(std::string_view name) const;
  // e_machine (62: x86-64, 190: NVIDIA CUDA).
  std::uint16_t machine() const;
  // A section's bytes; empty when its range lies outside the file (or it is SHT_NOBITS).
  std::string_view contents(const Section& s) const;
  std::string_view bytes() const { return {data_, static_cast<std::size_t>(size_)}; }
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
  bool check_header() const;
  const char* data_;
  std::uint64_t size_;
  std::string owned_;  // from_bytes' copy (data_ points into it); empty for a mapped file
  bool mapped_ = false;
  std::vector<Section> sections_;
};

}  // namespace remora::elf
