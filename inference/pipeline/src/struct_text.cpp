#include "remora/inference/struct_text.h"

#include <algorithm>
#include <cstdio>

#include "remora/inference/annotation_text.h"
#include "remora/inference/fusion.h"

namespace remora::inference {

namespace {

bool annotated(const spec::StructField& f) {
  return !f.evidence.empty() || f.status != spec::ReviewStatus::Inferred ||
         (!f.ctype.empty() && spec::needs_marshalling(f.ctype));
}

std::string member_declaration(const spec::StructField& f) {
  std::string out = f.ctype.empty() ? declare(f.type, f.name) : spec::declare(f.ctype, f.name);
  if (f.bit_width >= 0) out += " : " + std::to_string(f.bit_width);
  return out;
}

}  // namespace

std::string annotated_member(const spec::StructField& f) {
  std::string out = member_declaration(f) + ";";
  if (!annotated(f)) return out;
  char confidence[16];
  std::snprintf(confidence, sizeof confidence, "%.2f", f.confidence);
  bool kind_known = f.status != spec::ReviewStatus::Inferred ||
                    std::any_of(f.evidence.begin(), f.evidence.end(), [](const auto& e) { return e.says.kind.has_value(); });
  out += "  [" + (kind_known ? describe_annotation(f.ann) : std::string("kind unknown")) + "] " + confidence;
  // A reviewer's decision shows as such, as `remora diff` counts it.
  if (f.status != spec::ReviewStatus::Inferred) out += " " + std::string(spec::to_string(f.status));
  if (needs_review(f)) out += f.conflicts.empty() ? "  <- review" : "  <- review: conflicting evidence";
  return out;
}

bool has_struct_annotations(const spec::Type& t) {
  if (t.kind != spec::TypeKind::Struct) return false;
  if (!t.supported || !t.tag.field.empty()) return true;
  for (const auto& f : t.fields)
    if (annotated(f)) return true;
  return false;
}

std::string annotated_struct(const spec::Type& t) {
  std::string out = (t.record.empty() ? "struct" : t.record) + " " + t.name + " {";
  for (const auto& f : t.fields) out += "\n    " + annotated_member(f);
  out += "\n}";
  std::vector<std::string> traits;
  if (t.size >= 0) traits.push_back("size " + std::to_string(t.size));
  if (!t.tag.field.empty())
    traits.push_back("tag " + t.tag.field + (t.tag.value.empty() ? " (value unknown)" : " = " + t.tag.value));
  if (!t.supported) traits.push_back("CANNOT BE DEEP-COPIED: " + t.unsupported_reason);
  if (!traits.empty()) {
    out += "  [";
    for (std::size_t i = 0; i < traits.size(); ++i) out += (i ? ", " : "") + traits[i];
    out += "]";
  }
  return out;
}

}  // namespace remora::inference
