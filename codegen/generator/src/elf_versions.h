// Symbol versions of an ELF shared library (for the guest library's version script).
#pragma once

#include <string>
#include <vector>

#include "remora/elf/dynamic_symbols.h"

namespace remora::codegen {

using elf::SymbolVersions;
using elf::read_symbol_versions;

// A GNU ld version script exporting `exported` under their versions ("" if none apply).
std::string version_script(const SymbolVersions& versions, const std::vector<std::string>& exported);
// Where the dynamic loader would find a soname in the usual system folders ("" if nowhere).
std::string find_library(const std::string& soname);

}  // namespace remora::codegen
