#include "cacheable_narrowing.h"

#include <algorithm>

#include "remora/spec/size_expr.h"

namespace remora::inference::fusion_fields {
namespace {

// The disjuncts of `a == X || a == Y`, each as "a != X"; false when the tree is
// anything else (then the whole predicate is negated with !( )).
bool negated_equalities(const spec::SizeExpr& e, std::vector<std::string>& out) {
  using Op = spec::SizeExpr::Op;
  if (e.op == Op::Logical && e.name == "||" && e.a && e.b)
    return negated_equalities(*e.a, out) && negated_equalities(*e.b, out);
  if (e.op == Op::Compare && e.name == "==" && e.a && e.b) {
    out.push_back(spec::print_size_expr(*e.a) + " != " + spec::print_size_expr(*e.b));
    return true;
  }
  return false;
}

}  // namespace

std::string narrow_cacheable(const std::string& verdict, const std::vector<std::string>& changes_if) {
  if (verdict.empty() || verdict == "false") return verdict;
  std::vector<std::string> conjuncts;
  for (const auto& text : changes_if) {
    spec::SizeExprParse parsed = spec::parse_predicate(text);
    if (!parsed) continue;
    std::vector<std::string> negated;
    if (!negated_equalities(*parsed.expr, negated)) negated = {"!(" + spec::print_size_expr(*parsed.expr) + ")"};
    for (auto& n : negated)
      if (std::find(conjuncts.begin(), conjuncts.end(), n) == conjuncts.end() &&
          verdict.find(n) == std::string::npos)
        conjuncts.push_back(std::move(n));
  }
  if (conjuncts.empty()) return verdict;
  std::string out = verdict == "true" ? "" : "(" + verdict + ")";
  for (const auto& c : conjuncts) out += (out.empty() ? "" : " && ") + c;
  return out;
}

}  // namespace remora::inference::fusion_fields
