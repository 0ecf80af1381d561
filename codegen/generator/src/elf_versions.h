// Symbol versions of an ELF shared library (for the guest library's version script).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace remora::codegen {

struct VersionNode {
  std::string name;    // "OPENCL_1.1"
  std::string parent;  // "OPENCL_1.0" or ""
};

struct SymbolVersions {
  std::vector<VersionNode> nodes;                  // in definition order
  std::map<std::string, std::string> version_of;  // symbol -> default version node
};

// Empty result when the file is missing, not ELF64, or has no version definitions.
SymbolVersions read_symbol_versions(const std::string& path);
// A GNU ld version script exporting `exported` under their versions ("" if none apply).
std::string version_script(const SymbolVersions& versions, const std::vector<std::string>& exported);
// Where the dynamic loader would find a soname in the usual system folders ("" if nowhere).
std::string find_library(const std::string& soname);

}  // namespace remora::codegen
