// Re-inference with a source out of reach: a docs folder or trace the previous
// inference read that is not there now (moved, deleted, a relative path taken
// from another directory) keeps the evidence it gave, and the user hears which
// source is missing. Used by `remora infer --project` and the studio's re-inference
// after a trace, so neither drops evidence silently.
#pragma once

#include <string>

#include "remora/inference/pipeline.h"
#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"
#include "remora/spec/project_store.h"

namespace remora::inference {

// For each docs path and trace in `options` that does not exist, carries the
// evidence of that kind from `before` (the spec previously inferred, e.g. the
// project's) into `fresh` that no source read in this run recomputed, and
// re-fuses `fresh` when anything was carried. Returns one warning per missing
// source, naming it and `previous` (where the kept evidence came from).
spec::Diagnostics keep_evidence_of_missing_sources(const InferOptions& options,
                                                   const spec::Spec& before,
                                                   const std::string& previous, spec::Spec& fresh);

// The same for a project's sources (the studio re-infers from its settings).
spec::Diagnostics keep_evidence_of_missing_sources(const spec::ProjectSettings& settings,
                                                   const spec::Spec& before,
                                                   const std::string& previous, spec::Spec& fresh);

}  // namespace remora::inference
