// `in_order` from a creating call's reference page (see in_order.cpp).
#pragma once

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// Adds a Docs `in_order` claim to `fn` for every flag F the section documents as "If set,
// the commands ... are executed out-of-order. Otherwise, commands are executed in-order."
// when `fn` makes a handle and F is a value of one of its parameters: a by-value bit-field
// p gives `(p & F) == 0`; a row keyed K of a properties table, read from a key/value list p,
// gives `(property(p, K) & F) == 0` (K's type cell an integer type `types` knows). Returns
// how many claims were added.
std::size_t add_in_order_claims(const DocSection& section, const TypeOracle& types,
                                const FunctionFacts& facts, spec::Function& fn);

}  // namespace remora::inference::docs
