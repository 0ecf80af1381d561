#include "weigh.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace remora::inference {

namespace {

std::string format_weight(double w) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.2f", w);
  return buffer;
}

std::string sources_of(const std::vector<Claim>& claims, const std::string& value) {
  std::set<std::string> names;
  for (const auto& c : claims)
    if (c.value == value) names.insert(std::string(spec::to_string(c.source)));
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "+") + n;
  return out;
}

}  // namespace

std::optional<FieldVerdict> weigh(const std::string& field, const std::vector<Claim>& claims,
                                  std::string* conflict_message) {
  if (claims.empty()) return std::nullopt;
  FieldVerdict verdict;
  verdict.field = field;

  // A human decision is final: the latest one wins.
  for (auto it = claims.rbegin(); it != claims.rend(); ++it) {
    if (it->source != spec::EvidenceSource::Human) continue;
    verdict.value = it->value;
    verdict.confidence = verdict.support = 1.0;
    verdict.decided_by_human = true;
    for (const auto& c : claims)
      (c.value == verdict.value ? verdict.for_evidence : verdict.against_evidence).push_back(c.evidence_index);
    return verdict;
  }

  // Independent claims for the same value combine as a noisy-OR: 1 - prod(1 - w).
  std::map<std::string, double> disbelief;
  std::vector<std::string> order;
  for (const auto& c : claims) {
    if (!disbelief.count(c.value)) {
      disbelief[c.value] = 1.0;
      order.push_back(c.value);
    }
    disbelief[c.value] *= 1.0 - std::clamp(c.weight, 0.0, 0.99);
  }
  std::string best, second;
  double best_support = -1, second_support = 0;
  for (const auto& value : order) {  // ties go to the earliest claim
    double support = 1.0 - disbelief[value];
    if (support > best_support) {
      second = best;
      second_support = std::max(0.0, best_support);
      best = value;
      best_support = support;
    } else if (support > second_support) {
      second = value;
      second_support = support;
    }
  }
  verdict.value = best;
  verdict.support = best_support;
  verdict.opposition = second_support;
  verdict.alternative = second;
  // Opposition lowers confidence in proportion to how strong it is.
  verdict.confidence = std::clamp(best_support * (1.0 - 0.6 * second_support), 0.0, 1.0);
  for (const auto& c : claims)
    (c.value == best ? verdict.for_evidence : verdict.against_evidence).push_back(c.evidence_index);

  // Disagreement between *different* sources is a conflict a reviewer must see.
  if (!second.empty() && second_support >= 0.4) {  // weaker hedges are not worth a reviewer's time
    std::string winners = sources_of(claims, best), losers = sources_of(claims, second);
    if (winners != losers) {
      verdict.conflict = true;
      if (conflict_message)
        *conflict_message = field + ": " + losers + " says " + second + " (" + format_weight(second_support) + ") but " +
                            winners + " says " + best + " (" + format_weight(best_support) + "); chose " + best;
    }
  }
  return verdict;
}

}  // namespace remora::inference
