#include "function_libraries.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "library_guess.h"
#include "remora/elf/dynamic_symbols.h"

namespace remora::inference {

namespace fs = std::filesystem;

namespace {

bool read_exports(const std::string& path, LibraryExports& out) {
  auto image = elf::ElfImage::open(path);
  if (!image) return false;
  out.path = path;
  if (out.soname.empty()) out.soname = elf::soname(*image);
  if (out.soname.empty()) out.soname = fs::path(path).filename().string();
  elf::for_each_defined_symbol(*image, [&](const elf::DynamicSymbol& s) {
    if (s.function && !s.hidden) out.functions.emplace_back(s.name);
  });
  std::sort(out.functions.begin(), out.functions.end());
  out.functions.erase(std::unique(out.functions.begin(), out.functions.end()), out.functions.end());
  return true;
}

// "libcuda.so.1" -> "libcuda.so": the name programs link with (-lcuda).
std::string link_name(const std::string& soname) {
  auto so = soname.find(".so");
  return so == std::string::npos ? "" : soname.substr(0, so + 3);
}

}  // namespace

LibraryExports read_library_exports(const std::string& name,
                                    const std::vector<std::string>& headers) {
  LibraryExports out;
  if (name.find('/') != std::string::npos) {
    read_exports(name, out);
    if (out.soname.empty()) out.soname = fs::path(name).filename().string();
    return out;
  }
  out.soname = name;
  const std::string stem = link_name(name).empty() ? name : link_name(name);
  std::error_code ec;
  for (const auto& folder : candidate_folders(headers)) {
    fs::path exact = fs::path(folder) / name;
    if (fs::is_regular_file(exact, ec) && read_exports(exact.string(), out)) return out;
  }
  // No file of that name: a file of the same stem that declares the soname (a stub).
  for (const auto& folder : candidate_folders(headers)) {
    fs::directory_iterator it(folder, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->path().filename().string().rfind(stem, 0) != 0) continue;
      auto image = elf::ElfImage::open(it->path().string());
      if (image && elf::soname(*image) == name && read_exports(it->path().string(), out))
        return out;
    }
  }
  return out;
}

void assign_function_libraries(spec::Spec& spec, const std::vector<LibraryExports>& libraries,
                               spec::Diagnostics& diagnostics) {
  auto add_soname = [&](const std::string& n) {
    if (!n.empty() &&
        std::find(spec.api.sonames.begin(), spec.api.sonames.end(), n) == spec.api.sonames.end())
      spec.api.sonames.push_back(n);
  };
  std::map<std::string, std::size_t> taken;
  std::size_t nowhere = 0;
  for (auto& f : spec.functions) {
    f.library.clear();
    const std::string& symbol = f.exported_symbol();
    const LibraryExports* from = nullptr;
    for (const auto& lib : libraries)
      if (std::binary_search(lib.functions.begin(), lib.functions.end(), symbol)) {
        from = &lib;
        break;
      }
    if (!from) {
      ++nowhere;
      continue;
    }
    ++taken[from->soname];
    if (from->soname != spec.api.library) f.library = from->soname;
  }
  std::string why = "functions by library (the first given that exports each):";
  for (const auto& lib : libraries) {
    add_soname(lib.soname);
    add_soname(link_name(lib.soname));
    why += " " + lib.soname + " " + std::to_string(taken[lib.soname]);
    if (lib.path.empty()) {
      why += " (no file found: pass its path)";
      diagnostics.push_back(
          {spec::Diagnostic::Severity::Warning, "", 0,
           "--library " + lib.soname +
               ": no such library in the system or toolkit folders; its functions cannot be "
               "told apart (pass the library file's path)"});
    } else {
      why += " (" + lib.path + ")";
    }
    why += ";";
  }
  why += " " + std::to_string(nowhere) + " exported by none (kept with " + spec.api.library + ")";
  diagnostics.push_back({spec::Diagnostic::Severity::Note, "", 0, why});
}

}  // namespace remora::inference
