#include "remora/spec/project_paths.h"

#include <filesystem>

namespace remora::spec {

namespace fs = std::filesystem;

namespace {

fs::path absolute_normal(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return (ec ? fs::path(path) : p).lexically_normal();
}

bool exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// "a/../b" inside the folder never climbs out: its relative form has no "..".
bool inside(const std::string& relative) {
  fs::path r(relative);
  return !r.empty() && r.is_relative() && (r.begin() == r.end() || *r.begin() != "..");
}

}  // namespace

StoredPath store_path(const std::string& path, const std::string& project_dir) {
  StoredPath out;
  if (path.empty()) return out;
  fs::path abs = absolute_normal(path);
  out.absolute = abs.string();
  fs::path rel = abs.lexically_relative(absolute_normal(project_dir));
  out.relative = rel.empty() ? out.absolute : rel.string();
  return out;
}

std::string resolve_path(const StoredPath& stored, const std::string& project_dir) {
  if (stored.relative.empty() && stored.absolute.empty()) return "";
  std::string from_project;
  if (!stored.relative.empty()) {
    fs::path joined = (absolute_normal(project_dir) / stored.relative).lexically_normal();
    // "dir/." normalizes to "dir/": the folder itself, spelled without the slash.
    if (!joined.has_filename() && joined.has_parent_path()) joined = joined.parent_path();
    from_project = joined.string();
  }
  std::string first = from_project, second = stored.absolute;
  if (!inside(stored.relative) || first.empty()) std::swap(first, second);
  if (first.empty()) return second;
  if (exists(first) || second.empty() || !exists(second)) return first;
  return second;
}

std::vector<MissingSource> missing_sources(const ProjectSettings& settings) {
  std::vector<MissingSource> out;
  auto check = [&](const char* what, const std::string& path) {
    if (!path.empty() && !exists(path)) out.push_back({what, path});
  };
  check("header", settings.header);
  for (const auto& dir : settings.include_dirs) check("include folder", dir);
  for (const auto& docs : settings.docs) check("docs", docs);
  for (const auto& trace : settings.traces) check("trace", trace);
  return out;
}

}  // namespace remora::spec
