// What still needs a human: the review badge of a function, how certain it is,
// and the progress count shown in the status bar.
#pragma once

#include <QColor>
#include <QString>

#include "remora/spec/model.h"
#include "remora/spec/review_rule.h"

namespace remora::studio {

// Ordered by urgency: the list shows the first ones first. Unsupported functions
// come first: they are what most needs a person (support them, or accept the stub).
// Inferred: above the review threshold, not yet confirmed.
enum class Badge { Unsupported, Conflict, NeedsReview, Inferred, Edited, Confirmed };

// "Needs review" is remora infer's rule (spec/review_rule.h): below the
// threshold or conflicting, and not yet confirmed or edited by a person.
bool param_needs_review(const spec::Function& f, const spec::Param& p);
bool function_needs_review(const spec::Function& f);
// Not yet confirmed or edited (whatever its confidence): J/F8 walks these after
// the ones needing review, and the bulk confirm acts on them.
bool param_awaits_confirmation(const spec::Function& f, const spec::Param& p);
bool function_awaits_confirmation(const spec::Function& f);
bool is_unsupported(const spec::Function& f);
Badge function_badge(const spec::Function& f);
QString badge_text(Badge b);
QColor badge_color(Badge b);
// One annotation's state: an inferred one "needs review" below the threshold or
// with conflicts, else it is "inferred" (awaiting confirmation).
QString status_label(spec::ReviewStatus s, double confidence, bool conflict);
QColor status_color(spec::ReviewStatus s, double confidence, bool conflict);

// Lowest confidence among the annotations still awaiting confirmation (1.0 when
// none; 0.0 for an unsupported function, so that review order puts it first).
double function_certainty(const spec::Function& f);

struct ReviewProgress {
  int reviewed = 0;      // parameters confirmed or edited by a human
  int total = 0;         // parameters of supported functions
  int needs_review = 0;  // parameters and struct fields needing review (remora infer's rule)
  int fields = 0;        // struct members to review (struct_rows.h)
  int fields_reviewed = 0;
  int unsupported = 0;   // functions
};
ReviewProgress review_progress(const spec::Spec& spec);
// "3 need review · 212 of 260 parameters confirmed · 1 of 4 struct fields confirmed · 2 unsupported"
QString progress_text(const ReviewProgress& p);

}  // namespace remora::studio
