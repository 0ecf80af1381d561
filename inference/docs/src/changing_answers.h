// Selector values whose answer may change between calls with the same arguments, read
// from the rows of an info query's selector table (changing_answers.cpp).
#pragma once

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// Adds one `changes_if` claim ("selector == A || selector == B") to `fn` for the rows of
// `section` that document a changing answer; returns how many rows it names.
std::size_t add_changing_answer_claims(const DocSection& section, const TypeOracle& types,
                                       spec::Function& fn);

}  // namespace remora::inference::docs
