// What "needs review" means, everywhere (remora infer's summary, show
// --needs-review, generate's risk list, the studio's badges and J/F8): an
// annotation a person has not confirmed or edited whose confidence is below the
// threshold or whose sources conflict. Inferred annotations above the threshold
// are "awaiting confirmation", not "needing review".
#pragma once

#include "remora/spec/model.h"

namespace remora::spec {

inline constexpr double kReviewThreshold = 0.8;

inline bool human_reviewed(ReviewStatus s) { return s == ReviewStatus::Confirmed || s == ReviewStatus::Edited; }

bool needs_review(const Param& param);
// Any parameter needs review, or the function-level annotation (sync, lifecycle)
// is unreviewed and below the threshold. Unsupported functions are a separate
// question (they need a person too, but not an annotation review).
bool needs_review(const Function& function);

}  // namespace remora::spec
