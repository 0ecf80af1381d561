// JSON snapshots for the review history (ReviewEvent::before/after), written by
// the spec-model serializer so the history uses exactly the remora-spec/1 fields.
#pragma once

#include <string>

#include "remora/spec/model.h"

namespace remora::studio {

// The parameter's remora-spec/1 object (annotation, status, when, ...).
std::string param_snapshot_json(const spec::Function& f, const spec::Param& p);
// The function's remora-spec/1 object without its parameters (sync, status, return).
std::string function_snapshot_json(const spec::Function& f);

}  // namespace remora::studio
