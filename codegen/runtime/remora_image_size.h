// measured(p, fmt, ...) in generated code (docs/spec-format.md, "Size expressions"):
// the length of an image whose format carries it (a module image the API takes as
// `const void *` with no size argument). Each measurer reads only the bytes below
// `limit` (the guest: what is readable from p to the end of its mapping; the server:
// what the guest sent), checks what it reads, and refuses bytes that are not a
// well-formed image of a listed format with the reason, never a guess:
//
//   fatbin  nvcc's fat binary container: 0xBA55ED50, u16 version, u16 header size,
//           u64 payload size; its entries (u32 kind, u32 header size, u64 payload size)
//           must tile the payload exactly (docs/cuda-fatbin.md).
//   elf     an ELF32/64 little-endian file: the furthest of its header, its section and
//           program header tables and the file bytes of every section and segment.
//   text    the bytes up to and including the first NUL (PTX source).
//
// Formats with a magic number are tried first; `text` takes anything else. The
// server measures what arrived again and requires the same length, so a guest cannot
// make the library read a truncated or padded image.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace remora {

struct ImageMeasure {
  long long bytes = -1;  // the image's length, or -1
  std::string format;    // which format measured it
  std::string why;       // why none did
};

namespace image_size_detail {

template <class T>
inline bool read_at(const unsigned char* p, std::uint64_t limit, std::uint64_t off, T& out) {
  if (off > limit || sizeof(T) > limit - off) return false;
  std::memcpy(&out, p + off, sizeof(T));
  return true;
}

inline bool listed(std::string_view formats, std::string_view fmt) {
  std::size_t at = 0;
  while (at <= formats.size()) {
    std::size_t end = formats.find(',', at);
    if (end == std::string_view::npos) end = formats.size();
    if (formats.substr(at, end - at) == fmt) return true;
    at = end + 1;
  }
  return false;
}

constexpr std::uint32_t kFatbinMagic = 0xBA55ED50;
constexpr std::uint32_t kFatbinWrapperMagic = 0x466243b1;

inline long long fatbin(const unsigned char* p, std::uint64_t limit, std::string& why) {
  std::uint16_t header = 0;
  std::uint64_t payload = 0;
  if (!read_at(p, limit, 6, header) || !read_at(p, limit, 8, payload)) {
    why = "a fat binary header cut short (" + std::to_string(limit) + " bytes)";
    return -1;
  }
  if (header < 16 || payload > limit || header > limit - payload) {
    why = "a fat binary whose header claims " + std::to_string(header) + " + " +
          std::to_string(payload) + " bytes, past the " + std::to_string(limit) +
          " that can be read";
    return -1;
  }
  // The entries must tile the payload: a container with a bad entry is not sent.
  std::uint64_t off = header, end = header + payload;
  while (off < end) {
    std::uint32_t entry_header = 0;
    std::uint64_t entry_payload = 0;
    if (!read_at(p, end, off + 4, entry_header) || !read_at(p, end, off + 8, entry_payload) ||
        entry_header < 16 || entry_header > end - off || entry_payload > end - off - entry_header) {
      why =
          "a fat binary whose entry at offset " + std::to_string(off) + " runs past its container";
      return -1;
    }
    off += entry_header + entry_payload;
  }
  return static_cast<long long>(end);
}

inline long long elf(const unsigned char* p, std::uint64_t limit, std::string& why) {
  unsigned char ident[16];
  if (!read_at(p, limit, 0, ident)) {
    why = "an ELF header cut short";
    return -1;
  }
  const bool is64 = ident[4] == 2;
  if ((ident[4] != 1 && ident[4] != 2) || ident[5] != 1) {
    why = "an ELF file that is not little-endian ELF32/ELF64";
    return -1;
  }
  auto field = [&](std::uint64_t off64, std::uint64_t off32, unsigned size64, std::uint64_t& out) {
    out = 0;
    if (is64) {
      if (size64 == 8) {
        std::uint64_t v;
        if (!read_at(p, limit, off64, v)) return false;
        out = v;
      } else {
        std::uint16_t v;
        if (!read_at(p, limit, off64, v)) return false;
        out = v;
      }
    } else if (size64 == 8) {
      std::uint32_t v;
      if (!read_at(p, limit, off32, v)) return false;
      out = v;
    } else {
      std::uint16_t v;
      if (!read_at(p, limit, off32, v)) return false;
      out = v;
    }
    return true;
  };
  std::uint64_t phoff, shoff, ehsize, phentsize, phnum, shentsize, shnum;
  if (!field(0x20, 0x1c, 8, phoff) || !field(0x28, 0x20, 8, shoff) ||
      !field(0x34, 0x28, 2, ehsize) || !field(0x36, 0x2a, 2, phentsize) ||
      !field(0x38, 0x2c, 2, phnum) || !field(0x3a, 0x2e, 2, shentsize) ||
      !field(0x3c, 0x30, 2, shnum)) {
    why = "an ELF header cut short";
    return -1;
  }
  const std::uint64_t min_sh = is64 ? 64 : 40, min_ph = is64 ? 56 : 32;
  if ((shnum && shentsize < min_sh) || (phnum && phentsize < min_ph) || (shoff && !shnum)) {
    why = "an ELF file with malformed (or extended) header tables";
    return -1;
  }
  std::uint64_t end = ehsize;
  auto table = [&](std::uint64_t off, std::uint64_t n, std::uint64_t entsize) {
    if (!n) return true;
    if (off > limit || n * entsize > limit - off) return false;  // n, entsize < 2^16: no overflow
    end = std::max(end, off + n * entsize);
    return true;
  };
  if (!table(shoff, shnum, shentsize) || !table(phoff, phnum, phentsize)) {
    why = "an ELF file whose header tables lie past the " + std::to_string(limit) +
          " bytes that can be read";
    return -1;
  }
  // Every section's and segment's file bytes (SHT_NOBITS occupies none).
  for (std::uint64_t i = 0; i < shnum; ++i) {
    const std::uint64_t s = shoff + i * shentsize;
    std::uint32_t type = 0;
    std::uint64_t off = 0, size = 0;
    read_at(p, limit, s + 4, type);
    if (!field(s + 0x18, s + 0x10, 8, off) || !field(s + 0x20, s + 0x14, 8, size)) return -1;
    if (type == 8 || size == 0) continue;
    if (off > limit || size > limit - off) {
      why = "an ELF file whose section " + std::to_string(i) + " lies past the " +
            std::to_string(limit) + " bytes that can be read";
      return -1;
    }
    end = std::max(end, off + size);
  }
  for (std::uint64_t i = 0; i < phnum; ++i) {
    const std::uint64_t s = phoff + i * phentsize;
    std::uint64_t off = 0, size = 0;
    if (!field(s + 8, s + 4, 8, off) || !field(s + 0x20, s + 0x10, 8, size)) return -1;
    if (size == 0) continue;
    if (off > limit || size > limit - off) {
      why = "an ELF file whose segment " + std::to_string(i) + " lies past the " +
            std::to_string(limit) + " bytes that can be read";
      return -1;
    }
    end = std::max(end, off + size);
  }
  return static_cast<long long>(end);
}

}  // namespace image_size_detail

// The length of the image at p, reading at most `limit` bytes; `formats` is measured()'s
// list, comma-separated ("fatbin,elf,text").
inline ImageMeasure measure_image(const void* image, std::uint64_t limit,
                                  std::string_view formats) {
  using namespace image_size_detail;
  ImageMeasure m;
  const auto* p = static_cast<const unsigned char*>(image);
  if (!p) {
    m.why = "NULL";
    return m;
  }
  std::uint32_t magic = 0;
  read_at(p, limit, 0, magic);
  if (listed(formats, "fatbin") && magic == kFatbinMagic) {
    m.format = "fatbin";
    m.bytes = fatbin(p, limit, m.why);
    return m;
  }
  if (listed(formats, "fatbin") && magic == kFatbinWrapperMagic) {
    m.why =
        "a fat binary wrapper (it holds a pointer to the fat binary): pass the fat binary itself";
    return m;
  }
  if (listed(formats, "elf") && limit >= 4 &&
      std::memcmp(p,
                  "\x7f"
                  "ELF",
                  4) == 0) {
    m.format = "elf";
    m.bytes = elf(p, limit, m.why);
    if (m.bytes < 0 && m.why.empty()) m.why = "an ELF file cut short";
    return m;
  }
  if (listed(formats, "text")) {
    const void* nul = std::memchr(p, 0, static_cast<std::size_t>(limit));
    m.format = "text";
    if (nul) {
      m.bytes = static_cast<const unsigned char*>(nul) - p + 1;
      return m;
    }
    m.why = "a text with no NUL in the " + std::to_string(limit) + " bytes that can be read";
    return m;
  }
  m.why = "not an image of the formats " + std::string(formats);
  return m;
}

// Generated guest code: the bytes to send for p, or -1 with the reason on stderr (the
// call then fails). `readable` bounds every read (the program may pass garbage).
inline long long measured_in_guest(const void* p, long long readable, std::uint64_t max_bytes,
                                   const char* formats, const char* what) {
  if (!p) return 0;
  std::uint64_t limit = readable < 0 ? 0 : static_cast<std::uint64_t>(readable);
  if (limit > max_bytes) limit = max_bytes;
  ImageMeasure m = measure_image(p, limit, formats);
  if (m.bytes < 0) std::fprintf(stderr, "remora: %s: cannot be sent: %s\n", what, m.why.c_str());
  return m.bytes;
}

// Generated server code: the guest sent `received` bytes; they must measure as exactly
// that many, else -1 (the call is refused).
inline long long measured_on_server(const void* p, std::uint64_t received, const char* formats,
                                    const char* what) {
  if (!p) return 0;  // no image: the library answers for NULL, as natively
  ImageMeasure m = measure_image(p, received, formats);
  if (m.bytes >= 0 && static_cast<std::uint64_t>(m.bytes) == received) return m.bytes;
  std::fprintf(
      stderr, "remora-server: %s: %llu bytes received are not one image: %s\n", what,
      static_cast<unsigned long long>(received),
      m.bytes < 0 ? m.why.c_str() : ("it measures " + std::to_string(m.bytes) + " bytes").c_str());
  return -1;
}

}  // namespace remora
