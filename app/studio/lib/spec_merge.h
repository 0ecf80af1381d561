// What re-inference changed in the spec under review (human decisions are carried
// over by spec::keep_human_decisions).
#pragma once

#include <QSet>
#include <QString>

#include "remora/spec/keep_review.h"
#include "remora/spec/model.h"

namespace remora::studio {

// annotation_key()s whose annotation (or function-level sync) differs.
QSet<QString> changed_annotations(const spec::Spec& before, const spec::Spec& after);

}  // namespace remora::studio
