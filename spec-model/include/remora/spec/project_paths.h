// The files a project refers to (header, include folders, docs, traces) are
// stored so that they resolve wherever the project is opened from: relative to
// the project file and absolute, and resolved back to the one that exists.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/project_store.h"

namespace remora::spec {

// One stored path. `relative` is relative to the project file's folder;
// `absolute` is where the path pointed when the project was saved.
struct StoredPath {
  std::string relative;
  std::string absolute;
};

// `path` as given (relative to the working directory, or absolute), stored
// for a project in `project_dir`.
StoredPath store_path(const std::string& path, const std::string& project_dir);

// The path to use now. A source inside the project's folder moves with the
// project, so its relative form is tried first; one outside it (a system
// header, a shared docs folder) most likely stayed where it was, so its
// absolute form is. The other form is the fallback. When neither exists the
// preferred one is returned, so a message can name where it was looked for.
std::string resolve_path(const StoredPath& stored, const std::string& project_dir);

// A source a project (or an inference run) names that is not there.
struct MissingSource {
  std::string what;  // "header", "include folder", "docs", "trace"
  std::string path;
};

// The sources in `settings` that do not exist (at the paths as resolved).
std::vector<MissingSource> missing_sources(const ProjectSettings& settings);

}  // namespace remora::spec
