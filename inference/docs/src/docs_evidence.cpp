#include "remora/inference/docs_evidence.h"

namespace remora::inference {

void add_docs_evidence(spec::Spec&, const std::vector<std::string>& paths,
                       spec::Diagnostics& diagnostics, const spec::Progress&) {
  if (paths.empty()) return;
  diagnostics.push_back({spec::Diagnostic::Severity::Warning, "", 0,
                         "--docs is not yet supported in this build; documentation ignored"});
}

}  // namespace remora::inference
