#include "remora/cuda/fatbin.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "remora/elf/elf_image.h"

namespace remora::cuda {
namespace {

constexpr std::uint64_t kContainerHeaderSize = 16;
constexpr std::uint64_t kEntryHeaderMin = 64;  // fields read below end at 0x40
constexpr std::uint16_t kEmCuda = 190;
constexpr std::uint64_t kFlagLz4 = 0x2000;   // CUDA <= 12 `-Xfatbin -compress-all`
constexpr std::uint64_t kFlagZstd = 0x8000;  // CUDA 13: PTX is zstd-compressed by default

template <class T>
bool read_at(std::string_view bytes, std::uint64_t off, T& out) {
  if (off > bytes.size() || sizeof(T) > bytes.size() - off) return false;
  std::memcpy(&out, bytes.data() + off, sizeof(T));
  return true;
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

// One entry at `off` of `c` (the container's entries region); returns the
// offset past it, or 0 with `error` set.
std::uint64_t parse_entry(std::string_view c, std::uint64_t off, std::uint64_t base, FatbinEntry& e,
                          std::string& error) {
  std::uint32_t header_size = 0, compressed_size = 0;
  std::uint64_t payload_size = 0, uncompressed = 0;
  if (!read_at(c, off, e.raw_kind) || !read_at(c, off + 4, header_size) ||
      !read_at(c, off + 8, payload_size)) {
    error = "fat binary entry at " + hex(base + off) + " is truncated";
    return 0;
  }
  if (header_size < kEntryHeaderMin || header_size > c.size() - off) {
    error = "fat binary entry at " + hex(base + off) + " has a bad header size " + hex(header_size);
    return 0;
  }
  if (payload_size > c.size() - off - header_size) {
    error = "fat binary entry at " + hex(base + off) + " claims " + std::to_string(payload_size) +
            " payload bytes, past the end of its container";
    return 0;
  }
  read_at(c, off + 0x10, compressed_size);
  read_at(c, off + 0x1c, e.arch);
  read_at(c, off + 0x28, e.flags);
  read_at(c, off + 0x38, uncompressed);
  e.kind = e.raw_kind == 1   ? EntryKind::Ptx
           : e.raw_kind == 2 ? EntryKind::Cubin
                             : EntryKind::Unknown;
  e.file_offset = base + off;
  if (e.flags & kFlagZstd)
    e.compression = Compression::Zstd;
  else if (e.flags & kFlagLz4)
    e.compression = Compression::Lz4;
  // The payload is padded; a compressed entry says how many bytes are the stream.
  std::uint64_t stored = payload_size;
  if (e.compression != Compression::None && compressed_size != 0 && compressed_size <= payload_size)
    stored = compressed_size;
  e.uncompressed_size = e.compression == Compression::None ? stored : uncompressed;
  e.payload.assign(c.substr(off + header_size, stored));
  return off + header_size + payload_size;
}

}  // namespace

FatbinParse parse_fatbin_containers(std::string_view bytes, std::uint64_t base) {
  FatbinParse out;
  std::uint64_t off = 0;
  while (off < bytes.size()) {
    std::uint32_t magic = 0;
    if (!read_at(bytes, off, magic)) {
      // Fewer than 4 trailing bytes: padding when zero, garbage otherwise.
      if (bytes.substr(off).find_first_not_of('\0') != std::string_view::npos)
        out.error = "trailing bytes after the last fat binary at " + hex(base + off);
      break;
    }
    if (magic == 0) {  // padding between containers
      off += 4;
      continue;
    }
    if (magic != kFatbinMagic) {
      out.error =
          "no fat binary magic 0xba55ed50 at " + hex(base + off) + " (found " + hex(magic) + ")";
      return out;
    }
    FatbinContainer container;
    container.file_offset = base + off;
    std::uint16_t header_size = 0;
    std::uint64_t fat_size = 0;
    if (!read_at(bytes, off + 4, container.version) || !read_at(bytes, off + 6, header_size) ||
        !read_at(bytes, off + 8, fat_size)) {
      out.error = "fat binary header at " + hex(base + off) + " is truncated";
      return out;
    }
    if (header_size < kContainerHeaderSize || header_size > bytes.size() - off ||
        fat_size > bytes.size() - off - header_size) {
      out.error = "fat binary at " + hex(base + off) + " claims " + std::to_string(fat_size) +
                  " bytes, past the end of the data (" + std::to_string(bytes.size() - off) +
                  " left)";
      return out;
    }
    std::string_view entries = bytes.substr(off + header_size, fat_size);
    std::uint64_t entries_base = base + off + header_size;
    for (std::uint64_t e = 0; e < entries.size();) {
      FatbinEntry entry;
      e = parse_entry(entries, e, entries_base, entry, out.error);
      if (e == 0) return out;
      container.entries.push_back(std::move(entry));
    }
    out.containers.push_back(std::move(container));
    off += header_size + fat_size;
  }
  if (out.ok() && out.containers.empty()) out.error = "no fat binary found (empty data)";
  return out;
}

FatbinParse read_fatbins(const std::string& path) {
  FatbinParse out;
  if (auto image = elf::ElfImage::open(path)) {
    if (image->machine() == kEmCuda) {  // a lone cubin (nvcc -cubin)
      FatbinEntry e;
      e.kind = EntryKind::Cubin;
      e.raw_kind = 2;
      e.payload.assign(image->bytes());
      e.uncompressed_size = e.payload.size();
      out.containers.push_back({0, 0, {std::move(e)}});
      return out;
    }
    // Executables and shared objects keep it in .nv_fatbin; -rdc objects in __nv_relfatbin.
    const elf::Section* s = image->find_named(".nv_fatbin");
    if (!s) s = image->find_named("__nv_relfatbin");
    if (!s) {
      out.error = path + ": no .nv_fatbin section (not built by nvcc, or no device code)";
      return out;
    }
    std::string_view bytes = image->contents(*s);
    if (bytes.size() != s->size) {
      out.error = path + ": the .nv_fatbin section lies outside the file (truncated?)";
      return out;
    }
    out = parse_fatbin_containers(bytes, s->offset);
    if (!out.ok()) out.error = path + ": " + out.error;
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.error = path + ": cannot open";
    return out;
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::uint32_t magic = 0;
  if (!read_at(data, 0, magic) || magic != kFatbinMagic) {
    out.error = path + ": neither an ELF64 file with a .nv_fatbin section nor a fat binary";
    return out;
  }
  out = parse_fatbin_containers(data);
  if (!out.ok()) out.error = path + ": " + out.error;
  return out;
}

std::vector<FatbinWrapper> read_wrappers(const std::string& path, std::string& error) {
  std::vector<FatbinWrapper> out;
  auto image = elf::ElfImage::open(path);
  const elf::Section* seg = image ? image->find_named(".nvFatBinSegment") : nullptr;
  if (!seg) {
    error = path + ": no .nvFatBinSegment section";
    return out;
  }
  std::string_view bytes = image->contents(*seg);
  if (bytes.size() != seg->size) {
    error = path + ": .nvFatBinSegment lies outside the file";
    return out;
  }
  const elf::Section* fatbin = image->find_named(".nv_fatbin");
  // {u32 magic, u32 version, u64 data, u64 prelinked}: 24 bytes each.
  for (std::uint64_t off = 0; off + 24 <= bytes.size(); off += 24) {
    std::uint32_t magic = 0;
    FatbinWrapper w;
    read_at(bytes, off, magic);
    read_at(bytes, off + 4, w.version);
    read_at(bytes, off + 8, w.data_address);
    if (magic != kFatbinWrapperMagic) {
      error = path + ": .nvFatBinSegment entry at " + hex(seg->offset + off) + " has magic " +
              hex(magic) + ", not 0x466243b1";
      return {};
    }
    if (fatbin && w.data_address >= fatbin->address &&
        w.data_address - fatbin->address < fatbin->size)
      w.container_offset = fatbin->offset + (w.data_address - fatbin->address);
    out.push_back(w);
  }
  if (out.empty()) error = path + ": .nvFatBinSegment holds no wrapper";
  return out;
}

std::uint64_t container_length(std::string_view header) {
  std::uint32_t magic = 0;
  std::uint16_t header_size = 0;
  std::uint64_t fat_size = 0;
  if (!read_at(header, 0, magic) || magic != kFatbinMagic || !read_at(header, 6, header_size) ||
      !read_at(header, 8, fat_size) || header_size < kContainerHeaderSize ||
      fat_size > (1ull << 40))
    return 0;
  return header_size + fat_size;
}

std::string_view kind_name(EntryKind kind) {
  switch (kind) {
    case EntryKind::Ptx:
      return "ptx";
    case EntryKind::Cubin:
      return "cubin";
    case EntryKind::Unknown:
      break;
  }
  return "unknown";
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::None:
      return "none";
    case Compression::Lz4:
      return "lz4";
    case Compression::Zstd:
      return "zstd";
    case Compression::Unknown:
      break;
  }
  return "unknown";
}

std::vector<const FatbinEntry*> cubins(const FatbinParse& parse,
                                       std::vector<std::string>* skipped) {
  std::vector<const FatbinEntry*> out;
  for (const auto& c : parse.containers)
    for (const auto& e : c.entries) {
      if (e.kind != EntryKind::Cubin) continue;
      if (e.compression == Compression::None) {
        out.push_back(&e);
      } else if (skipped) {
        // No decompressor is linked (no zstd/lz4 dev headers in the build): say so.
        skipped->push_back(
            "sm_" + std::to_string(e.arch) + " cubin at " + hex(e.file_offset) + " is " +
            std::string(compression_name(e.compression)) +
            "-compressed; this reader does not decompress (rebuild without -compress-all)");
      }
    }
  return out;
}

}  // namespace remora::cuda
