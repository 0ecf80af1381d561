#include "remora/elf/elf_image.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace remora::elf {

std::unique_ptr<ElfImage> ElfImage::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  // A folder or device opens but is not a library: only regular files are.
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 64) {
    ::close(fd);
    return nullptr;
  }
  auto size = static_cast<std::uint64_t>(st.st_size);
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return nullptr;
  std::unique_ptr<ElfImage> image(new ElfImage(static_cast<const char*>(map), size));
  image->mapped_ = true;
  if (!image->check_header() || !image->load_sections()) return nullptr;
  return image;
}

std::unique_ptr<ElfImage> ElfImage::from_bytes(std::string_view bytes) {
  if (bytes.size() < 64) return nullptr;
  std::unique_ptr<ElfImage> image(new ElfImage(nullptr, bytes.size()));
  image->owned_.assign(bytes);
  image->data_ = image->owned_.data();
  if (!image->check_header() || !image->load_sections()) return nullptr;
  return image;
}

bool ElfImage::check_header() const {
  return size_ >= 64 && std::memcmp(data_, "\x7f" "ELF", 4) == 0 && data_[4] == 2 /* 64-bit */ &&
         data_[5] == 1 /* little-endian */;
}

ElfImage::~ElfImage() {
  if (mapped_) munmap(const_cast<char*>(data_), size_);
}

bool ElfImage::load_sections() {
  std::uint64_t shoff = 0;
  std::uint16_t shentsize = 0, shnum = 0;
  if (!read(0x28, shoff) || !read(0x3A, shentsize) || !read(0x3C, shnum) || shentsize < 64) return false;
  // A hostile header may claim 65535 sections: check the table fits before allocating.
  if (shnum != 0 && (shoff > size_ || std::uint64_t{shnum} * shentsize > size_ - shoff)) return false;
  sections_.resize(shnum);
  std::vector<std::uint32_t> name_offsets(shnum);
  for (std::uint16_t i = 0; i < shnum; ++i) {
    std::uint64_t base = shoff + std::uint64_t{i} * shentsize;
    Section& s = sections_[i];
    if (!read(base, name_offsets[i]) || !read(base + 4, s.type) || !read(base + 0x10, s.address) ||
        !read(base + 0x18, s.offset) || !read(base + 0x20, s.size) || !read(base + 0x28, s.link) ||
        !read(base + 0x2C, s.info) || !read(base + 0x38, s.entsize))
      return false;
  }
  // Names are optional to the readers of dynamic symbols: a bad e_shstrndx leaves them "".
  std::uint16_t shstrndx = 0;
  if (read(0x3E, shstrndx) && shstrndx < shnum) {
    const Section& names = sections_[shstrndx];
    for (std::uint16_t i = 0; i < shnum; ++i)
      if (names.offset <= size_ && name_offsets[i] < names.size) {
        std::string_view n = c_string(names.offset + name_offsets[i]);
        // A name may not run past its own table.
        if (name_offsets[i] + n.size() < names.size) sections_[i].name = n;
      }
  }
  return true;
}

const Section* ElfImage::find_named(std::string_view name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

std::uint16_t ElfImage::machine() const {
  std::uint16_t m = 0;
  read(0x12, m);
  return m;
}

std::string_view ElfImage::contents(const Section& s) const {
  if (s.type == 8 /* SHT_NOBITS */ || s.offset > size_ || s.size > size_ - s.offset) return {};
  return {data_ + s.offset, static_cast<std::size_t>(s.size)};
}

const Section* ElfImage::find(std::uint32_t type) const {
  for (const auto& s : sections_)
    if (s.type == type) return &s;
  return nullptr;
}

std::string_view ElfImage::c_string(std::uint64_t off) const {
  if (off >= size_) return {};
  const char* start = data_ + off;
  const void* end = std::memchr(start, '\0', size_ - off);
  return {start, end ? static_cast<std::size_t>(static_cast<const char*>(end) - start) : size_ - off};
}

}  // namespace remora::elf
