#include "review_state.h"

#include <algorithm>

namespace remora::studio {

namespace {
bool is_unsupported(const spec::Function& f) {
  return !f.supported || f.status == spec::ReviewStatus::Unsupported;
}
}  // namespace

bool param_needs_review(const spec::Function& f, const spec::Param& p) {
  return !is_unsupported(f) && p.status == spec::ReviewStatus::Inferred;
}

bool function_needs_review(const spec::Function& f) {
  if (is_unsupported(f)) return false;
  if (f.params.empty()) return f.status == spec::ReviewStatus::Inferred;
  return std::any_of(f.params.begin(), f.params.end(),
                     [&](const spec::Param& p) { return param_needs_review(f, p); });
}

Badge function_badge(const spec::Function& f) {
  if (is_unsupported(f)) return Badge::Unsupported;
  bool conflict = false, edited = f.status == spec::ReviewStatus::Edited;
  for (const auto& p : f.params) {
    if (param_needs_review(f, p) && !p.conflicts.empty()) conflict = true;
    if (p.status == spec::ReviewStatus::Edited) edited = true;
  }
  if (conflict) return Badge::Conflict;
  if (function_needs_review(f)) return Badge::NeedsReview;
  return edited ? Badge::Edited : Badge::Confirmed;
}

QString badge_text(Badge b) {
  switch (b) {
    case Badge::Conflict: return QStringLiteral("conflict");
    case Badge::NeedsReview: return QStringLiteral("needs review");
    case Badge::Edited: return QStringLiteral("edited");
    case Badge::Confirmed: return QStringLiteral("confirmed");
    case Badge::Unsupported: return QStringLiteral("unsupported");
  }
  return {};
}

QColor badge_color(Badge b) {
  switch (b) {
    case Badge::Conflict: return QColor(0xf8, 0xc9, 0xc4);
    case Badge::NeedsReview: return QColor(0xfd, 0xe8, 0xb0);
    case Badge::Edited: return QColor(0xc9, 0xdd, 0xfb);
    case Badge::Confirmed: return QColor(0xc8, 0xeb, 0xc9);
    case Badge::Unsupported: return QColor(0xdd, 0xdd, 0xdd);
  }
  return {};
}

QString status_label(spec::ReviewStatus s) {
  switch (s) {
    case spec::ReviewStatus::Inferred: return QStringLiteral("needs review");
    case spec::ReviewStatus::Confirmed: return QStringLiteral("confirmed");
    case spec::ReviewStatus::Edited: return QStringLiteral("edited");
    case spec::ReviewStatus::Unsupported: return QStringLiteral("unsupported");
  }
  return {};
}

QColor status_color(spec::ReviewStatus s, bool conflict) {
  switch (s) {
    case spec::ReviewStatus::Inferred: return badge_color(conflict ? Badge::Conflict : Badge::NeedsReview);
    case spec::ReviewStatus::Confirmed: return badge_color(Badge::Confirmed);
    case spec::ReviewStatus::Edited: return badge_color(Badge::Edited);
    case spec::ReviewStatus::Unsupported: return badge_color(Badge::Unsupported);
  }
  return {};
}

double function_certainty(const spec::Function& f) {
  if (is_unsupported(f)) return 1.0;
  double lowest = 1.0;
  bool any = false;
  for (const auto& p : f.params)
    if (param_needs_review(f, p)) {
      lowest = std::min(lowest, p.confidence);
      any = true;
    }
  if (!any && function_needs_review(f)) lowest = f.confidence;
  return lowest;
}

ReviewProgress review_progress(const spec::Spec& spec) {
  ReviewProgress progress;
  for (const auto& f : spec.functions) {
    if (is_unsupported(f)) continue;
    for (const auto& p : f.params) {
      ++progress.total;
      if (p.status != spec::ReviewStatus::Inferred) ++progress.reviewed;
    }
  }
  return progress;
}

QString progress_text(const ReviewProgress& p) {
  return QStringLiteral("%1 of %2 parameters confirmed").arg(p.reviewed).arg(p.total);
}

}  // namespace remora::studio
