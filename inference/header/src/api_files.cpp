#include "api_files.h"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

#include "remora/inference/text_util.h"

namespace remora::inference {

namespace fs = std::filesystem;

namespace {

std::string folder_of(const std::string& canonical) {
  std::string folder = fs::path(canonical).parent_path().string();
  if (folder.empty() || folder.back() != '/') folder += '/';
  return folder;
}

bool starts_with_any(const std::string& path, const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes)
    if (path.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

std::string canonical_path(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  std::string out = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
  return out.empty() ? path : out;
}

bool path_matches_glob(const std::string& pattern, const std::string& path) {
  if (pattern.find('/') == std::string::npos)
    return fnmatch(pattern.c_str(), base_name(path).c_str(), 0) == 0;
  return fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
}

ApiFiles::ApiFiles(const std::vector<std::string>& given, const ApiFilter& filter)
    : spelled_(given), filter_(filter) {
  for (const auto& g : given) {
    given_.push_back(canonical_path(g));
    folders_.push_back(folder_of(given_.back()));
  }
  for (const auto& dir : filter.dirs) {
    std::string d = canonical_path(dir);
    if (d.empty() || d.back() != '/') d += '/';
    api_dirs_.push_back(d);
  }
}

bool ApiFiles::is_given(const std::string& path) const {
  std::string c = canonical_path(path);
  for (const auto& g : given_)
    if (g == c) return true;
  return false;
}

void ApiFiles::add_neighbour_folder_of(const std::string& path) {
  std::string folder = folder_of(canonical_path(path));
  if (std::find(folders_.begin(), folders_.end(), folder) == folders_.end())
    folders_.push_back(folder);
}

FileRole ApiFiles::role_of(const std::string& path) const {
  std::string canonical = canonical_path(path);
  // Globs see both spellings: the one the header used and the resolved one
  // (/usr/local/cuda is usually a link to a versioned folder).
  auto matches = [&](const std::vector<std::string>& patterns) {
    for (const auto& pattern : patterns)
      if (path_matches_glob(pattern, canonical) || path_matches_glob(pattern, path)) return true;
    return false;
  };
  // Before the given headers: one named only to be included first (`stdio.h` before
  // `jpeglib.h`, which uses FILE and size_t without including them) and excluded gives
  // no function or type, while the spec's headers keep it, first, for the stack's build.
  if (matches(filter_.excludes)) return FileRole::Excluded;
  for (const auto& g : given_)
    if (g == canonical) return FileRole::Given;
  if (starts_with_any(canonical, api_dirs_) || matches(filter_.globs)) return FileRole::Selected;
  if (starts_with_any(canonical, folders_)) return FileRole::Neighbour;
  return FileRole::Other;
}

}  // namespace remora::inference
