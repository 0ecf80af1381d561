// JSON forms of the pieces of a remora-spec/1 document (one annotation, one
// param, one function, ...). json_io.h reads and writes whole documents with
// these; the project store and the studio use them for single items (e.g. the
// "before"/"after" JSON of a review event).
//
// Writers are sparse where a default is obvious (nullable:false, empty
// strings and lists are omitted) but a parameter always states direction and
// kind. Readers never throw: problems become issues tagged with `where`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "remora/spec/json_io.h"
#include "remora/spec/model.h"

namespace remora::spec {

using Json = nlohmann::ordered_json;

// Collects the problems found while reading.
struct SpecIssues {
  std::vector<SpecIssue> errors;
  std::vector<SpecIssue> warnings;
  void error(std::string where, std::string message) {
    errors.push_back({std::move(where), std::move(message)});
  }
  void warning(std::string where, std::string message) {
    warnings.push_back({std::move(where), std::move(message)});
  }
};

// ---- writing
Json sync_to_json(const Sync& s);
// Function::cacheable and Function::in_order: "" -> false, "true" -> true, a predicate -> its text.
Json cacheable_to_json(const std::string& c);
// Annotation fields only (no name/type). `always_direction`: write "direction"
// even when it is the default `in` (parameters do; return values and elements don't).
Json annotation_to_json(const Annotation& a, bool always_direction);
Json patch_to_json(const AnnotationPatch& p);
Json ctype_to_json(const CType& t);
Json field_to_json(const StructField& f);
Json evidence_to_json(const Evidence& e);
Json param_to_json(const Param& p);
Json return_to_json(const ReturnValue& r);
Json function_to_json(const Function& f);
Json type_to_json(const Type& t);
Json api_to_json(const ApiInfo& a);
Json spec_to_json(const Spec& s);

// ---- reading (each returns what it could read; issues say what was wrong)
Sync sync_from_json(const Json& j, const std::string& where, SpecIssues& issues);
Annotation annotation_from_json(const Json& j, const std::string& where, SpecIssues& issues);
AnnotationPatch patch_from_json(const Json& j, const std::string& where, SpecIssues& issues);
CType ctype_from_json(const Json& j, const std::string& where, SpecIssues& issues);
StructField field_from_json(const Json& j, const std::string& where, SpecIssues& issues);
Evidence evidence_from_json(const Json& j, const std::string& where, SpecIssues& issues);
Param param_from_json(const Json& j, const std::string& where, SpecIssues& issues);
ReturnValue return_from_json(const Json& j, const std::string& where, SpecIssues& issues);
Function function_from_json(const Json& j, SpecIssues& issues);
Type type_from_json(const Json& j, const std::string& where, SpecIssues& issues);
ApiInfo api_from_json(const Json& j, SpecIssues& issues);
// Whole document, including the "format" check (no semantic validation).
Spec spec_from_json(const Json& j, SpecIssues& issues);

// validate_spec() with the warnings too (buffer without size, unnamed param, ...).
void validate_spec_into(const Spec& spec, SpecIssues& issues);
// The part of it that guards generated code (c_names.h): names, type spellings, api fields.
void validate_names_into(const Spec& spec, SpecIssues& issues);

// Parses JSON text; on a syntax error returns nullopt and records an issue with
// the line and column ("line 12, column 5: syntax error ...").
std::optional<Json> parse_json_text(const std::string& text, SpecIssues& issues);

// Deepest array/object nesting a document may have (a spec needs about 10):
// checked by a linear pre-scan before any parser or reader recurses over it.
inline constexpr int kMaxJsonDepth = 64;
// Byte offset of the bracket that nests deeper than `max_depth`, or nullopt.
std::optional<std::size_t> json_too_deep(const std::string& text, int max_depth = kMaxJsonDepth);

}  // namespace remora::spec
