#include "size_relations.h"

#include <set>

#include <algorithm>
#include <functional>

namespace remora::inference::trace_rules {
namespace {

using trace_data::Arg;
using trace_data::Call;

bool is_integer(const Arg& a) { return a.cls == "signed" || a.cls == "unsigned"; }

// A candidate expression: its text, how to evaluate it on one call, and how
// plain it is (lower ranks first: parameters, then output counts, then products).
struct Candidate {
  std::string expr;
  int rank;
  bool scalar;  // a plain scalar parameter: usable as a capacity
  std::function<std::optional<std::int64_t>(const Call&)> eval;
};

std::vector<Candidate> candidates_for(const trace_data::Function& f, std::size_t param) {
  std::vector<Candidate> out;
  std::size_t n = f.params.size();
  auto integer_param = [&](std::size_t i) {
    for (const auto& c : f.calls)
      if (i < c.args.size() && !c.args[i].cls.empty()) return is_integer(c.args[i]);
    return false;
  };
  auto count_pointer = [&](std::size_t i) {
    for (const auto& c : f.calls)
      if (i < c.args.size() && c.args[i].cls == "pointer")
        return c.args[i].pointee == "signed" || c.args[i].pointee == "unsigned";
    return false;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (i == param) continue;
    if (integer_param(i))
      out.push_back({f.params[i], 0, true, [i](const Call& c) -> std::optional<std::int64_t> {
                       return c.args[i].value;
                     }});
    else if (count_pointer(i))
      out.push_back({"*" + f.params[i], 1, false, [i](const Call& c) -> std::optional<std::int64_t> {
                       if (c.args[i].is_null || !c.args[i].deref_after) return std::nullopt;
                       return c.args[i].deref_after;
                     }});
  }
  // Lengths of input strings given to the same call (a copy, a concatenation).
  auto string_param = [&](std::size_t i) {
    for (const auto& c : f.calls)
      if (i < c.args.size() && c.args[i].cls == "pointer") return c.args[i].pointee == "char";
    return false;
  };
  for (std::size_t i = 0; i < n; ++i)
    if (i != param && string_param(i))
      out.push_back({"strlen(" + f.params[i] + ") + 1", 2, false, [i](const Call& c) -> std::optional<std::int64_t> {
                       if (c.args[i].is_null || !c.args[i].strlen_before) return std::nullopt;
                       return *c.args[i].strlen_before + 1;
                     }});
  out.push_back({"ret", 2, false, [](const Call& c) { return c.ret; }});
  // Products of two scalars (width * height, count * stride).
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (i != param && j != param && integer_param(i) && integer_param(j))
        out.push_back({f.params[i] + " * " + f.params[j], 3, false,
                       [i, j](const Call& c) -> std::optional<std::int64_t> {
                         return c.args[i].value * c.args[j].value;
                       }});
  return out;
}

std::string ratio(int a, int b) { return std::to_string(a) + "/" + std::to_string(b); }

}  // namespace

SizeFinding find_size_relation(const trace_data::Function& f, std::size_t param) {
  SizeFinding finding;
  std::vector<const Call*> written;
  std::int64_t elem = 1;
  for (const auto& c : f.calls) {
    if (!c.complete || param >= c.args.size()) continue;
    const Arg& a = c.args[param];
    if (a.cls != "pointer" || a.is_null || !a.readable || !a.written_by_call) continue;
    written.push_back(&c);
    elem = std::max<std::int64_t>(1, a.elem_size);
  }
  if (written.empty()) return finding;
  bool elements = elem > 1;
  // Bytes rewritten with their old value are invisible, so a written extent that
  // stops short of the expression is still a match when only zero bytes (the
  // high bytes of a small integer, a string's NUL) separate them.
  std::int64_t slack = std::max<std::int64_t>(8, elem);
  std::vector<SizeRelation> relations;
  for (const auto& cand : candidates_for(f, param)) {
    SizeRelation r;
    r.expr = cand.expr;
    r.elements = elements;
    std::set<std::int64_t> values;
    for (const Call* c : written) {
      std::optional<std::int64_t> v = cand.eval(*c);
      if (!v || *v < 0) continue;
      const Arg& a = c->args[param];
      std::int64_t bytes = *v * elem;
      ++r.evaluated;
      values.insert(*v);
      if (*v != 1) r.always_one = false;
      if (a.written_end <= bytes) {
        ++r.bounded;
        if (bytes - a.written_end <= std::min(a.zero_tail, slack)) ++r.tight;
      }
    }
    if (cand.scalar && r.evaluated == int(written.size()) && r.bounded == r.evaluated && !values.empty() &&
        *values.begin() >= 1)
      finding.capacities.push_back(r.expr);
    if (r.evaluated == 0 || r.bounded < r.evaluated || r.tight == 0) continue;  // contradicted or never tight
    r.distinct_values = int(values.size());
    if (elements && r.always_one) {
      if (r.exact()) finding.one_element.push_back(r.expr);
      continue;
    }
    r.capacity = cand.scalar;
    relations.push_back(r);
    if (r.exact()) finding.exact.push_back(r);
  }
  // Among candidates, rank order is candidates_for's order; keep it stable.
  const SizeRelation* best_exact = finding.exact.empty() ? nullptr : &finding.exact.front();
  // Prefer an exact relation evaluated in every written call.
  for (const auto& r : finding.exact)
    if (r.evaluated == int(written.size())) {
      best_exact = &r;
      break;
    }
  const SizeRelation* capacity = nullptr;
  for (const auto& r : relations)
    if (r.capacity && r.evaluated == int(written.size())) {
      capacity = &r;
      break;
    }
  // A buffer whose written amount varies (reported through an out-parameter or the
  // return value) is sized by the scalar that bounds it in every call: the capacity
  // the caller provided.
  if (best_exact && best_exact->capacity) finding.chosen = *best_exact;
  else if (capacity && best_exact) {
    finding.chosen = *capacity;
    finding.chosen->capacity = true;
  } else if (best_exact) {
    finding.chosen = *best_exact;
  }
  std::string unit = elements ? " elements of " + std::to_string(elem) + " bytes" : " bytes";
  for (const auto& r : relations) {
    if (!finding.why.empty()) finding.why += "; ";
    finding.why += "extent == " + r.expr + " in " + ratio(r.tight, r.evaluated);
    if (!r.exact()) finding.why += ", <= in " + ratio(r.bounded, r.evaluated);
    if (r.evaluated < int(written.size())) finding.why += " (evaluable in " + ratio(r.evaluated, int(written.size())) + ")";
  }
  if (!finding.why.empty()) finding.why += " (in" + unit + ")";
  return finding;
}

std::optional<SizeRelation> find_allocation_fit(const trace_data::Function& f, std::size_t param) {
  std::vector<const Call*> known;
  std::int64_t elem = 1;
  for (const auto& c : f.calls) {
    if (!c.complete || param >= c.args.size()) continue;
    const Arg& a = c.args[param];
    if (a.cls != "pointer" || a.is_null || !a.extent_exact || !a.extent) continue;
    known.push_back(&c);
    elem = std::max<std::int64_t>(1, a.elem_size);
  }
  if (known.size() < 2) return std::nullopt;
  std::vector<SizeRelation> fits;
  for (const auto& cand : candidates_for(f, param)) {
    if (!cand.scalar) continue;
    SizeRelation r;
    r.expr = cand.expr;
    r.elements = elem > 1;
    for (const Call* c : known) {
      std::optional<std::int64_t> v = cand.eval(*c);
      if (!v || *v <= 0) continue;
      ++r.evaluated;
      std::int64_t bytes = *v * elem;
      // glibc's usable size exceeds the request by less than one chunk header + alignment.
      if (*c->args[param].extent >= bytes && *c->args[param].extent < bytes + 32) ++r.tight;
    }
    if (r.evaluated == int(known.size()) && r.exact()) fits.push_back(r);
  }
  if (fits.size() != 1) return std::nullopt;  // none, or ambiguous
  return fits.front();
}

}  // namespace remora::inference::trace_rules
