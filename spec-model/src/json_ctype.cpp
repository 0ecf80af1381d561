// JSON form of the typed C model (ctype.h): one object per layer,
//   {"kind": "pointer", "const": true, "to": {"kind": "int", "name": "char"}}
// Sparse like the rest of the format: false flags, unknown sizes and empty
// lists are omitted, and the reader reads back an equal model.
#include "json_object_reader.h"

namespace remora::spec {

namespace {

using detail::ObjectReader;

// Derived types nest (pointer to pointer to ...); a hostile document must not
// turn that into unbounded recursion.
constexpr int kMaxCTypeDepth = 32;

CType read_layer(const Json& j, const std::string& where, SpecIssues& issues, int depth);

Box<CType> read_box(ObjectReader& r, const char* key, int depth) {
  const Json* j = r.get(key);
  if (!j) return {};
  return Box<CType>(read_layer(*j, r.where() + "." + key, r.issues(), depth + 1));
}

CType read_layer(const Json& j, const std::string& where, SpecIssues& issues, int depth) {
  CType t;
  if (depth >= kMaxCTypeDepth) {
    issues.error(where, "ctype nested more than " + std::to_string(kMaxCTypeDepth) + " levels deep");
    return t;
  }
  ObjectReader r(j, where, issues, "ctype");
  if (!r.read_enum("kind", t.kind, ctype_kind_from_string) && r.is_object() && !r.has("kind"))
    issues.error(where, "ctype needs a kind (allowed: " + detail::allowed_values<CTypeKind>() + ")");
  r.read("name", t.name);
  r.read("const", t.is_const);
  r.read("volatile", t.is_volatile);
  r.read("record", t.record);
  if (!t.record.empty() && t.record != "struct" && t.record != "union")
    issues.error(where, "unknown record \"" + t.record + "\" (allowed: struct, union)");
  r.read("complete", t.complete);
  r.read("tagless", t.tagless);
  t.to = read_box(r, "to", depth);
  if (r.has("extent")) {
    long long extent = -1;
    r.read("extent", extent);
    if (extent < 0) issues.error(where, "array extent " + std::to_string(extent) + " is negative");
    t.extent = extent;
  }
  t.returns = read_box(r, "returns", depth);
  if (const Json* list = r.get("params")) {
    if (!list->is_array()) {
      r.type_error("params", "an array", *list);
    } else {
      for (std::size_t i = 0; i < list->size(); ++i)
        t.params.push_back(read_layer((*list)[i], where + ".params[" + std::to_string(i) + "]", issues, depth + 1));
    }
  }
  r.read("variadic", t.variadic);
  r.read("size", t.size);
  r.read("align", t.align);
  bool derived = t.kind == CTypeKind::Pointer || t.kind == CTypeKind::Array || t.kind == CTypeKind::Typedef;
  if (derived && !t.to) issues.error(where, std::string(to_string(t.kind)) + " ctype needs \"to\" (what it refers to)");
  bool named = t.kind == CTypeKind::Typedef || t.kind == CTypeKind::Record || t.kind == CTypeKind::Enum ||
               t.kind == CTypeKind::Int || t.kind == CTypeKind::Float;
  if (named && t.name.empty()) issues.error(where, std::string(to_string(t.kind)) + " ctype needs a name");
  return t;
}

}  // namespace

Json ctype_to_json(const CType& t) {
  Json j = Json::object();
  j["kind"] = to_string(t.kind);
  if (!t.name.empty()) j["name"] = t.name;
  if (t.is_const) j["const"] = true;
  if (t.is_volatile) j["volatile"] = true;
  if (!t.record.empty()) j["record"] = t.record;
  if (!t.complete) j["complete"] = false;
  if (t.tagless) j["tagless"] = true;
  if (t.extent) j["extent"] = *t.extent;
  if (t.to) j["to"] = ctype_to_json(*t.to);
  if (t.returns) j["returns"] = ctype_to_json(*t.returns);
  if (!t.params.empty()) {
    Json list = Json::array();
    for (const auto& p : t.params) list.push_back(ctype_to_json(p));
    j["params"] = std::move(list);
  }
  if (t.variadic) j["variadic"] = true;
  if (t.size >= 0) j["size"] = t.size;
  if (t.align >= 0) j["align"] = t.align;
  return j;
}

CType ctype_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  return read_layer(j, where, issues, 0);
}

}  // namespace remora::spec
