// remora-spec/1 JSON import/export with validation.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::spec {

inline constexpr const char* kSpecFormat = "remora-spec/1";

struct SpecIssue {
  std::string where;    // "clGetDeviceInfo.param_value" or "types[3]" or "" for the document
  std::string message;  // "size refers to missing parameter 'param_size'"
};

struct SpecLoad {
  Spec spec;
  std::vector<SpecIssue> errors;    // non-empty: the spec is unusable
  std::vector<SpecIssue> warnings;  // usable but suspicious
  bool ok() const { return errors.empty(); }
};

// Parse and validate. Never throws on bad input; every problem is an issue.
SpecLoad spec_from_json_text(const std::string& text);
SpecLoad load_spec_file(const std::string& path);

std::string spec_to_json_text(const Spec& spec, int indent = 2);
// Atomic: writes a temporary file and renames it over `path`. Throws std::runtime_error.
void save_spec_file(const Spec& spec, const std::string& path);

// Validation of an in-memory spec (the same checks load runs).
std::vector<SpecIssue> validate_spec(const Spec& spec);
// Only the checks that keep spec text out of generated code as code: every name
// and type spelling codegen pastes is a C name / C type, api fields are plain
// (c_names.h). `remora generate` refuses a spec that fails them.
std::vector<SpecIssue> validate_generated_names(const Spec& spec);

std::string format_issue(const SpecIssue& issue);

}  // namespace remora::spec
