// The studio's only door to the inference pipeline (remora_inference). When the
// library is not part of the build the studio still opens projects and imports
// spec JSON; these functions then say so instead of inferring.
#pragma once

#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"
#include "remora/spec/project_store.h"

namespace remora::studio {

struct InferOutcome {
  bool ok = false;
  bool cancelled = false;
  spec::Spec spec;
  spec::Diagnostics diagnostics;
  QString error;  // what went wrong and what to do next (when !ok)
  // Set by a worker-side follow-up (InferenceJob::start's `then`): the project
  // store, created and saved off the UI thread.
  std::shared_ptr<spec::ProjectStore> store;
};

bool inference_available();

// Runs on any thread; `progress` returning false cancels.
InferOutcome run_inference(const spec::ProjectSettings& settings, const QString& api_name,
                           const spec::Progress& progress);

// After a re-inference from `settings`: a docs folder or trace that is missing now
// keeps the evidence it gave in `before` (the project's spec), so no annotation
// loses its support silently. Returns one warning per missing source (empty
// when all are there, or without the pipeline).
QStringList keep_evidence_of_missing_sources(const spec::ProjectSettings& settings, const spec::Spec& before,
                                             const QString& project, spec::Spec& fresh);

// The parameter re-fused from its evidence alone (for "revert to inferred"), or
// nullopt when fusion is not available.
std::optional<spec::Param> refused_param(const spec::Spec& spec, const spec::Function& f, const std::string& param);

}  // namespace remora::studio
