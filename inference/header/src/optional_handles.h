// Handle types an API lets its callers leave out. A C++ default argument of NULL on a
// handle parameter (`cudaStream_t stream __dv(0)`) is per-declaration evidence; when
// enough of the functions that take a handle type by value give it such a default (three
// declarations, and a quarter of those that take it), the type itself is one whose NULL
// means something (the default stream), and the functions that take it without a default
// (cudaStreamSynchronize) accept NULL too.
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Adds a nullable claim (0.5) to every by-value parameter of such a handle type that has
// no default itself, except in calls that release the object (NULL is no object to free).
void add_optional_handle_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
