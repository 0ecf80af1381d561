// Fusion of struct members: each annotated member is weighed like a parameter
// (same fields, weights and conflict rules), then each struct is marked
// unsupported when a pointer member cannot be copied: its kind is unknown, it
// is an array without a size, or it leads to another struct that cannot be.
#include <algorithm>
#include <map>

#include "remora/inference/fusion.h"

namespace remora::inference {

namespace {

bool kind_known(const spec::StructField& f) {
  return f.status != spec::ReviewStatus::Inferred ||
         std::any_of(f.evidence.begin(), f.evidence.end(), [](const spec::Evidence& e) { return e.says.kind.has_value(); });
}

// An array nothing sizes that the program may leave NULL: the stack carries it only
// where it is NULL, so what it points to is never copied.
bool travels_only_null(const spec::StructField& f) {
  return f.ann.kind == spec::Kind::Buffer && f.ann.size.empty() && f.ann.nullable;
}

// The struct a member holds or points to (through typedefs and arrays), "" if none.
std::string record_reached(const spec::StructField& f) {
  const spec::CType* t = &spec::bare(f.ctype);
  if (travels_only_null(f) && t->kind == spec::CTypeKind::Pointer) return "";  // never followed
  for (int guard = 0; guard < 8 && t; ++guard) {
    if (t->kind == spec::CTypeKind::Record) return t->name;
    bool through = t->kind == spec::CTypeKind::Array ||
                   (t->kind == spec::CTypeKind::Pointer && (f.ann.kind == spec::Kind::Element || f.ann.kind == spec::Kind::Buffer));
    if (!through || !t->to) return "";
    t = &spec::bare(*t->to);
  }
  return "";
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// This struct's own problems, ignoring the structs it reaches.
std::string own_problems(const spec::Type& t) {
  std::vector<std::string> unknown_kind, unknown_size;
  for (const auto& f : t.fields) {
    if (f.ctype.empty() ? f.type.find('*') == std::string::npos : !spec::needs_marshalling(f.ctype)) continue;
    // Nothing says what it points to: where the program may leave it NULL, only NULL travels.
    if (!kind_known(f)) {
      if (!f.ann.nullable) unknown_kind.push_back("'" + f.name + "'");
    }
    // One the program may leave NULL travels where it does (the stack fails a call that sets it).
    else if (f.ann.kind == spec::Kind::Buffer && f.ann.size.empty() && !travels_only_null(f))
      unknown_size.push_back("'" + f.name + "'");
  }
  std::vector<std::string> reasons;
  if (!unknown_kind.empty())
    reasons.push_back("no evidence says how to copy pointer member " + join(unknown_kind) + " (annotate the kind)");
  if (!unknown_size.empty()) reasons.push_back("array size unknown for member " + join(unknown_size) + " (annotate the size)");
  return join(reasons);
}

}  // namespace

FusionExplanation explain_field(const spec::StructField& field) { return explain_param(spec::as_param(field)); }

void fuse_field(spec::StructField& field) {
  if (field.evidence.empty() && field.status == spec::ReviewStatus::Inferred) return;  // a plain value member
  spec::Param p = spec::as_param(field);
  fuse_param(p);
  field.ann = p.ann;
  field.confidence = p.confidence;
  field.conflicts = p.conflicts;
}

bool needs_review(const spec::StructField& field) {
  if (field.evidence.empty() && field.status == spec::ReviewStatus::Inferred) {
    return !field.ctype.empty() && spec::needs_marshalling(field.ctype);
  }
  return needs_review(spec::as_param(field));
}

void fuse_types(spec::Spec& spec) {
  std::map<std::string, spec::Type*> structs;
  for (auto& t : spec.types) {
    if (t.kind == spec::TypeKind::Callback)
      for (auto& f : t.fields) fuse_field(f);  // its arguments
    if (t.kind != spec::TypeKind::Struct) continue;
    for (auto& f : t.fields) fuse_field(f);
    structs[t.name] = &t;
  }
  // Own problems first, then what a struct inherits from the structs it holds
  // or points to, until nothing changes (a chain of nested structs).
  std::map<std::string, std::string> reason;
  for (auto& [name, t] : structs) {
    // Refused before fusion, for a reason its members no longer show (a member C++
    // cannot name: record_types.cpp): that reason stands.
    if (!t->supported && t->fields.empty() && !t->unsupported_reason.empty()) reason[name] = t->unsupported_reason;
    else if (std::string r = own_problems(*t); !r.empty()) reason[name] = r;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& [name, t] : structs) {
      if (reason.count(name)) continue;
      for (const auto& f : t->fields) {
        std::string inner = record_reached(f);
        if (inner.empty() || inner == name || !reason.count(inner)) continue;
        reason[name] = "member '" + f.name + "' holds struct " + inner + ", which cannot be copied";
        changed = true;
        break;
      }
    }
  }
  for (auto& [name, t] : structs) {
    auto it = reason.find(name);
    t->supported = it == reason.end();
    t->unsupported_reason = t->supported ? "" : it->second;
  }
}

}  // namespace remora::inference
