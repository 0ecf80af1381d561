// Semantic checks of a spec, shared by load (after reading JSON) and by any
// stage that builds a spec in memory. Errors make the spec unusable for code
// generation; warnings point at annotations a reviewer should look at.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "remora/spec/c_names.h"
#include "remora/spec/json_fragments.h"
#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

class Validator {
 public:
  explicit Validator(SpecIssues& issues) : issues_(issues) {}

  void run(const Spec& spec) {
    std::set<std::string> type_names;
    for (std::size_t i = 0; i < spec.types.size(); ++i) {
      const Type& t = spec.types[i];
      std::string where = "types[" + std::to_string(i) + "]";
      if (t.name.empty())
        error(where, "type has no name");
      else if (!type_names.insert(t.name).second)
        warning(where, "type \"" + t.name + "\" is declared more than once");
      check_enum(where, "kind", to_string(t.kind));
      for (std::size_t k = 0; k < t.evidence.size(); ++k)
        check_evidence(where + ".evidence[" + std::to_string(k) + "]", t.evidence[k], nullptr);
      check_record(t.name.empty() ? where : t.name, t);
    }
    std::set<std::string> function_names;
    for (const Function& f : spec.functions) check_function(f, function_names);
  }

 private:
  void error(const std::string& where, std::string message) {
    issues_.error(where, std::move(message));
  }
  void warning(const std::string& where, std::string message) {
    issues_.warning(where, std::move(message));
  }

  void check_enum(const std::string& where, const char* field, std::string_view spelled) {
    if (spelled == "?") error(where, std::string(field) + " has a value outside its enumeration");
  }

  void check_unit_interval(const std::string& where, const char* field, double v) {
    if (!(v >= 0.0 && v <= 1.0))  // also rejects NaN
      error(where, std::string(field) + " " + std::to_string(v) + " is outside [0, 1]");
  }

  static std::string param_list(const Function& f) {
    std::string out;
    for (const auto& p : f.params) {
      if (p.name.empty()) continue;
      if (!out.empty()) out += ", ";
      out += p.name;
    }
    return out.empty() ? "none" : out;
  }

  // `returned`: the size of the return value (or function-level evidence, which may claim
  // it), where terminated(ret, ...) counts the returned list.
  void check_size(const std::string& where, const std::string& size, const Function* f, bool returned = false) {
    if (size.empty()) return;
    SizeExprParse parsed = parse_size_expr(size);
    if (!parsed) {
      error(where, "size \"" + size + "\" does not parse at offset " +
                       std::to_string(parsed.error->position) + ": " + parsed.error->message);
      return;
    }
    if (!f) return;
    // In the condition of `c ? a : b` a name may be an API constant, as in a predicate.
    std::vector<std::string> constants = size_expr_condition_only_names(*parsed.expr);
    for (const auto& name : size_expr_params(*parsed.expr)) {
      if (f->find_param(name)) continue;
      if (returned && name == "ret" && size_expr_uses(*parsed.expr, SizeExpr::Op::Terminated)) continue;
      bool constant = std::find(constants.begin(), constants.end(), name) != constants.end();
      if (constant && is_c_identifier(name)) continue;
      error(where, "size \"" + size + "\" refers to missing parameter '" + name +
                       "' (parameters: " + param_list(*f) + ")");
    }
  }

  void check_annotation(const std::string& where, const Annotation& a, const Function& f, bool returned = false) {
    check_enum(where, "direction", to_string(a.direction));
    check_enum(where, "kind", to_string(a.kind));
    check_enum(where, "size_unit", to_string(a.size_unit));
    check_size(where, a.size, &f, returned);
    if (!a.shadow.empty() && a.shadow != "map" && a.shadow != "unmap" && a.shadow != "persistent")
      error(where, "unknown shadow \"" + a.shadow + "\" (allowed: map, unmap, persistent)");
    if (a.shadow == "persistent" && !returned)
      error(where, "shadow \"persistent\" describes a returned pointer (a parameter returns a persistent mapping "
                   "through an out element whose element has shadow \"map\")");
    if (!a.retain.empty() && a.retain != "object" && a.retain != "command")
      error(where, "unknown retain \"" + a.retain + "\" (allowed: object, command)");
    if (!a.points_into.empty()) {
      const Param* target = f.find_param(a.points_into);
      if (!target)
        error(where, "points_into \"" + a.points_into + "\" is not a parameter of " + f.name);
      else if (a.direction == Direction::In || a.kind != Kind::Element)
        error(where, "points_into belongs to an out element (the pointer the library sets)");
    }
    if (!a.error.empty() && !returned) error(where, "error is what a function returns when it fails: only on a return value");
    if (!a.error.empty() && !is_failure_value(a.error))
      error(where, "error \"" + a.error + "\" must be an integer or an API constant (a C identifier)");
    if (a.element) check_annotation(where + ".element", *a.element, f);
  }

  // An integer literal (`-1`, `0`) or a C identifier naming a constant (`SQLITE_ERROR`).
  static bool is_failure_value(const std::string& v) {
    std::size_t i = v[0] == '-' ? 1 : 0;
    if (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])))
      return std::all_of(v.begin() + static_cast<long>(i), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (i != 0 || !(std::isalpha(static_cast<unsigned char>(v[0])) || v[0] == '_')) return false;
    return std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  }

  void check_patch(const std::string& where, const AnnotationPatch& p, const Function* f, bool returned = false) {
    if (p.direction) check_enum(where, "direction", to_string(*p.direction));
    if (p.kind) check_enum(where, "kind", to_string(*p.kind));
    if (p.size_unit) check_enum(where, "size_unit", to_string(*p.size_unit));
    if (p.element_kind) check_enum(where, "element kind", to_string(*p.element_kind));
    if (p.size) check_size(where, *p.size, f, returned);
    if (p.element_size) check_size(where + ".element", *p.element_size, f);
    if (p.sync) check_sync(where, *p.sync, f, false);
    if (p.in_order && f) check_in_order(where + ".in_order", *p.in_order, *f, false);
    if (p.changes_if) check_predicate(where + ".changes_if", "changes_if", *p.changes_if, f, false);
  }

  // `strict`: the function's own sync, which generated code evaluates; evidence
  // only reports what a source claimed (a docs placeholder is a warning there).
  void check_sync(const std::string& where, const Sync& s, const Function* f, bool strict) {
    if (s.mode != Sync::Mode::AsyncIf) return;
    if (s.condition.empty()) return error(where, "sync {\"async_if\": ...} has an empty condition");
    check_predicate(where, "async_if", s.condition, f, strict);
  }

  // A predicate is parsed, never pasted: only parameters, API constants,
  // integers and operators (parse_predicate); a constant must be a C identifier.
  void check_predicate(const std::string& where, const char* what, const std::string& text,
                       const Function* f, bool strict,
                       SizeExprParse (*parse)(std::string_view) = parse_predicate) {
    auto report = [&](std::string message) {
      if (strict) error(where, std::move(message));
      else warning(where, std::move(message));
    };
    SizeExprParse parsed = parse(text);
    if (!parsed)
      return report(std::string(what) + " \"" + text + "\" is not a predicate (offset " +
                    std::to_string(parsed.error->position) + ": " + parsed.error->message + ")");
    for (const auto& name : size_expr_params(*parsed.expr)) {
      if (f && f->find_param(name)) continue;
      if (!is_c_identifier(name) && name != "true" && name != "false" && name != "nullptr")
        report(std::string(what) + " \"" + text + "\": '" + name +
               "' is neither a parameter nor an API constant (a C identifier)");
    }
  }

  // `in_order`: only a call that creates an object can say how that object runs its work;
  // a predicate is a creation predicate (property() allowed), each property() reading an
  // input key/value list of integers.
  void check_in_order(const std::string& where, const std::string& value, const Function& f,
                      bool strict) {
    auto report = [&](std::string message) {
      if (strict)
        error(where, std::move(message));
      else
        warning(where, std::move(message));
    };
    if (!creates_handle(f))
      report("in_order describes the object a call creates, but " + f.name +
             " creates none (no returned handle and no out handle parameter with allocates)");
    if (value.empty() || value == "true" || value == "false") return;
    SizeExprParse parsed = parse_creation_predicate(value);
    if (!parsed)
      return report("in_order \"" + value + "\" is not a predicate (offset " +
                    std::to_string(parsed.error->position) + ": " + parsed.error->message + ")");
    check_predicate(where, "in_order", value, &f, strict, parse_creation_predicate);
    std::vector<const SizeExpr*> lists;
    collect_properties(*parsed.expr, lists);
    for (const SizeExpr* node : lists) {
      const Param* p = f.find_param(node->name);
      if (!p) {
        report("in_order \"" + value + "\": property() reads '" + node->name +
               "', which is not a parameter (parameters: " + param_list(f) + ")");
        continue;
      }
      const CType* pointee = p->ctype.empty() ? nullptr : pointee_of(p->ctype);
      bool integers = p->ctype.empty() || (pointee && is_integer_like(*pointee));
      if (p->ann.kind != Kind::Buffer || p->ann.direction != Direction::In || !integers)
        report("in_order \"" + value + "\": property() reads a key/value list, but '" + node->name +
               "' is not an input array of integers (it is " +
               std::string(to_string(p->ann.direction)) + " " +
               std::string(to_string(p->ann.kind)) +
               (p->ctype.empty() ? "" : ", " + describe(p->ctype)) + ")");
    }
  }

  static void collect_properties(const SizeExpr& e, std::vector<const SizeExpr*>& out) {
    if (e.op == SizeExpr::Op::Property) out.push_back(&e);
    if (e.a) collect_properties(*e.a, out);
    if (e.b) collect_properties(*e.b, out);
  }

  void check_evidence(const std::string& where, const Evidence& e, const Function* f, bool returned = false) {
    check_enum(where, "source", to_string(e.source));
    check_unit_interval(where, "weight", e.weight);
    check_patch(where + ".says", e.says, f, returned);
  }

  // Struct members: names unique, sizes over sibling fields, chains on pointers.
  void check_record(const std::string& where, const Type& t) {
    std::vector<std::string> names;
    for (const auto& f : t.fields) names.push_back(f.name);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    auto check_field_size = [&](const std::string& fw, const std::string& size) {
      if (size.empty()) return;
      SizeExprParse parsed = parse_size_expr(size);
      if (!parsed) {
        error(fw, "size \"" + size + "\" does not parse at offset " + std::to_string(parsed.error->position) + ": " +
                      parsed.error->message);
        return;
      }
      for (const auto& name : size_expr_params(*parsed.expr))
        if (std::find(names.begin(), names.end(), name) == names.end())
          error(fw, "size \"" + size + "\" refers to missing field '" + name + "' (fields: " + list + ")");
    };
    std::set<std::string> seen;
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
      const StructField& f = t.fields[i];
      std::string fw = where + "." + (f.name.empty() ? "fields[" + std::to_string(i) + "]" : f.name);
      if (f.name.empty())
        error(fw, "struct field has no name");
      else if (!seen.insert(f.name).second)
        error(fw, "field \"" + f.name + "\" appears more than once");
      check_enum(fw, "direction", to_string(f.ann.direction));
      check_enum(fw, "kind", to_string(f.ann.kind));
      check_enum(fw, "status", to_string(f.status));
      check_unit_interval(fw, "confidence", f.confidence);
      check_field_size(fw, f.ann.size);
      if (f.ann.element) check_field_size(fw + ".element", f.ann.element->size);
      for (std::size_t k = 0; k < f.evidence.size(); ++k) {
        std::string ew = fw + ".evidence[" + std::to_string(k) + "]";
        check_evidence(ew, f.evidence[k], nullptr);
        if (f.evidence[k].says.size) check_field_size(ew + ".says", *f.evidence[k].says.size);
      }
      bool pointer_kind = f.ann.kind != Kind::Value && f.ann.kind != Kind::Handle;
      if (pointer_kind && !f.ctype.empty() && !is_pointer(f.ctype))
        error(fw, "kind " + std::string(to_string(f.ann.kind)) + " needs a pointer field, but '" + f.name +
                      "' is " + describe(f.ctype));
      if (f.ann.kind == Kind::Buffer && f.ann.size.empty() && t.supported)
        warning(fw, f.ann.nullable ? "buffer field has no size expression; it travels only as NULL (a call that sets it fails)"
                                   : "buffer field has no size expression; the struct cannot be deep-copied");
    }
    if (!t.tag.field.empty() && !t.find_field(t.tag.field))
      error(where + ".tag", "tag field '" + t.tag.field + "' is not a field of " + t.name);
    if (!t.supported && t.unsupported_reason.empty())
      warning(where, "unsupported without an unsupported_reason (say why, for the reviewer)");
  }

  void check_function(const Function& f, std::set<std::string>& names) {
    const std::string& where = f.name.empty() ? std::string("function") : f.name;
    if (f.name.empty())
      error(where, "function has no name");
    else if (!names.insert(f.name).second)
      error(where, "function \"" + f.name + "\" is declared more than once");
    check_enum(where, "status", to_string(f.status));
    check_sync(where, f.sync, &f, true);
    check_unit_interval(where, "confidence", f.confidence);
    check_annotation(where + ".return", f.ret.ann, f, true);
    for (std::size_t k = 0; k < f.evidence.size(); ++k)
      check_evidence(where + ".evidence[" + std::to_string(k) + "]", f.evidence[k], &f, true);
    if (!f.supported && f.unsupported_reason.empty())
      warning(where, "unsupported without an unsupported_reason (say why, for the reviewer)");
    if (!f.coherence.empty() && f.coherence != "flush" && f.coherence != "refresh" && f.coherence != "both")
      error(where, "unknown coherence \"" + f.coherence + "\" (allowed: flush, refresh, both)");

    if (f.chunk) check_chunk(where + ".chunk", *f.chunk, f);
    if (!f.in_order.empty()) check_in_order(where + ".in_order", f.in_order, f, true);

    std::set<std::string> param_names;
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      const Param& p = f.params[i];
      std::string pw =
          where + "." + (p.name.empty() ? "params[" + std::to_string(i) + "]" : p.name);
      if (p.name.empty())
        warning(pw, "parameter has no name; size expressions cannot refer to it");
      else if (!param_names.insert(p.name).second)
        error(pw, "parameter \"" + p.name + "\" appears more than once");
      check_param(pw, p, f);
    }
  }

  // A split is only meaningful when the three names say what generated code needs: a data
  // buffer sized by exactly one by-value integer, and another by-value integer for where
  // the range starts (docs/spec-format.md, "chunk").
  void check_chunk(const std::string& where, const Chunking& c, const Function& f) {
    check_enum(where, "status", to_string(c.status));
    check_unit_interval(where, "confidence", c.confidence);
    const Param* buffer = f.find_param(c.buffer);
    if (!buffer) return error(where, "buffer '" + c.buffer + "' is not a parameter (parameters: " + param_list(f) + ")");
    if (buffer->ann.kind != Kind::Buffer || buffer->ann.direction == Direction::InOut || !buffer->when.empty())
      error(where, "buffer '" + c.buffer + "' must be an in or out buffer without when clauses");
    for (const auto* name : {&c.size, &c.offset}) {
      const Param* q = f.find_param(*name);
      const char* what = name == &c.size ? "size" : "offset";
      if (!q) {
        error(where, std::string(what) + " '" + *name + "' is not a parameter (parameters: " + param_list(f) + ")");
        continue;
      }
      const bool integer = q->ctype.empty() ? q->ann.kind == Kind::Value : is_integer_like(q->ctype);
      if (!integer || q->ann.kind != Kind::Value)
        error(where, std::string(what) + " '" + *name + "' must be an integer passed by value");
    }
    if (c.size == c.offset) error(where, "size and offset name the same parameter");
    auto trimmed = [](const std::string& t) {
      auto b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t");
      return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
    };
    if (trimmed(buffer->ann.size) != c.size)
      error(where, "buffer '" + c.buffer + "' is sized by \"" + buffer->ann.size + "\", not by '" + c.size +
                       "' alone: a split could not size its pieces");
  }

  void check_param(const std::string& where, const Param& p, const Function& f) {
    check_annotation(where, p.ann, f);
    if (p.ann.points_into == p.name) error(where, "points_into names the parameter itself");
    check_enum(where, "status", to_string(p.status));
    check_unit_interval(where, "confidence", p.confidence);
    bool conditional_size = false;
    for (std::size_t i = 0; i < p.when.size(); ++i) {
      std::string ww = where + ".when[" + std::to_string(i) + "]";
      if (p.when[i].condition.find_first_not_of(" \t\r\n") == std::string::npos)
        error(ww, "when clause has an empty \"if\" condition");
      else check_predicate(ww, "if", p.when[i].condition, &f, true);
      if (p.when[i].overrides.empty()) warning(ww, "when clause overrides nothing");
      if (p.when[i].overrides.size) conditional_size = true;
      check_patch(ww, p.when[i].overrides, &f);
    }
    for (std::size_t k = 0; k < p.evidence.size(); ++k)
      check_evidence(where + ".evidence[" + std::to_string(k) + "]", p.evidence[k], &f);
    if (p.ann.kind == Kind::Buffer && p.ann.size.empty() && !conditional_size &&
        p.status != ReviewStatus::Unsupported && f.supported)
      warning(where, "buffer has no size expression; generated code cannot copy it");
  }

  SpecIssues& issues_;
};

}  // namespace

void validate_spec_into(const Spec& spec, SpecIssues& issues) {
  validate_names_into(spec, issues);
  Validator(issues).run(spec);
}

std::vector<SpecIssue> validate_spec(const Spec& spec) {
  SpecIssues issues;
  validate_spec_into(spec, issues);
  return std::move(issues.errors);
}

std::string format_issue(const SpecIssue& issue) {
  return issue.where.empty() ? issue.message : issue.where + ": " + issue.message;
}

}  // namespace remora::spec
