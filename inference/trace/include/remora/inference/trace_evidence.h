// Trace evidence: reads a trace database recorded by `remora trace` and appends
// Evidence (source Trace) from relations that hold in every observed call.
#pragma once

#include <string>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

void add_trace_evidence(spec::Spec& spec, const std::string& trace_db,
                        spec::Diagnostics& diagnostics, const spec::Progress& progress = {});

}  // namespace remora::inference
