// What still needs a human: the review badge of a function, how certain it is,
// and the progress count shown in the status bar.
#pragma once

#include <QColor>
#include <QString>

#include "remora/spec/model.h"

namespace remora::studio {

// Ordered by urgency: the list shows the first ones first.
enum class Badge { Conflict, NeedsReview, Edited, Confirmed, Unsupported };

bool param_needs_review(const spec::Function& f, const spec::Param& p);
// A function needs review while any parameter does, or (no parameters) while the
// function-level annotation (sync, lifecycle) is still only inferred.
bool function_needs_review(const spec::Function& f);
Badge function_badge(const spec::Function& f);
QString badge_text(Badge b);
QColor badge_color(Badge b);
QString status_label(spec::ReviewStatus s);
QColor status_color(spec::ReviewStatus s, bool conflict);

// Lowest confidence among the annotations still awaiting review (1.0 when none).
double function_certainty(const spec::Function& f);

struct ReviewProgress {
  int reviewed = 0;  // parameters confirmed or edited by a human
  int total = 0;     // parameters of supported functions
};
ReviewProgress review_progress(const spec::Spec& spec);
QString progress_text(const ReviewProgress& p);  // "212 of 260 parameters confirmed"

}  // namespace remora::studio
