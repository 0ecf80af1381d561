// Readers of the remora-spec/1 JSON pieces. They never throw: every problem is
// recorded with where it is, and reading goes on so one run reports them all.
#include <algorithm>

#include "json_object_reader.h"

namespace remora::spec {
namespace {

using detail::ObjectReader;

// "cacheable" and "in_order": true | false | "<C predicate>" -> "true" | "" | the predicate.
bool read_flag_or_predicate(const Json& j, const char* field, const std::string& where,
                            SpecIssues& issues, std::string& out) {
  if (j.is_boolean()) {
    out = j.get<bool>() ? "true" : "";
    return true;
  }
  if (j.is_string() && !j.get<std::string>().empty()) {
    out = j.get<std::string>();
    return true;
  }
  issues.error(where, std::string(field) +
                          " must be true, false or a non-empty C predicate over the parameters");
  return false;
}

void read_sync(ObjectReader& r, const char* key, Sync& out) {
  if (const Json* j = r.get(key)) out = sync_from_json(*j, r.where(), r.issues());
}

void read_patch_fields(ObjectReader& r, AnnotationPatch& p) {
  r.read_enum("direction", p.direction, direction_from_string);
  r.read_enum("kind", p.kind, kind_from_string);
  r.read("size", p.size);
  r.read_enum("size_unit", p.size_unit, size_unit_from_string);
  r.read("nullable", p.nullable);
  // A claim about each pointee: {"kind": "handle"} (the annotation's syntax) or "element_kind".
  if (const Json* e = r.get("element")) {
    ObjectReader er(*e, r.where() + ".element", r.issues(), "element claim");
    er.read_enum("kind", p.element_kind, kind_from_string);
    er.read_enum("direction", p.element_direction, direction_from_string);
    er.read("size", p.element_size);
    er.read_enum("size_unit", p.element_size_unit, size_unit_from_string);
  }
  r.read_enum("element_kind", p.element_kind, kind_from_string);
  r.read("allocates", p.allocates);
  r.read("deallocates", p.deallocates);
  r.read("may_hold_handles", p.may_hold_handles);
  if (const Json* s = r.get("sync")) p.sync = sync_from_json(*s, r.where(), r.issues());
  r.read("barrier", p.barrier);
  for (auto [key, claim] :
       {std::pair{"cacheable", &p.cacheable}, std::pair{"in_order", &p.in_order}})
    if (const Json* c = r.get(key)) {
      std::string v;
      if (read_flag_or_predicate(*c, key, r.where(), r.issues(), v))
        *claim = v.empty() ? "false" : v;
    }
  if (const Json* c = r.get("changes_if")) {
    if (c->is_string() && !c->get<std::string>().empty()) p.changes_if = c->get<std::string>();
    else r.issues().error(r.where(), "changes_if must be a non-empty C predicate over the parameters");
  }
}

void read_annotation_fields(ObjectReader& r, Annotation& a) {
  r.read_enum("direction", a.direction, direction_from_string);
  r.read_enum("kind", a.kind, kind_from_string);
  r.read("size", a.size);
  r.read_enum("size_unit", a.size_unit, size_unit_from_string);
  r.read("nullable", a.nullable);
  if (const Json* e = r.get("element"))
    a.element = Box<Annotation>(annotation_from_json(*e, r.where() + ".element", r.issues()));
  r.read("pointee", a.pointee);
  r.read("handle_type", a.handle_type);
  r.read("allocates", a.allocates);
  r.read("deallocates", a.deallocates);
  r.read("shadow", a.shadow);
  r.read("retain", a.retain);
  r.read("points_into", a.points_into);
  r.read("may_hold_handles", a.may_hold_handles);
  r.read("error", a.error);
}

std::vector<Evidence> read_evidence_list(ObjectReader& r) {
  std::vector<Evidence> out;
  const Json* list = r.get("evidence");
  if (!list) return out;
  if (!list->is_array()) {
    r.type_error("evidence", "an array", *list);
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i)
    out.push_back(evidence_from_json((*list)[i], r.where() + ".evidence[" + std::to_string(i) + "]",
                                     r.issues()));
  return out;
}

// Iterates an array field, reporting a non-array once.
template <class F>
void for_each_item(ObjectReader& r, const char* key, F&& f) {
  const Json* list = r.get(key);
  if (!list) return;
  if (!list->is_array()) {
    r.type_error(key, "an array", *list);
    return;
  }
  for (std::size_t i = 0; i < list->size(); ++i) f((*list)[i], i);
}

std::string item_where(const std::string& base, const char* list, std::size_t i, const Json& item) {
  if (item.is_object()) {
    auto it = item.find("name");
    if (it != item.end() && it->is_string() && !it->get<std::string>().empty())
      return base.empty() ? it->get<std::string>() : base + "." + it->get<std::string>();
  }
  std::string where = std::string(list) + "[" + std::to_string(i) + "]";
  return base.empty() ? where : base + "." + where;
}

}  // namespace

Sync sync_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  Sync s;
  const char* expected = "sync must be \"sync\", \"async\" or {\"async_if\": \"<C condition>\"}";
  if (j.is_string()) {
    auto v = j.get<std::string>();
    if (v == "sync") return s;
    if (v == "async") {
      s.mode = Sync::Mode::Async;
      return s;
    }
    issues.error(where, std::string(expected) + ", found \"" + v + "\"");
    return s;
  }
  if (j.is_object()) {
    ObjectReader r(j, where, issues, "sync");
    if (!r.has("async_if")) {
      issues.error(where, std::string(expected) + ", found an object without async_if");
      r.get("async_if");
      return s;
    }
    s.mode = Sync::Mode::AsyncIf;
    r.read("async_if", s.condition);
    return s;
  }
  issues.error(where, std::string(expected) + ", found " + detail::json_type_name(j));
  return s;
}

Annotation annotation_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  // element-of-element nests for pointer-to-pointer types; a hostile document
  // must not turn that into unbounded recursion.
  constexpr int kMaxElementDepth = 16;
  static thread_local int depth = 0;
  Annotation a;
  if (depth >= kMaxElementDepth) {
    issues.error(where, "element annotations nested more than " + std::to_string(kMaxElementDepth) +
                            " levels deep");
    return a;
  }
  ++depth;
  struct Leave {
    ~Leave() { --depth; }
  } leave;
  ObjectReader r(j, where, issues, "annotation");
  read_annotation_fields(r, a);
  return a;
}

AnnotationPatch patch_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  AnnotationPatch p;
  ObjectReader r(j, where, issues, "claim");
  read_patch_fields(r, p);
  return p;
}

Evidence evidence_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  Evidence e;
  ObjectReader r(j, where, issues, "evidence");
  if (!r.read_enum("source", e.source, evidence_source_from_string) && r.is_object() &&
      !r.has("source"))
    issues.error(where, "evidence needs a source (allowed: " +
                            detail::allowed_values<EvidenceSource>() + ")");
  if (const Json* says = r.get("says")) e.says = patch_from_json(*says, where + ".says", issues);
  r.read("weight", e.weight);
  r.read("why", e.why);
  r.read("location", e.location);
  return e;
}

Param param_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  Param p;
  ObjectReader r(j, where, issues, "parameter");
  r.read("name", p.name);
  r.read("type", p.type);
  if (const Json* c = r.get("ctype")) p.ctype = ctype_from_json(*c, where + ".ctype", issues);
  read_annotation_fields(r, p.ann);
  if (r.is_object() && !r.has("direction"))
    issues.warning(where, "no direction given; assuming \"in\"");
  if (r.is_object() && !r.has("kind")) issues.warning(where, "no kind given; assuming \"value\"");
  for_each_item(r, "when", [&](const Json& item, std::size_t i) {
    std::string w = where + ".when[" + std::to_string(i) + "]";
    ObjectReader wr(item, w, issues, "when clause");
    When clause;
    wr.read("if", clause.condition);
    read_patch_fields(wr, clause.overrides);
    p.when.push_back(std::move(clause));
  });
  r.read("confidence", p.confidence);
  r.read_enum("status", p.status, review_status_from_string);
  p.evidence = read_evidence_list(r);
  r.read("conflicts", p.conflicts);
  return p;
}

StructField field_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  StructField f;
  ObjectReader r(j, where, issues, "struct field");
  r.read("name", f.name);
  if (r.is_object() && f.name.empty()) issues.error(where, "struct field has no name");
  r.read("type", f.type);
  if (const Json* c = r.get("ctype")) f.ctype = ctype_from_json(*c, where + ".ctype", issues);
  r.read("offset", f.offset);
  long long width = -1;
  r.read("bit_width", width);
  f.bit_width = static_cast<int>(std::clamp<long long>(width, -1, 1 << 20));
  // The old form {name, type} has no annotation: a plain member, kind value.
  read_annotation_fields(r, f.ann);
  r.read("confidence", f.confidence);
  r.read_enum("status", f.status, review_status_from_string);
  f.evidence = read_evidence_list(r);
  r.read("conflicts", f.conflicts);
  return f;
}

ReturnValue return_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  ReturnValue ret;
  ObjectReader r(j, where, issues, "return value");
  r.read("type", ret.type);
  if (const Json* c = r.get("ctype")) ret.ctype = ctype_from_json(*c, where + ".ctype", issues);
  read_annotation_fields(r, ret.ann);
  return ret;
}

Function function_from_json(const Json& j, SpecIssues& issues) {
  Function f;
  std::string where = "function";
  if (j.is_object()) {
    auto it = j.find("name");
    if (it != j.end() && it->is_string()) where = it->get<std::string>();
  }
  ObjectReader r(j, where, issues, "function");
  r.read("name", f.name);
  if (r.is_object() && f.name.empty()) issues.error(where, "function has no name");
  r.read("symbol", f.symbol);
  r.read("library", f.library);
  if (const Json* ret = r.get("return")) f.ret = return_from_json(*ret, where + ".return", issues);
  read_sync(r, "sync", f.sync);
  r.read("barrier", f.barrier);
  r.read("coherence", f.coherence);
  if (const Json* c = r.get("cacheable"))
    read_flag_or_predicate(*c, "cacheable", where + ".cacheable", issues, f.cacheable);
  if (const Json* c = r.get("in_order"))
    read_flag_or_predicate(*c, "in_order", where + ".in_order", issues, f.in_order);
  if (const Json* c = r.get("chunk")) {
    ObjectReader cr(*c, where + ".chunk", issues, "chunk");
    Chunking k;
    cr.read("buffer", k.buffer);
    cr.read("size", k.size);
    cr.read("offset", k.offset);
    cr.read("confidence", k.confidence);
    cr.read_enum("status", k.status, review_status_from_string);
    cr.read("why", k.why);
    if (cr.is_object()) f.chunk = std::move(k);
  }
  r.read("supported", f.supported);
  r.read("unsupported_reason", f.unsupported_reason);
  r.read_enum("status", f.status, review_status_from_string);
  r.read("confidence", f.confidence);
  f.evidence = read_evidence_list(r);
  r.read("doc", f.doc);
  r.read("location", f.location);
  r.read("variadic", f.variadic);
  r.read("cxx_linkage", f.cxx_linkage);
  r.read("noreturn", f.noreturn);
  for_each_item(r, "params", [&](const Json& item, std::size_t i) {
    f.params.push_back(param_from_json(item, item_where(where, "params", i, item), issues));
  });
  return f;
}

Type type_from_json(const Json& j, const std::string& where, SpecIssues& issues) {
  Type t;
  ObjectReader r(j, where, issues, "type");
  r.read("name", t.name);
  if (r.is_object() && t.name.empty()) issues.error(where, "type has no name");
  r.read_enum("kind", t.kind, type_kind_from_string);
  r.read("underlying", t.underlying);
  r.read("success", t.success);
  r.read("error", t.error);
  for_each_item(r, "constants", [&](const Json& item, std::size_t i) {
    ObjectReader cr(item, where + ".constants[" + std::to_string(i) + "]", issues, "constant");
    EnumConstant c;
    cr.read("name", c.name);
    cr.read("value", c.value);
    t.constants.push_back(std::move(c));
  });
  r.read("signature", t.signature);
  std::string base = t.name.empty() ? where : t.name;
  if (const Json* c = r.get("ctype")) t.ctype = ctype_from_json(*c, base + ".ctype", issues);
  r.read("record", t.record);
  if (!t.record.empty() && t.record != "struct" && t.record != "union")
    issues.error(where, "unknown record \"" + t.record + "\" (allowed: struct, union)");
  r.read("complete", t.complete);
  r.read("size", t.size);
  r.read("align", t.align);
  if (const Json* tag = r.get("tag")) {
    ObjectReader tr(*tag, where + ".tag", issues, "type tag");
    tr.read("field", t.tag.field);
    tr.read("value", t.tag.value);
    if (tr.is_object() && t.tag.field.empty()) issues.error(where + ".tag", "type tag needs a field");
  }
  r.read("state", t.state);
  r.read("supported", t.supported);
  r.read("unsupported_reason", t.unsupported_reason);
  const char* members = members_key(t.kind);
  for_each_item(r, members, [&](const Json& item, std::size_t i) {
    t.fields.push_back(field_from_json(item, item_where(base, members, i, item), issues));
  });
  t.evidence = read_evidence_list(r);
  return t;
}

ApiInfo api_from_json(const Json& j, SpecIssues& issues) {
  ApiInfo a;
  ObjectReader r(j, "api", issues, "api");
  r.read("name", a.name);
  r.read("headers", a.headers);
  r.read("include_dirs", a.include_dirs);
  r.read("defines", a.defines);
  r.read("library", a.library);
  r.read("sonames", a.sonames);
  return a;
}

Spec spec_from_json(const Json& j, SpecIssues& issues) {
  Spec s;
  ObjectReader r(j, "", issues, "a remora spec");
  if (!r.is_object()) return s;
  const Json* format = r.get("format");
  if (!format) {
    issues.error(
        "", std::string("missing \"format\": \"") + kSpecFormat + "\" (is this a remora spec?)");
  } else if (!format->is_string() || format->get<std::string>() != kSpecFormat) {
    issues.error("",
                 "format is " + format->dump() + "; this version reads \"" + kSpecFormat + "\"");
  }
  if (const Json* api = r.get("api")) s.api = api_from_json(*api, issues);
  for_each_item(r, "types", [&](const Json& item, std::size_t i) {
    s.types.push_back(type_from_json(item, "types[" + std::to_string(i) + "]", issues));
  });
  for_each_item(r, "functions", [&](const Json& item, std::size_t) {
    s.functions.push_back(function_from_json(item, issues));
  });
  return s;
}

std::optional<std::size_t> json_too_deep(const std::string& text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

std::optional<Json> parse_json_text(const std::string& text, SpecIssues& issues) {
  if (auto at = json_too_deep(text)) {
    std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(*at), '\n'));
    issues.error("", "line " + std::to_string(line) + ": arrays and objects nested more than " +
                         std::to_string(kMaxJsonDepth) + " levels deep (a spec needs about 10)");
    return std::nullopt;
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based offset of the character where parsing stopped.
    std::size_t stop = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < stop; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    auto colon = what.find(": ", what.find("parse error"));
    std::string detail = colon == std::string::npos ? what : what.substr(colon + 2);
    issues.error("", "line " + std::to_string(line) + ", column " + std::to_string(column) +
                         ": JSON syntax error: " + detail);
  } catch (const std::exception& e) {
    issues.error("", std::string("JSON error: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace remora::spec
