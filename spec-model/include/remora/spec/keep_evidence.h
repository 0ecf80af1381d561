// Evidence survives a source that went missing: when a re-inference cannot read a
// docs folder or trace it read before (moved, deleted, a relative path taken from
// another directory), the evidence that source gave stays instead of vanishing,
// so no annotation loses its support and no function turns unsupported silently.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::spec {

// Copies the `source` evidence of `before` (per function, parameter, struct and
// struct field, matched by name) into `after`, except evidence that a source
// read in this run gave (its location is a file under one of `present`, or a
// file named like one of them: trace evidence names its database) and evidence
// `after` already has. Returns how many items were carried over. The caller
// re-runs fusion so the carried evidence counts.
std::size_t keep_evidence_of_missing_sources(const Spec& before, Spec& after, EvidenceSource source,
                                             const std::vector<std::string>& present);

}  // namespace remora::spec
