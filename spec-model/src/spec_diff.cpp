// Field-by-field comparison of two specs.
#include "remora/spec/spec_diff.h"

#include <set>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

constexpr const char* kNone = "(none)";

std::string bool_text(bool b) {
  return b ? "true" : "false";
}
std::string or_none(const std::string& s) {
  return s.empty() ? kNone : s;
}

bool same_size(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.empty() || b.empty()) return false;
  return normalize_size_expr_text(a) == normalize_size_expr_text(b);
}

// Equality that ignores how a size expression is spelled.
bool same_annotation(const Annotation& a, const Annotation& b) {
  if (a.direction != b.direction || a.kind != b.kind || !same_size(a.size, b.size) ||
      a.nullable != b.nullable || a.pointee != b.pointee || a.handle_type != b.handle_type ||
      a.allocates != b.allocates || a.deallocates != b.deallocates || a.shadow != b.shadow ||
      a.retain != b.retain || a.points_into != b.points_into || a.may_hold_handles != b.may_hold_handles ||
      a.error != b.error)
    return false;
  if (!a.size.empty() && a.size_unit != b.size_unit) return false;
  if (static_cast<bool>(a.element) != static_cast<bool>(b.element)) return false;
  return !a.element || same_annotation(*a.element, *b.element);
}

bool same_patch(const AnnotationPatch& a, const AnnotationPatch& b) {
  AnnotationPatch x = a, y = b;
  if (x.size && y.size && same_size(*x.size, *y.size)) y.size = x.size;
  return x == y;
}

bool same_when(const std::vector<When>& a, const std::vector<When>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].condition != b[i].condition || !same_patch(a[i].overrides, b[i].overrides))
      return false;
  return true;
}

std::string when_text(const std::vector<When>& list) {
  if (list.empty()) return kNone;
  std::string out;
  for (const auto& w : list) {
    if (!out.empty()) out += "; ";
    out += "if " + w.condition + ": " + patch_to_json(w.overrides).dump();
  }
  return out;
}

// What a split of the call means (buffer, size, offset): confidence and status are review data.
std::string chunk_text(const std::optional<Chunking>& c) {
  return c ? c->buffer + " by " + c->size + " at " + c->offset : std::string(kNone);
}

std::string sync_text(const Sync& s) {
  return describe(s);
}

class Differ {
 public:
  Differ(SpecDiff& out, const DiffOptions& options) : out_(out), options_(options) {}

  void function(const Function& a, const Function& b) {
    fn_ = b.name;
    field("", "sync", a.sync != b.sync, sync_text(a.sync), sync_text(b.sync));
    field("", "barrier", a.barrier != b.barrier, bool_text(a.barrier), bool_text(b.barrier));
    field("", "noreturn", a.noreturn != b.noreturn, bool_text(a.noreturn), bool_text(b.noreturn));
    field("", "library", a.library != b.library, or_none(a.library), or_none(b.library));
    field("", "coherence", a.coherence != b.coherence, or_none(a.coherence), or_none(b.coherence));
    field("", "cacheable", a.cacheable != b.cacheable, a.cacheable.empty() ? "false" : a.cacheable,
          b.cacheable.empty() ? "false" : b.cacheable);
    field("", "in_order", a.in_order != b.in_order, a.in_order.empty() ? "false" : a.in_order,
          b.in_order.empty() ? "false" : b.in_order);
    field("", "chunk", chunk_text(a.chunk) != chunk_text(b.chunk), chunk_text(a.chunk), chunk_text(b.chunk));
    field("", "supported", a.supported != b.supported, bool_text(a.supported),
          bool_text(b.supported));
    field("", "status", options_.include_status && a.status != b.status,
          std::string(to_string(a.status)), std::string(to_string(b.status)));
    field("", "symbol", a.symbol != b.symbol, or_none(a.symbol), or_none(b.symbol));
    if (a.ret.type != b.ret.type) field("return", "type", true, a.ret.type, b.ret.type);
    annotation("return", a.ret.ann, b.ret.ann);

    for (const Param& p : a.params)
      if (!b.find_param(p.name)) field(p.name, "param", true, p.type, kNone);
    for (const Param& q : b.params) {
      const Param* p = a.find_param(q.name);
      if (!p) {
        field(q.name, "param", true, kNone, q.type);
        continue;
      }
      param(*p, q);
    }
  }

  // A struct's members, compared as parameters are (annotation, status).
  void structure(const Type& a, const Type& b) {
    fn_.clear();
    type_ = b.name;
    for (const StructField& m : a.fields)
      if (!b.find_field(m.name)) field(m.name, "member", true, m.type, kNone);
    for (const StructField& n : b.fields) {
      const StructField* m = a.find_field(n.name);
      if (!m) {
        field(n.name, "member", true, kNone, n.type);
        continue;
      }
      field(n.name, "type", m->type != n.type, m->type, n.type);
      annotation(n.name, m->ann, n.ann);
      field(n.name, "status", options_.include_status && m->status != n.status,
            std::string(to_string(m->status)), std::string(to_string(n.status)));
    }
    type_.clear();
  }

 private:
  void field(const std::string& param, const char* name, bool changed, std::string before,
             std::string after) {
    if (changed)
      out_.changes.push_back({fn_, param, name, std::move(before), std::move(after), type_});
  }

  void annotation(const std::string& p, const Annotation& a, const Annotation& b) {
    field(p, "direction", a.direction != b.direction, std::string(to_string(a.direction)),
          std::string(to_string(b.direction)));
    field(p, "kind", a.kind != b.kind, std::string(to_string(a.kind)),
          std::string(to_string(b.kind)));
    field(p, "size", !same_size(a.size, b.size), or_none(a.size), or_none(b.size));
    // A unit without a size means nothing, so it only counts next to a size.
    field(p, "size_unit", (!a.size.empty() || !b.size.empty()) && a.size_unit != b.size_unit,
          std::string(to_string(a.size_unit)), std::string(to_string(b.size_unit)));
    field(p, "nullable", a.nullable != b.nullable, bool_text(a.nullable), bool_text(b.nullable));
    bool element_changed = static_cast<bool>(a.element) != static_cast<bool>(b.element) ||
                           (a.element && !same_annotation(*a.element, *b.element));
    field(p, "element", element_changed, a.element ? describe_annotation(*a.element) : kNone,
          b.element ? describe_annotation(*b.element) : kNone);
    field(p, "allocates", a.allocates != b.allocates, bool_text(a.allocates),
          bool_text(b.allocates));
    field(p, "deallocates", a.deallocates != b.deallocates, bool_text(a.deallocates),
          bool_text(b.deallocates));
    field(p, "handle_type", a.handle_type != b.handle_type, or_none(a.handle_type),
          or_none(b.handle_type));
    field(p, "shadow", a.shadow != b.shadow, or_none(a.shadow), or_none(b.shadow));
    field(p, "retain", a.retain != b.retain, or_none(a.retain), or_none(b.retain));
    field(p, "points_into", a.points_into != b.points_into, or_none(a.points_into), or_none(b.points_into));
    field(p, "may_hold_handles", a.may_hold_handles != b.may_hold_handles, bool_text(a.may_hold_handles),
          bool_text(b.may_hold_handles));
    field(p, "error", a.error != b.error, or_none(a.error), or_none(b.error));
  }

  void param(const Param& a, const Param& b) {
    field(b.name, "type", a.type != b.type, a.type, b.type);
    annotation(b.name, a.ann, b.ann);
    field(b.name, "when", !same_when(a.when, b.when), when_text(a.when), when_text(b.when));
    field(b.name, "status", options_.include_status && a.status != b.status,
          std::string(to_string(a.status)), std::string(to_string(b.status)));
  }

  SpecDiff& out_;
  const DiffOptions& options_;
  std::string fn_;
  std::string type_;
};

}  // namespace

std::string describe_annotation(const Annotation& a) {
  std::string out;
  if (a.direction != Direction::In) out += std::string(to_string(a.direction)) + " ";
  out += to_string(a.kind);
  if (!a.size.empty()) out += " size=" + a.size + " " + std::string(to_string(a.size_unit));
  if (a.nullable) out += " nullable";
  if (!a.handle_type.empty()) out += " handle_type=" + a.handle_type;
  if (a.allocates) out += " allocates";
  if (a.deallocates) out += " deallocates";
  if (!a.shadow.empty()) out += " shadow=" + a.shadow;
  if (!a.retain.empty()) out += " retain=" + a.retain;
  if (!a.points_into.empty()) out += " points_into=" + a.points_into;
  if (a.may_hold_handles) out += " may_hold_handles";
  if (!a.error.empty()) out += " error=" + a.error;
  if (a.element) out += " element{" + describe_annotation(*a.element) + "}";
  return out;
}

std::size_t SpecDiff::changed_functions() const {
  std::set<std::string> names(added_functions.begin(), added_functions.end());
  names.insert(removed_functions.begin(), removed_functions.end());
  for (const auto& c : changes)
    if (c.type.empty()) names.insert(c.function);
  return names.size();
}

std::size_t SpecDiff::changed_members() const {
  std::set<std::pair<std::string, std::string>> members;
  for (const auto& c : changes)
    if (!c.type.empty()) members.insert({c.type, c.param});
  return members.size();
}

std::size_t SpecDiff::changed_structs() const {
  std::set<std::string> structs;
  for (const auto& c : changes)
    if (!c.type.empty()) structs.insert(c.type);
  return structs.size();
}

std::size_t SpecDiff::changed_params() const {
  std::set<std::pair<std::string, std::string>> params;
  for (const auto& c : changes)
    if (c.type.empty() && !c.param.empty() && c.param != "return")
      params.insert({c.function, c.param});
  return params.size();
}

SpecDiff diff_specs(const Spec& before, const Spec& after, const DiffOptions& options) {
  SpecDiff diff;
  for (const Function& f : before.functions)
    if (!after.find_function(f.name)) diff.removed_functions.push_back(f.name);
  Differ differ(diff, options);
  for (const Function& f : after.functions) {
    const Function* old = before.find_function(f.name);
    if (!old)
      diff.added_functions.push_back(f.name);
    else
      differ.function(*old, f);
  }
  // Struct members carry annotations too (types[].fields[]); types that appear or
  // disappear are header changes, not review edits, and are not listed.
  for (const Type& t : after.types)
    if (const Type* old = before.find_type(t.name); old && t.kind == TypeKind::Struct)
      differ.structure(*old, t);
  return diff;
}

std::string format_spec_diff(const SpecDiff& diff) {
  std::string out;
  for (const auto& name : diff.removed_functions) out += "- " + name + " (function removed)\n";
  for (const auto& name : diff.added_functions) out += "+ " + name + " (function added)\n";
  for (const auto& c : diff.changes) {
    const std::string& owner = c.type.empty() ? c.function : c.type;
    std::string where = c.param.empty() ? owner : owner + "." + c.param;
    if (c.field == "param" || c.field == "member")
      out += (c.before == kNone ? "+ " + where + " (" + (c.type.empty() ? "parameter" : "member") +
                                      " added: " + c.after + ")"
                                : "- " + where + " (" + (c.type.empty() ? "parameter" : "member") +
                                      " removed: " + c.before + ")") +
             "\n";
    else
      out += "  " + where + ": " + c.field + " " + c.before + " -> " + c.after + "\n";
  }
  std::size_t nf = diff.changed_functions(), np = diff.changed_params();
  out += std::to_string(nf) + (nf == 1 ? " function" : " functions") + " and " +
         std::to_string(np) + (np == 1 ? " parameter" : " parameters") + " changed";
  if (std::size_t nm = diff.changed_members(), ns = diff.changed_structs(); nm > 0)
    out += "; " + std::to_string(nm) + (nm == 1 ? " struct member" : " struct members") + " in " +
           std::to_string(ns) + (ns == 1 ? " struct" : " structs") + " changed";
  out += "\n";
  return out;
}

Json spec_diff_to_json(const SpecDiff& diff) {
  Json j = Json::object();
  j["added_functions"] = diff.added_functions;
  j["removed_functions"] = diff.removed_functions;
  Json changes = Json::array();
  for (const auto& c : diff.changes) {
    Json one{{"function", c.function},
             {"param", c.param},
             {"field", c.field},
             {"before", c.before},
             {"after", c.after}};
    if (!c.type.empty()) one["type"] = c.type;
    changes.push_back(std::move(one));
  }
  j["changes"] = std::move(changes);
  j["changed_functions"] = diff.changed_functions();
  j["changed_params"] = diff.changed_params();
  j["changed_members"] = diff.changed_members();
  j["changed_structs"] = diff.changed_structs();
  return j;
}

}  // namespace remora::spec
