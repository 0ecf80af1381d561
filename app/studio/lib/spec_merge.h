// Combining a freshly inferred spec with the one under review: human decisions
// survive re-inference, and what the new evidence changed is listed.
#pragma once

#include <QSet>
#include <QString>

#include "remora/spec/model.h"

namespace remora::studio {

// Copies confirmed/edited/unsupported parameters and function-level decisions
// from `reviewed` into `fresh` (matched by function and parameter name).
void keep_human_decisions(const spec::Spec& reviewed, spec::Spec& fresh);

// annotation_key()s whose annotation (or function-level sync) differs.
QSet<QString> changed_annotations(const spec::Spec& before, const spec::Spec& after);

}  // namespace remora::studio
