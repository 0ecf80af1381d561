// The SQLite project store (.remora file): the model, all evidence, and the
// review history. Saves are transactional, so a crash mid-save leaves the
// previous state intact.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::spec {

struct ReviewEvent {
  long long id = 0;
  std::string timestamp;  // ISO-8601 UTC
  std::string function;
  std::string param;      // "" for function-level; "return" for the return value
  std::string action;     // "confirm" | "edit" | "revert" | "unsupport" | "infer"
  std::string before;     // JSON of the annotation before
  std::string after;      // JSON of the annotation after
  std::string note;
};

struct ProjectSettings {
  std::string header;                    // path of the main header
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;
  std::vector<std::string> docs;         // docs paths
  std::vector<std::string> traces;       // trace DB paths
  std::string library;                   // vendor library soname
  // An API of several headers (remora infer HEADER... --api-dir/--api-glob/--exclude):
  // more headers parsed with `header`, and which headers an umbrella includes belong to it.
  std::vector<std::string> extra_headers;
  std::vector<std::string> api_dirs;
  std::vector<std::string> api_globs;
  std::vector<std::string> excludes;
};

class ProjectStore {
 public:
  static constexpr int kSchemaVersion = 1;

  // Opens (creating if missing) and migrates. Throws std::runtime_error with
  // a message that names the file and what to do.
  static std::unique_ptr<ProjectStore> open(const std::string& path);
  virtual ~ProjectStore() = default;

  virtual int schema_version() const = 0;
  virtual Spec load_spec() const = 0;
  virtual void save_spec(const Spec& spec) = 0;  // one transaction
  virtual ProjectSettings load_settings() const = 0;
  virtual void save_settings(const ProjectSettings& s) = 0;
  virtual void append_review(const ReviewEvent& e) = 0;
  virtual std::vector<ReviewEvent> review_history(const std::string& function = "") const = 0;
  virtual std::string path() const = 0;
};

}  // namespace remora::spec
