#include "cacheable_narrowing.h"

#include <algorithm>

#include "remora/spec/size_expr.h"

namespace remora::inference::fusion_fields {
namespace {

// The disjuncts of `a == X || a == Y`, each as "a != X"; false when one is anything
// else (then the whole predicate is negated with !( )).
bool negated_equalities(const spec::SizeExpr& e, std::vector<std::string>& out) {
  for (const spec::SizeExpr* d : spec::predicate_disjuncts(e)) {
    if (d->op != spec::SizeExpr::Op::Compare || d->name != "==" || !d->a || !d->b) return false;
    out.push_back(spec::print_size_expr(*d->a) + " != " + spec::print_size_expr(*d->b));
  }
  return true;
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
