#include "remora/spec/review_rule.h"

#include <algorithm>

namespace remora::spec {

bool needs_review(const Param& param) {
  if (human_reviewed(param.status)) return false;
  return param.confidence < kReviewThreshold || !param.conflicts.empty();
}

bool needs_review(const Function& f) {
  if (std::any_of(f.params.begin(), f.params.end(), [](const Param& p) { return needs_review(p); })) return true;
  return !human_reviewed(f.status) && f.status != ReviewStatus::Unsupported && f.confidence < kReviewThreshold;
}

}  // namespace remora::spec
