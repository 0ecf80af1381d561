#include "library_guess.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <string_view>
#include <unordered_set>

#include "remora/elf/dynamic_symbols.h"

namespace remora::inference {

namespace fs = std::filesystem;

std::vector<std::string> candidate_folders(const std::vector<std::string>& headers) {
  std::vector<std::string> folders{"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
                                   "/usr/local/lib", "/usr/local/lib64"};
  // Toolkits keep their libraries beside their headers (/usr/local/cuda/include -> lib64).
  for (const auto& header : headers) {
    std::error_code ec;
    fs::path dir = fs::absolute(header, ec).parent_path();
    for (int up = 0; up < 3 && dir.has_parent_path() && dir != dir.root_path(); ++up) {
      dir = dir.parent_path();
      // stubs/: link-time stand-ins a toolkit ships for a driver that is not installed.
      for (const char* lib : {"lib64", "lib", "lib/x86_64-linux-gnu", "lib64/stubs", "lib/stubs"})
        folders.push_back((dir / lib).string());
    }
  }
  return folders;
}

namespace {

bool looks_like_shared_library(const fs::path& p) {
  std::string name = p.filename().string();
  return name.rfind("lib", 0) == 0 && name.find(".so") != std::string::npos;
}

}  // namespace

std::vector<LibraryMatch> rank_libraries(const std::vector<std::string>& functions,
                                         const std::vector<std::string>& headers) {
  std::unordered_set<std::string_view> wanted(functions.begin(), functions.end());
  std::vector<LibraryMatch> found;
  std::set<std::string> seen;  // canonical paths: symlinked sonames read once
  for (const auto& folder : candidate_folders(headers)) {
    std::error_code ec;
    fs::directory_iterator it(folder, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (!looks_like_shared_library(it->path())) continue;
      std::string real = fs::weakly_canonical(it->path(), ec).string();
      if (ec || !seen.insert(real).second) continue;
      auto image = elf::ElfImage::open(real);
      if (!image) continue;
      LibraryMatch m;
      m.path = real;
      std::unordered_set<std::string_view> matched;  // a name may be defined under several versions
      elf::for_each_defined_symbol(*image, [&](const elf::DynamicSymbol& s) {
        if (!s.function || s.hidden) return;
        ++m.exported;
        if (wanted.count(s.name)) matched.insert(s.name);
      });
      m.matched = matched.size();
      if (m.matched == 0) continue;
      m.soname = elf::soname(*image);
      if (m.soname.empty()) m.soname = it->path().filename().string();
      found.push_back(std::move(m));
    }
  }
  std::sort(found.begin(), found.end(), [](const LibraryMatch& a, const LibraryMatch& b) {
    if (a.matched != b.matched) return a.matched > b.matched;
    // Share of exports that are API functions, compared without division.
    unsigned long long lhs = static_cast<unsigned long long>(a.matched) * b.exported;
    unsigned long long rhs = static_cast<unsigned long long>(b.matched) * a.exported;
    if (lhs != rhs) return lhs > rhs;
    // Same exports: the plain name over a variant build (libnvrtc.so.13, not libnvrtc.alt.so.13).
    if (a.soname.size() != b.soname.size()) return a.soname.size() < b.soname.size();
    return a.path < b.path;
  });
  return found;
}

}  // namespace remora::inference
