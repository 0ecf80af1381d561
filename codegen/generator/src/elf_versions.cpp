// Symbol versions of the real vendor library (ELF .gnu.version_d), so the guest
// library can export each function under the same version node. Programs linked
// against the real library then load the guest one without the dynamic loader's
// "no version information available" warning.
#include "elf_versions.h"

#include <filesystem>
#include <map>
#include <sstream>

namespace remora::codegen {

std::string version_script(const SymbolVersions& versions, const std::vector<std::string>& exported) {
  std::map<std::string, std::vector<std::string>> by_node;
  for (const auto& sym : exported) {
    auto it = versions.version_of.find(sym);
    if (it != versions.version_of.end()) by_node[it->second].push_back(sym);
  }
  if (by_node.empty()) return "";
  std::ostringstream o;
  o << "/* Symbol versions of the real library, so programs linked against it accept this one. */\n";
  for (const auto& node : versions.nodes) {
    o << node.name << " {\n";
    auto it = by_node.find(node.name);
    if (it != by_node.end() && !it->second.empty()) {
      o << "  global:\n";
      for (const auto& s : it->second) o << "    " << s << ";\n";
    }
    o << "}" << (node.parent.empty() ? "" : " " + node.parent) << ";\n";
  }
  return o.str();
}

std::string find_library(const std::string& soname) {
  if (soname.empty()) return "";
  for (const char* dir : {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                          "/usr/local/lib", "/lib"}) {
    std::string p = std::string(dir) + "/" + soname;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return "";
}

}  // namespace remora::codegen
