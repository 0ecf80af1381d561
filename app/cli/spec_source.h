// Where a command's spec comes from: a remora-spec/1 JSON file or a .remora
// project (the SQLite store the studio saves reviews into). Every command that
// reads a spec goes through here, so a reviewed project is never second-class.
#pragma once

#include <string>

#include "remora/spec/json_io.h"

namespace remora::cli {

// What the file at `path` is, judged by its content, not its name.
enum class SpecSourceKind { Json, Project, Missing, Other };
SpecSourceKind spec_source_kind(const std::string& path);

// Loads and validates a spec from JSON or a project, with the same errors and
// warnings either way. Never throws; anything that is neither a JSON spec nor a
// project is an error that says what was expected.
spec::SpecLoad load_spec_source(const std::string& path);

}  // namespace remora::cli
