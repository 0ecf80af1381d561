#include "fake_cubin.h"

#include <cstring>

namespace remora::cuda::test {

std::string fake_cubin(const std::vector<std::pair<std::string, std::string>>& sections) {
  std::string names("\0.shstrtab\0", 11), body;
  struct Header {
    std::uint32_t name;
    std::uint64_t offset, size;
  };
  std::vector<Header> headers;
  for (const auto& [name, data] : sections) {
    headers.push_back({static_cast<std::uint32_t>(names.size()), 64 + body.size(), data.size()});
    names += name + '\0';
    body += data;
  }
  std::uint64_t names_offset = 64 + body.size();
  body += names;
  while (body.size() % 8) body += '\0';
  std::uint64_t shoff = 64 + body.size();
  std::string elf(
      "\x7f"
      "ELF\x02\x01\x01",
      7);
  elf.resize(16, '\0');
  put<std::uint16_t>(elf, 2);    // e_type
  put<std::uint16_t>(elf, 190);  // e_machine: EM_CUDA
  put<std::uint32_t>(elf, 1);
  put<std::uint64_t>(elf, 0);  // entry
  put<std::uint64_t>(elf, 0);  // phoff
  put<std::uint64_t>(elf, shoff);
  put<std::uint32_t>(elf, 0);
  put<std::uint16_t>(elf, 64);
  put<std::uint16_t>(elf, 56);
  put<std::uint16_t>(elf, 0);
  put<std::uint16_t>(elf, 64);
  put<std::uint16_t>(elf, static_cast<std::uint16_t>(sections.size() + 2));
  put<std::uint16_t>(elf, 1);  // shstrndx
  elf += body;
  auto section = [&](std::uint32_t name, std::uint32_t type, std::uint64_t offset,
                     std::uint64_t size) {
    std::string sh(64, '\0');
    std::memcpy(&sh[0], &name, 4);
    std::memcpy(&sh[4], &type, 4);
    std::memcpy(&sh[0x18], &offset, 8);
    std::memcpy(&sh[0x20], &size, 8);
    elf += sh;
  };
  section(0, 0, 0, 0);
  section(1, 3, names_offset, names.size());
  for (const auto& h : headers) section(h.name, 0x70000000, h.offset, h.size);
  return elf;
}

std::string fake_fatbin(const std::vector<FakeEntry>& entries) {
  std::string body;
  for (const auto& e : entries) {
    put<std::uint16_t>(body, e.kind);
    put<std::uint16_t>(body, 0x0101);
    put<std::uint32_t>(body, 64);
    put<std::uint64_t>(body, e.payload.size());
    put<std::uint32_t>(body, 0);
    put<std::uint32_t>(body, 0);
    put<std::uint16_t>(body, 8);
    put<std::uint16_t>(body, 1);
    put<std::uint32_t>(body, e.arch);
    put<std::uint32_t>(body, 0);
    put<std::uint32_t>(body, 0);
    put<std::uint64_t>(body, e.flags);
    put<std::uint64_t>(body, 0);
    put<std::uint64_t>(body, 0);
    body += e.payload;
  }
  std::string out;
  put<std::uint32_t>(out, 0xBA55ED50);
  put<std::uint16_t>(out, 1);
  put<std::uint16_t>(out, 16);
  put<std::uint64_t>(out, body.size());
  return out + body;
}

std::string eiattr_half(std::uint8_t attr, std::uint16_t value) {
  std::string out{char(3), char(attr)};
  put(out, value);
  return out;
}

std::string eiattr_sized(std::uint8_t attr, const std::string& value) {
  std::string out{char(4), char(attr)};
  put(out, static_cast<std::uint16_t>(value.size()));
  return out + value;
}

std::string kparam(std::uint16_t ordinal, std::uint16_t offset, std::uint32_t size) {
  std::string v;
  put<std::uint32_t>(v, 0);
  put(v, ordinal);
  put(v, offset);
  put<std::uint32_t>(v, (size << 18) | 0x1f000);
  return eiattr_sized(0x17, v);
}

}  // namespace remora::cuda::test
