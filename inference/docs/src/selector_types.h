// Per-selector `when` overrides for info queries whose docs table types each
// selector value (see selector_types.cpp).
#pragma once

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// Adds `when selector == CONSTANT` clauses (a buffer of handles) to the query's
// untyped value parameter for every table row of `section` whose type is a
// handle type; returns how many were added.
std::size_t add_selector_whens(const DocSection& section, const TypeOracle& types,
                               spec::Function& fn);

}  // namespace remora::inference::docs
