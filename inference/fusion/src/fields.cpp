#include "fields.h"

#include <cctype>

namespace remora::inference::fusion_fields {

namespace {

std::string compact(const std::string& expr) {
  std::string out;
  for (char c : expr)
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

std::optional<std::string> flag(const std::optional<bool>& v) {
  if (!v) return std::nullopt;
  return *v ? "true" : "false";
}

}  // namespace

const std::vector<Field>& value_fields() {
  static const std::vector<Field> fields = {
      {"direction", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.direction) return std::nullopt;
         return std::string(spec::to_string(*p.direction));
       },
       [](spec::Annotation& a, const std::string& v) {
         if (auto d = spec::direction_from_string(v)) a.direction = *d;
       }},
      {"kind", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.kind) return std::nullopt;
         return std::string(spec::to_string(*p.kind));
       },
       [](spec::Annotation& a, const std::string& v) {
         if (auto k = spec::kind_from_string(v)) a.kind = *k;
       }},
      {"size", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.size) return std::nullopt;
         return compact(*p.size);
       },
       [](spec::Annotation& a, const std::string& v) { a.size = v; }},
      {"size_unit", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.size_unit) return std::nullopt;
         return std::string(spec::to_string(*p.size_unit));
       },
       [](spec::Annotation& a, const std::string& v) {
         if (auto u = spec::size_unit_from_string(v)) a.size_unit = *u;
       }},
      {"element", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.element_kind) return std::nullopt;
         return std::string(spec::to_string(*p.element_kind));
       },
       [](spec::Annotation& a, const std::string& v) {
         auto k = spec::kind_from_string(v);
         if (!k) return;
         if (!a.element) a.element = spec::Box<spec::Annotation>(spec::Annotation{});
         a.element->kind = *k;
       }},
      // A buffer of buffers: what each pointed-to buffer is (binaries[i] of lengths[i] bytes).
      {"element_direction", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.element_direction) return std::nullopt;
         return std::string(spec::to_string(*p.element_direction));
       },
       [](spec::Annotation& a, const std::string& v) {
         if (!a.element) a.element = spec::Box<spec::Annotation>(spec::Annotation{});
         if (auto d = spec::direction_from_string(v)) a.element->direction = *d;
       }},
      {"element_size", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.element_size) return std::nullopt;
         return compact(*p.element_size);
       },
       [](spec::Annotation& a, const std::string& v) {
         if (!a.element) a.element = spec::Box<spec::Annotation>(spec::Annotation{});
         a.element->size = v;
       }},
      {"element_size_unit", false,
       [](const spec::AnnotationPatch& p) -> std::optional<std::string> {
         if (!p.element_size_unit) return std::nullopt;
         return std::string(spec::to_string(*p.element_size_unit));
       },
       [](spec::Annotation& a, const std::string& v) {
         if (!a.element) a.element = spec::Box<spec::Annotation>(spec::Annotation{});
         if (auto u = spec::size_unit_from_string(v)) a.element->size_unit = *u;
       }},
      {"nullable", true, [](const spec::AnnotationPatch& p) { return flag(p.nullable); },
       [](spec::Annotation& a, const std::string& v) { a.nullable = v == "true"; }},
      {"allocates", true, [](const spec::AnnotationPatch& p) { return flag(p.allocates); },
       [](spec::Annotation& a, const std::string& v) { a.allocates = v == "true"; }},
      {"deallocates", true, [](const spec::AnnotationPatch& p) { return flag(p.deallocates); },
       [](spec::Annotation& a, const std::string& v) { a.deallocates = v == "true"; }},
      {"may_hold_handles", true, [](const spec::AnnotationPatch& p) { return flag(p.may_hold_handles); },
       [](spec::Annotation& a, const std::string& v) { a.may_hold_handles = v == "true"; }},
  };
  return fields;
}

std::string sync_spelling(const spec::Sync& s) {
  switch (s.mode) {
    case spec::Sync::Mode::Sync: return "sync";
    case spec::Sync::Mode::Async: return "async";
    case spec::Sync::Mode::AsyncIf: return "async_if " + s.condition;
  }
  return "sync";
}

spec::Sync sync_from_spelling(const std::string& s) {
  if (s == "async") return {spec::Sync::Mode::Async, ""};
  if (s.rfind("async_if ", 0) == 0) return {spec::Sync::Mode::AsyncIf, s.substr(9)};
  return {};
}

}  // namespace remora::inference::fusion_fields
