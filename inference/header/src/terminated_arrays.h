// Arrays of structs that end at a sentinel element the docs name (terminated_arrays.cpp).
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Adds `terminated(p, MEMBER, END)` sizes (0.85) to input arrays of a struct whose docs
// say which member ends the array with which constant.
void add_terminated_array_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
