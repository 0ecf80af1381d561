// Handle types whose NULL the API's docs give a meaning ("the NULL stream"): nullable
// evidence for every by-value parameter of such a type (null_handle_types.cpp).
#pragma once

#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

void add_null_handle_type_evidence(spec::Spec& spec, const std::vector<const DocSection*>& sections);

}  // namespace remora::inference::docs
