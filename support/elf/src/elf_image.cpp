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
  if (std::memcmp(image->data_, "\x7f" "ELF", 4) != 0 || image->data_[4] != 2 /* 64-bit */ ||
      image->data_[5] != 1 /* little-endian */ || !image->load_sections())
    return nullptr;
  return image;
}

ElfImage::~ElfImage() { munmap(const_cast<char*>(data_), size_); }

bool ElfImage::load_sections() {
  std::uint64_t shoff = 0;
  std::uint16_t shentsize = 0, shnum = 0;
  if (!read(0x28, shoff) || !read(0x3A, shentsize) || !read(0x3C, shnum) || shentsize < 64) return false;
  sections_.resize(shnum);
  for (std::uint16_t i = 0; i < shnum; ++i) {
    std::uint64_t base = shoff + std::uint64_t{i} * shentsize;
    Section& s = sections_[i];
    if (!read(base + 4, s.type) || !read(base + 0x18, s.offset) || !read(base + 0x20, s.size) ||
        !read(base + 0x28, s.link) || !read(base + 0x38, s.entsize))
      return false;
  }
  return true;
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
