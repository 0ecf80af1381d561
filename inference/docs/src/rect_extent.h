// Byte extent of a pointer that a function reads or writes as a pitched rectangle
// (see rect_extent.cpp).
#pragma once

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// Adds a Docs size claim (bytes) to every pointer of `fn` whose rectangle the section's
// parameter descriptions define: an origin whose "offset in bytes is computed as" a sum of
// origin components times pitches, pitches whose "If P is 0, P is computed as" default
// names an extent array. Returns how many claims were added.
std::size_t add_rect_extents(const DocSection& section, const FunctionFacts& facts,
                             spec::Function& fn);

}  // namespace remora::inference::docs
