// Hand-built fat binaries and cubins for the malformed-input tests: small,
// exact, and available without nvcc.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace remora::cuda::test {

// A minimal ELF64 LE image (e_machine 190) with these named sections.
std::string fake_cubin(const std::vector<std::pair<std::string, std::string>>& sections);

struct FakeEntry {
  std::uint16_t kind = 2;  // cubin
  std::uint32_t arch = 80;
  std::uint64_t flags = 0x11;
  std::string payload;
};
// One 0xBA55ED50 container holding the entries.
std::string fake_fatbin(const std::vector<FakeEntry>& entries);

// EIATTR records.
std::string eiattr_half(std::uint8_t attr, std::uint16_t value);
std::string eiattr_sized(std::uint8_t attr, const std::string& value);
std::string kparam(std::uint16_t ordinal, std::uint16_t offset, std::uint32_t size);

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace remora::cuda::test
