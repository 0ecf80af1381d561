#include "remora/inference/missing_sources.h"

#include <filesystem>

#include "remora/spec/keep_evidence.h"

namespace remora::inference {

spec::Diagnostics keep_evidence_of_missing_sources(const InferOptions& options,
                                                   const spec::Spec& before,
                                                   const std::string& previous, spec::Spec& fresh) {
  spec::Diagnostics warnings;
  std::size_t carried = 0;
  auto one_kind = [&](const std::vector<std::string>& paths, spec::EvidenceSource source,
                      const std::string& what, const char* option) {
    std::vector<std::string> present, missing;
    for (const auto& p : paths) {
      std::error_code ec;
      (std::filesystem::exists(p, ec) ? present : missing).push_back(p);
    }
    if (missing.empty()) return;
    std::size_t n = spec::keep_evidence_of_missing_sources(before, fresh, source, present);
    carried += n;
    for (const auto& m : missing)
      warnings.push_back({spec::Diagnostic::Severity::Warning, m, 0,
                          what + " source is missing; kept the " + std::to_string(n) + " " + what +
                              " evidence item(s) " + previous +
                              " held from missing sources. Restore it, or give its new place (" +
                              option + ")"});
  };
  one_kind(options.docs, spec::EvidenceSource::Docs, "docs", "--docs");
  one_kind(options.traces, spec::EvidenceSource::Trace, "trace", "--trace");
  if (carried) refuse_spec(fresh);  // the kept evidence counts again
  return warnings;
}

spec::Diagnostics keep_evidence_of_missing_sources(const spec::ProjectSettings& settings,
                                                   const spec::Spec& before,
                                                   const std::string& previous, spec::Spec& fresh) {
  InferOptions options;
  options.docs = settings.docs;
  options.traces = settings.traces;
  return keep_evidence_of_missing_sources(options, before, previous, fresh);
}

}  // namespace remora::inference
