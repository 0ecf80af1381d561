// Human decisions survive re-inference: a freshly inferred spec takes over what a
// person confirmed, edited or marked unsupported in the spec under review.
#pragma once

#include <cstddef>

#include "remora/spec/model.h"

namespace remora::spec {

// Copies confirmed/edited/unsupported parameters, struct fields and function-level
// decisions from `reviewed` into `fresh` (matched by function/type and member name),
// with their human evidence; the fresh machine evidence stays beside it.
// Returns how many decisions were carried over.
std::size_t keep_human_decisions(const Spec& reviewed, Spec& fresh);

}  // namespace remora::spec
