#include "spec_source.h"

#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>

#include "remora/spec/project_store.h"

namespace remora::cli {

namespace {

// Every SQLite 3 database starts with this 16-byte header (including the NUL).
constexpr char kSqliteMagic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                   'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};

spec::SpecLoad failed(const std::string& message) {
  spec::SpecLoad out;
  out.errors.push_back({"", message});
  return out;
}

}  // namespace

SpecSourceKind spec_source_kind(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return SpecSourceKind::Missing;
  std::ifstream in(path, std::ios::binary);
  if (!in) return SpecSourceKind::Missing;
  char head[sizeof kSqliteMagic] = {};
  in.read(head, sizeof head);
  if (in.gcount() == sizeof head && std::memcmp(head, kSqliteMagic, sizeof head) == 0)
    return SpecSourceKind::Project;
  // A JSON document starts (after white space) with '{'; an empty file is left
  // to the JSON reader, which names that problem itself.
  for (std::streamsize i = 0; i < in.gcount(); ++i) {
    char c = head[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' ? SpecSourceKind::Json : SpecSourceKind::Other;
  }
  return SpecSourceKind::Json;
}

spec::SpecLoad load_spec_source(const std::string& path) {
  switch (spec_source_kind(path)) {
    case SpecSourceKind::Missing:
      // The JSON reader words "no such file" and "is a directory" well.
      return spec::load_spec_file(path);
    case SpecSourceKind::Other:
      return failed(path +
                    " is neither a remora-spec/1 JSON spec nor a .remora project; give a spec "
                    "written by `remora infer -o` or `remora export`, or a project from "
                    "`remora infer --project` or the studio");
    case SpecSourceKind::Json:
      return spec::load_spec_file(path);
    case SpecSourceKind::Project:
      break;
  }
  try {
    // Open only an existing file: ProjectStore::open would create a new one.
    auto store = spec::ProjectStore::open(path);
    // Through JSON text so a project gets exactly the checks a JSON spec gets.
    spec::SpecLoad out = spec::spec_from_json_text(spec::spec_to_json_text(store->load_spec()));
    for (auto* list : {&out.errors, &out.warnings})
      for (auto& issue : *list)
        issue.where = issue.where.empty() ? path : path + ": " + issue.where;
    return out;
  } catch (const std::exception& e) {
    return failed("cannot read project " + path + ": " + e.what());
  }
}

}  // namespace remora::cli
