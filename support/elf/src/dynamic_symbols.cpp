#include "remora/elf/dynamic_symbols.h"

namespace remora::elf {

void for_each_defined_symbol(const ElfImage& image, const std::function<void(const DynamicSymbol&)>& visit) {
  const Section* dynsym = image.find(kDynSym);
  const Section* dynstr = dynsym ? image.linked(*dynsym) : nullptr;
  if (!dynsym || !dynstr || dynsym->entsize < 24) return;
  const Section* versym = image.find(kVerSym);
  std::uint64_t count = dynsym->size / dynsym->entsize;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t sym = dynsym->offset + i * dynsym->entsize;
    std::uint32_t name_off = 0;
    std::uint8_t info = 0;
    std::uint16_t shndx = 0, ver = 0;
    if (!image.read(sym, name_off) || !image.read(sym + 4, info) || !image.read(sym + 6, shndx)) return;
    if (shndx == 0) continue;  // an import
    if (versym) image.read(versym->offset + i * 2, ver);
    std::uint8_t type = info & 0xf;
    DynamicSymbol s;
    s.name = image.c_string(dynstr->offset + name_off);
    s.version = static_cast<std::uint16_t>(ver & 0x7fff);
    s.hidden = (ver & 0x8000) != 0;
    s.function = type == 2 /* STT_FUNC */ || type == 10 /* STT_GNU_IFUNC */;
    if (!s.name.empty()) visit(s);
  }
}

std::string soname(const ElfImage& image) {
  const Section* dynamic = image.find(kDynamic);
  const Section* strtab = dynamic ? image.linked(*dynamic) : nullptr;
  if (!dynamic || !strtab) return "";
  for (std::uint64_t off = dynamic->offset; off + 16 <= dynamic->offset + dynamic->size; off += 16) {
    std::int64_t tag = 0;
    std::uint64_t value = 0;
    if (!image.read(off, tag) || !image.read(off + 8, value) || tag == 0 /* DT_NULL */) break;
    if (tag == 14 /* DT_SONAME */) return std::string(image.c_string(strtab->offset + value));
  }
  return "";
}

SymbolVersions read_symbol_versions(const std::string& path) {
  SymbolVersions out;
  auto image = ElfImage::open(path);
  if (!image) return out;
  const Section* verdef = image->find(kVerDef);
  const Section* verstr = verdef ? image->linked(*verdef) : nullptr;
  if (!verdef || !verstr || !image->find(kVerSym)) return out;
  // Version definitions: index -> name.
  std::map<std::uint16_t, std::string> defs;
  std::uint64_t off = verdef->offset;
  for (int guard = 0; guard < 4096; ++guard) {
    std::uint16_t flags = 0, ndx = 0, cnt = 0;
    std::uint32_t aux = 0, next = 0;
    if (!image->read(off + 2, flags) || !image->read(off + 4, ndx) || !image->read(off + 6, cnt) ||
        !image->read(off + 12, aux) || !image->read(off + 16, next))
      break;
    std::string name, parent;
    std::uint32_t name_off = 0, aux_next = 0;
    if (cnt > 0 && image->read(off + aux, name_off) && image->read(off + aux + 4, aux_next)) {
      name = image->c_string(verstr->offset + name_off);
      std::uint32_t parent_off = 0;
      if (cnt > 1 && image->read(off + aux + aux_next, parent_off)) parent = image->c_string(verstr->offset + parent_off);
    }
    if (!(flags & 1) && !name.empty()) {  // skip the base (file) version
      defs[ndx] = name;
      out.nodes.push_back({name, parent});
    }
    if (next == 0) break;
    off += next;
  }
  for_each_defined_symbol(*image, [&](const DynamicSymbol& s) {
    if (s.hidden) return;  // a non-default version: not what new links bind to
    auto it = defs.find(s.version);
    if (it != defs.end()) out.version_of[std::string(s.name)] = it->second;
  });
  return out;
}

}  // namespace remora::elf
