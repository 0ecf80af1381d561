// What a shared library exports: its soname and defined dynamic symbols with versions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "remora/elf/elf_image.h"

namespace remora::elf {

struct DynamicSymbol {
  std::string_view name;
  std::uint16_t version = 0;  // index into the version definitions (0/1: none/base)
  bool hidden = false;        // a non-default version (name@VER, not name@@VER)
  bool function = false;      // STT_FUNC or STT_GNU_IFUNC
};

// Calls `visit` for every symbol the library defines (undefined imports skipped).
void for_each_defined_symbol(const ElfImage& image, const std::function<void(const DynamicSymbol&)>& visit);

// DT_SONAME, or "" when the library has none.
std::string soname(const ElfImage& image);

struct VersionNode {
  std::string name;    // "OPENCL_1.1"
  std::string parent;  // "OPENCL_1.0" or ""
};

struct SymbolVersions {
  std::vector<VersionNode> nodes;                 // in definition order
  std::map<std::string, std::string> version_of;  // symbol -> default version node
};

// Empty when the file is missing, not ELF64, or has no version definitions.
SymbolVersions read_symbol_versions(const std::string& path);

}  // namespace remora::elf
