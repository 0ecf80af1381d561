// Fat binaries as nvcc embeds them in host programs: the containers of the
// `.nv_fatbin` section (magic 0xBA55ED50), each holding PTX and cubin (ELF)
// entries for one or more GPU architectures. The guest of a remoted CUDA stack
// ships these to the server and reads kernel parameter layouts from the cubins.
// The format is undocumented by NVIDIA; docs/cuda-fatbin.md records what is known
// and which fields this reader relies on. Every read is bounds-checked: a
// truncated or hostile file gives an error string, never a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace remora::cuda {

inline constexpr std::uint32_t kFatbinMagic = 0xBA55ED50;         // container header
inline constexpr std::uint32_t kFatbinWrapperMagic = 0x466243b1;  // __cudaFatBinaryWrapper

enum class EntryKind { Ptx, Cubin, Unknown };
enum class Compression { None, Lz4, Zstd, Unknown };

struct FatbinEntry {
  EntryKind kind = EntryKind::Unknown;
  std::uint16_t raw_kind = 0;  // 1: PTX, 2: ELF cubin
  std::uint32_t arch = 0;      // 80 for sm_80 / compute_80
  std::uint64_t flags = 0;     // 0x1 64-bit, 0x10 Linux host, 0x2000 LZ4, 0x8000 ZSTD
  Compression compression = Compression::None;
  std::uint64_t uncompressed_size = 0;  // the header's claim when compressed, else payload size
  std::uint64_t file_offset = 0;        // of the entry header, within the bytes parsed
  std::string payload;                  // the bytes as stored (compressed when compression != None)
};

struct FatbinContainer {
  std::uint64_t file_offset = 0;  // of the 0xBA55ED50 header
  std::uint16_t version = 0;
  std::vector<FatbinEntry> entries;
};

struct FatbinParse {
  std::vector<FatbinContainer> containers;
  std::string error;  // empty on success; the first problem found otherwise
  bool ok() const { return error.empty(); }
};

// Containers laid end to end (the `.nv_fatbin` section, or a `.fatbin` file),
// zero padding between them allowed. `base` is added to offsets in messages.
FatbinParse parse_fatbin_containers(std::string_view bytes, std::uint64_t base = 0);

// A file nvcc produced: a host ELF executable / shared object / object with a
// `.nv_fatbin` section, a raw fat binary, or a lone cubin (reported as one
// container with one cubin entry).
FatbinParse read_fatbins(const std::string& path);

// One __cudaFatBinaryWrapper of `.nvFatBinSegment`: what the host stub passes to
// __cudaRegisterFatBinary. `container_offset` is the file offset of the container
// `data` points to, or 0 when that address is not inside `.nv_fatbin` (e.g. left
// for a relocation to fill in).
struct FatbinWrapper {
  std::uint32_t version = 0;
  std::uint64_t data_address = 0;
  std::uint64_t container_offset = 0;
};
// The wrappers of a host ELF file; empty with `error` set when it has none or they
// are malformed (wrong magic, section outside the file).
std::vector<FatbinWrapper> read_wrappers(const std::string& path, std::string& error);

// The total length (header + entries) of the container starting at `header`, from
// its first 16 bytes; 0 when they do not start with 0xBA55ED50 or are too short.
// The guest uses it on wrapper->data to know how many bytes to hash and ship.
std::uint64_t container_length(std::string_view header);

std::string_view kind_name(EntryKind kind);
std::string_view compression_name(Compression c);

// The cubin images of all containers (uncompressed ones only), plus, in
// `skipped`, one line per compressed cubin this reader cannot decompress.
std::vector<const FatbinEntry*> cubins(const FatbinParse& parse,
                                       std::vector<std::string>* skipped = nullptr);

}  // namespace remora::cuda
