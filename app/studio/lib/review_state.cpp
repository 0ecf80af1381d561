#include "review_state.h"

#include <algorithm>

#include "struct_rows.h"

namespace remora::studio {

bool is_unsupported(const spec::Function& f) {
  return !f.supported || f.status == spec::ReviewStatus::Unsupported;
}

bool param_needs_review(const spec::Function& f, const spec::Param& p) {
  return !is_unsupported(f) && spec::needs_review(p);
}

bool function_needs_review(const spec::Function& f) {
  return !is_unsupported(f) && spec::needs_review(f);
}

bool param_awaits_confirmation(const spec::Function& f, const spec::Param& p) {
  return !is_unsupported(f) && p.status == spec::ReviewStatus::Inferred;
}

bool function_awaits_confirmation(const spec::Function& f) {
  if (is_unsupported(f)) return false;
  if (f.params.empty()) return f.status == spec::ReviewStatus::Inferred;
  return std::any_of(f.params.begin(), f.params.end(),
                     [&](const spec::Param& p) { return param_awaits_confirmation(f, p); });
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
  if (function_awaits_confirmation(f)) return Badge::Inferred;
  return edited ? Badge::Edited : Badge::Confirmed;
}

QString badge_text(Badge b) {
  switch (b) {
    case Badge::Conflict: return QStringLiteral("conflict");
    case Badge::NeedsReview: return QStringLiteral("needs review");
    case Badge::Inferred: return QStringLiteral("inferred");
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
    case Badge::Inferred: return QColor(0xf1, 0xf1, 0xe6);
    case Badge::Edited: return QColor(0xc9, 0xdd, 0xfb);
    case Badge::Confirmed: return QColor(0xc8, 0xeb, 0xc9);
    case Badge::Unsupported: return QColor(0xd6, 0xc8, 0xe6);
  }
  return {};
}

namespace {
Badge inferred_badge(double confidence, bool conflict) {
  if (conflict) return Badge::Conflict;
  return confidence < spec::kReviewThreshold ? Badge::NeedsReview : Badge::Inferred;
}
}  // namespace

QString status_label(spec::ReviewStatus s, double confidence, bool conflict) {
  switch (s) {
    case spec::ReviewStatus::Inferred: {
      const Badge b = inferred_badge(confidence, conflict);
      return b == Badge::Inferred ? QStringLiteral("inferred, awaiting confirmation") : badge_text(b);
    }
    case spec::ReviewStatus::Confirmed: return QStringLiteral("confirmed");
    case spec::ReviewStatus::Edited: return QStringLiteral("edited");
    case spec::ReviewStatus::Unsupported: return QStringLiteral("unsupported");
  }
  return {};
}

QColor status_color(spec::ReviewStatus s, double confidence, bool conflict) {
  switch (s) {
    case spec::ReviewStatus::Inferred: return badge_color(inferred_badge(confidence, conflict));
    case spec::ReviewStatus::Confirmed: return badge_color(Badge::Confirmed);
    case spec::ReviewStatus::Edited: return badge_color(Badge::Edited);
    case spec::ReviewStatus::Unsupported: return badge_color(Badge::Unsupported);
  }
  return {};
}

double function_certainty(const spec::Function& f) {
  if (is_unsupported(f)) return 0.0;
  double lowest = 1.0;
  bool any = false;
  for (const auto& p : f.params)
    if (param_awaits_confirmation(f, p)) {
      lowest = std::min(lowest, p.confidence);
      any = true;
    }
  if (!any && function_awaits_confirmation(f)) lowest = f.confidence;
  return lowest;
}

ReviewProgress review_progress(const spec::Spec& spec) {
  ReviewProgress progress;
  for (const auto& f : spec.functions) {
    if (is_unsupported(f)) {
      ++progress.unsupported;
      continue;
    }
    for (const auto& p : f.params) {
      ++progress.total;
      if (p.status != spec::ReviewStatus::Inferred) ++progress.reviewed;
      if (param_needs_review(f, p)) ++progress.needs_review;
    }
  }
  // Struct members are reviewed like parameters (struct_rows.h) and counted with them.
  // (Read in place: this runs after every review change.)
  for (const auto& t : spec.types) {
    if (t.kind != spec::TypeKind::Struct && t.kind != spec::TypeKind::Callback) continue;
    for (const auto& field : t.fields) {
      if (!field_reviewable(field)) continue;
      ++progress.fields;
      if (field.status != spec::ReviewStatus::Inferred) ++progress.fields_reviewed;
      if (!spec::human_reviewed(field.status) &&
          (field.confidence < spec::kReviewThreshold || !field.conflicts.empty()))
        ++progress.needs_review;
    }
  }
  return progress;
}

QString progress_text(const ReviewProgress& p) {
  QString text = QStringLiteral("%1 need review · %2 of %3 parameters confirmed")
                     .arg(p.needs_review)
                     .arg(p.reviewed)
                     .arg(p.total);
  if (p.fields) text += QStringLiteral(" · %1 of %2 struct fields confirmed").arg(p.fields_reviewed).arg(p.fields);
  if (p.unsupported) text += QStringLiteral(" · %1 unsupported").arg(p.unsupported);
  return text;
}

}  // namespace remora::studio
