// Symbol versions of the real vendor library (ELF .gnu.version_d), so the guest
// library can export each function under the same version node. Programs linked
// against the real library then load the guest one without the dynamic loader's
// "no version information available" warning.
#include "elf_versions.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace remora::codegen {
namespace {

template <class T>
bool read_at(const std::string& img, std::uint64_t off, T& out) {
  if (off > img.size() || sizeof(T) > img.size() - off) return false;
  std::memcpy(&out, img.data() + off, sizeof(T));
  return true;
}

std::string c_string(const std::string& img, std::uint64_t off) {
  if (off >= img.size()) return "";
  auto end = img.find('\0', off);
  return img.substr(off, end == std::string::npos ? std::string::npos : end - off);
}

struct Section {
  std::uint32_t type = 0;
  std::uint64_t offset = 0, size = 0, entsize = 0;
  std::uint32_t link = 0;
};

}  // namespace

SymbolVersions read_symbol_versions(const std::string& path) {
  SymbolVersions out;
  // A folder or device opens as a stream but cannot be read: only regular files are libraries.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) return out;
  std::string img((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return out;
  if (img.size() < 64 || img.compare(0, 4, "\x7f" "ELF") != 0 || img[4] != 2 /* 64-bit */) return out;
  std::uint64_t shoff = 0;
  std::uint16_t shentsize = 0, shnum = 0;
  if (!read_at(img, 0x28, shoff) || !read_at(img, 0x3A, shentsize) || !read_at(img, 0x3C, shnum) || shentsize < 64)
    return out;
  std::vector<Section> sections(shnum);
  for (std::uint16_t i = 0; i < shnum; ++i) {
    std::uint64_t base = shoff + std::uint64_t{i} * shentsize;
    Section& s = sections[i];
    if (!read_at(img, base + 4, s.type) || !read_at(img, base + 0x18, s.offset) || !read_at(img, base + 0x20, s.size) ||
        !read_at(img, base + 0x28, s.link) || !read_at(img, base + 0x38, s.entsize))
      return out;
  }
  const Section *dynsym = nullptr, *versym = nullptr, *verdef = nullptr;
  for (const auto& s : sections) {
    if (s.type == 11) dynsym = &s;
    if (s.type == 0x6fffffff) versym = &s;
    if (s.type == 0x6ffffffd) verdef = &s;
  }
  if (!dynsym || !versym || !verdef || dynsym->link >= shnum || verdef->link >= shnum) return out;
  const Section& dynstr = sections[dynsym->link];
  const Section& verstr = sections[verdef->link];
  // Version definitions: index -> (name, parent).
  std::map<std::uint16_t, std::pair<std::string, std::string>> defs;
  std::uint64_t off = verdef->offset;
  for (int guard = 0; guard < 4096; ++guard) {
    std::uint16_t flags = 0, ndx = 0, cnt = 0;
    std::uint32_t aux = 0, next = 0;
    if (!read_at(img, off + 2, flags) || !read_at(img, off + 4, ndx) || !read_at(img, off + 6, cnt) ||
        !read_at(img, off + 12, aux) || !read_at(img, off + 16, next))
      break;
    std::string name, parent;
    std::uint32_t name_off = 0, aux_next = 0;
    if (cnt > 0 && read_at(img, off + aux, name_off) && read_at(img, off + aux + 4, aux_next)) {
      name = c_string(img, verstr.offset + name_off);
      std::uint32_t parent_off = 0;
      if (cnt > 1 && read_at(img, off + aux + aux_next, parent_off)) parent = c_string(img, verstr.offset + parent_off);
    }
    if (!(flags & 1) && !name.empty()) {  // skip the base (file) version
      defs[ndx] = {name, parent};
      out.nodes.push_back({name, parent});
    }
    if (next == 0) break;
    off += next;
  }
  std::uint64_t count = dynsym->entsize ? dynsym->size / dynsym->entsize : 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint32_t name_off = 0;
    std::uint16_t shndx = 0, ver = 0;
    std::uint64_t sym = dynsym->offset + i * dynsym->entsize;
    if (!read_at(img, sym, name_off) || !read_at(img, sym + 6, shndx) || !read_at(img, versym->offset + i * 2, ver))
      break;
    if (shndx == 0 || (ver & 0x8000)) continue;  // undefined, or a non-default (hidden) version
    auto it = defs.find(static_cast<std::uint16_t>(ver & 0x7fff));
    if (it != defs.end()) out.version_of[c_string(img, dynstr.offset + name_off)] = it->second.first;
  }
  return out;
}

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
