// Writers of the remora-spec/1 JSON pieces. Key order follows the format
// reference (docs/spec-format.md) so documents diff well under git.
#include "remora/spec/json_fragments.h"

namespace remora::spec {
namespace {

void put_if(Json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
void put_if(Json& j, const char* key, bool v) {
  if (v) j[key] = true;
}
void put_if(Json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}

Json evidence_list(const std::vector<Evidence>& list) {
  Json arr = Json::array();
  for (const auto& e : list) arr.push_back(evidence_to_json(e));
  return arr;
}

}  // namespace

Json cacheable_to_json(const std::string& c) {
  if (c.empty() || c == "false") return false;
  if (c == "true") return true;
  return c;
}

Json sync_to_json(const Sync& s) {
  switch (s.mode) {
    case Sync::Mode::Sync:
      return "sync";
    case Sync::Mode::Async:
      return "async";
    case Sync::Mode::AsyncIf:
      return Json{{"async_if", s.condition}};
  }
  return "sync";
}

Json annotation_to_json(const Annotation& a, bool always_direction) {
  Json j = Json::object();
  if (always_direction || a.direction != Direction::In) j["direction"] = to_string(a.direction);
  j["kind"] = to_string(a.kind);
  put_if(j, "size", a.size);
  if (!a.size.empty() || a.size_unit != SizeUnit::Elements) j["size_unit"] = to_string(a.size_unit);
  put_if(j, "nullable", a.nullable);
  if (a.element) j["element"] = annotation_to_json(*a.element, false);
  put_if(j, "pointee", a.pointee);
  put_if(j, "handle_type", a.handle_type);
  put_if(j, "allocates", a.allocates);
  put_if(j, "deallocates", a.deallocates);
  put_if(j, "shadow", a.shadow);
  put_if(j, "retain", a.retain);
  put_if(j, "points_into", a.points_into);
  put_if(j, "may_hold_handles", a.may_hold_handles);
  put_if(j, "error", a.error);
  return j;
}

// A patch states exactly what it claims, so false values are written too.
Json patch_to_json(const AnnotationPatch& p) {
  Json j = Json::object();
  if (p.direction) j["direction"] = to_string(*p.direction);
  if (p.kind) j["kind"] = to_string(*p.kind);
  if (p.size) j["size"] = *p.size;
  if (p.size_unit) j["size_unit"] = to_string(*p.size_unit);
  if (p.nullable) j["nullable"] = *p.nullable;
  if (p.element_kind) j["element"]["kind"] = to_string(*p.element_kind);
  if (p.element_direction) j["element"]["direction"] = to_string(*p.element_direction);
  if (p.element_size) j["element"]["size"] = *p.element_size;
  if (p.element_size_unit) j["element"]["size_unit"] = to_string(*p.element_size_unit);
  if (p.allocates) j["allocates"] = *p.allocates;
  if (p.deallocates) j["deallocates"] = *p.deallocates;
  if (p.may_hold_handles) j["may_hold_handles"] = *p.may_hold_handles;
  if (p.sync) j["sync"] = sync_to_json(*p.sync);
  if (p.barrier) j["barrier"] = *p.barrier;
  if (p.cacheable) j["cacheable"] = cacheable_to_json(*p.cacheable);
  if (p.in_order) j["in_order"] = cacheable_to_json(*p.in_order);
  if (p.changes_if) j["changes_if"] = *p.changes_if;
  return j;
}

Json evidence_to_json(const Evidence& e) {
  Json j = Json::object();
  j["source"] = to_string(e.source);
  j["says"] = patch_to_json(e.says);
  j["weight"] = e.weight;
  put_if(j, "why", e.why);
  put_if(j, "location", e.location);
  return j;
}

Json param_to_json(const Param& p) {
  Json j = Json::object();
  j["name"] = p.name;
  j["type"] = p.type;
  if (!p.ctype.empty()) j["ctype"] = ctype_to_json(p.ctype);
  Json ann = annotation_to_json(p.ann, true);  // named: items() must not outlive a temporary
  for (auto& [key, value] : ann.items()) j[key] = value;
  if (!p.when.empty()) {
    Json list = Json::array();
    for (const auto& w : p.when) {
      Json item = Json::object();
      item["if"] = w.condition;
      Json overrides = patch_to_json(w.overrides);
      for (auto& [key, value] : overrides.items()) item[key] = value;
      list.push_back(std::move(item));
    }
    j["when"] = std::move(list);
  }
  j["confidence"] = p.confidence;
  j["status"] = to_string(p.status);
  if (!p.evidence.empty()) j["evidence"] = evidence_list(p.evidence);
  put_if(j, "conflicts", p.conflicts);
  return j;
}

// A field that nobody annotated (a plain value member, or a spec from before
// field annotations) is written as {name, type[, ctype, offset]}: the old form.
Json field_to_json(const StructField& f) {
  Json j = Json::object();
  j["name"] = f.name;
  j["type"] = f.type;
  if (!f.ctype.empty()) j["ctype"] = ctype_to_json(f.ctype);
  if (f.offset >= 0) j["offset"] = f.offset;
  if (f.bit_width >= 0) j["bit_width"] = f.bit_width;
  bool annotated = !(f.ann == Annotation{}) || !f.evidence.empty() || f.status != ReviewStatus::Inferred ||
                   f.confidence != 0.0 || !f.conflicts.empty();
  if (!annotated) return j;
  Json ann = annotation_to_json(f.ann, true);
  for (auto& [key, value] : ann.items()) j[key] = value;
  j["confidence"] = f.confidence;
  j["status"] = to_string(f.status);
  if (!f.evidence.empty()) j["evidence"] = evidence_list(f.evidence);
  put_if(j, "conflicts", f.conflicts);
  return j;
}

Json return_to_json(const ReturnValue& r) {
  Json j = Json::object();
  j["type"] = r.type;
  if (!r.ctype.empty()) j["ctype"] = ctype_to_json(r.ctype);
  Json ann = annotation_to_json(r.ann, false);
  for (auto& [key, value] : ann.items()) j[key] = value;
  return j;
}

Json function_to_json(const Function& f) {
  Json j = Json::object();
  j["name"] = f.name;
  put_if(j, "symbol", f.symbol);
  put_if(j, "library", f.library);
  j["return"] = return_to_json(f.ret);
  j["sync"] = sync_to_json(f.sync);
  put_if(j, "barrier", f.barrier);
  put_if(j, "coherence", f.coherence);
  if (!f.cacheable.empty()) j["cacheable"] = cacheable_to_json(f.cacheable);
  if (!f.in_order.empty()) j["in_order"] = cacheable_to_json(f.in_order);
  if (f.chunk) {
    Json c = Json::object();
    c["buffer"] = f.chunk->buffer;
    c["size"] = f.chunk->size;
    c["offset"] = f.chunk->offset;
    if (f.chunk->confidence != 0.0) c["confidence"] = f.chunk->confidence;
    c["status"] = to_string(f.chunk->status);
    put_if(c, "why", f.chunk->why);
    j["chunk"] = std::move(c);
  }
  j["supported"] = f.supported;
  put_if(j, "unsupported_reason", f.unsupported_reason);
  j["status"] = to_string(f.status);
  if (f.confidence != 0.0) j["confidence"] = f.confidence;
  if (!f.evidence.empty()) j["evidence"] = evidence_list(f.evidence);
  put_if(j, "doc", f.doc);
  put_if(j, "location", f.location);
  put_if(j, "variadic", f.variadic);
  put_if(j, "cxx_linkage", f.cxx_linkage);
  put_if(j, "noreturn", f.noreturn);
  Json params = Json::array();
  for (const auto& p : f.params) params.push_back(param_to_json(p));
  j["params"] = std::move(params);
  return j;
}

Json type_to_json(const Type& t) {
  Json j = Json::object();
  j["name"] = t.name;
  j["kind"] = to_string(t.kind);
  put_if(j, "underlying", t.underlying);
  put_if(j, "success", t.success);
  put_if(j, "error", t.error);
  if (!t.constants.empty()) {
    Json list = Json::array();
    for (const auto& c : t.constants) list.push_back(Json{{"name", c.name}, {"value", c.value}});
    j["constants"] = std::move(list);
  }
  put_if(j, "signature", t.signature);
  if (!t.ctype.empty()) j["ctype"] = ctype_to_json(t.ctype);
  put_if(j, "record", t.record);
  if (!t.complete) j["complete"] = false;
  if (t.size >= 0) j["size"] = t.size;
  if (t.align >= 0) j["align"] = t.align;
  if (!t.tag.field.empty()) {
    j["tag"] = Json{{"field", t.tag.field}};
    put_if(j["tag"], "value", t.tag.value);
  }
  if (t.state) j["state"] = true;
  if (!t.supported) j["supported"] = false;
  put_if(j, "unsupported_reason", t.unsupported_reason);
  if (!t.fields.empty()) {
    Json list = Json::array();
    for (const auto& f : t.fields) list.push_back(field_to_json(f));
    j[members_key(t.kind)] = std::move(list);
  }
  if (!t.evidence.empty()) j["evidence"] = evidence_list(t.evidence);
  return j;
}

Json api_to_json(const ApiInfo& a) {
  Json j = Json::object();
  j["name"] = a.name;
  j["headers"] = a.headers;
  put_if(j, "include_dirs", a.include_dirs);
  put_if(j, "defines", a.defines);
  put_if(j, "library", a.library);
  j["sonames"] = a.sonames;
  return j;
}

Json spec_to_json(const Spec& s) {
  Json j = Json::object();
  j["format"] = kSpecFormat;
  j["api"] = api_to_json(s.api);
  Json types = Json::array();
  for (const auto& t : s.types) types.push_back(type_to_json(t));
  j["types"] = std::move(types);
  Json functions = Json::array();
  for (const auto& f : s.functions) functions.push_back(function_to_json(f));
  j["functions"] = std::move(functions);
  return j;
}

}  // namespace remora::spec
