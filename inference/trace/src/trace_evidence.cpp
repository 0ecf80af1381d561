#include "remora/inference/trace_evidence.h"

namespace remora::inference {

void add_trace_evidence(spec::Spec&, const std::string& trace_db, spec::Diagnostics& diagnostics,
                        const spec::Progress&) {
  diagnostics.push_back({spec::Diagnostic::Severity::Warning, trace_db, 0,
                         "--trace is not yet supported in this build; trace ignored"});
}

}  // namespace remora::inference
