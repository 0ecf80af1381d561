// Selector-typed info queries (`get*Info(object, selector, size, void *value, size_ret)`)
// and the tables that document one selector value per row (see selector_types.cpp):
// per-selector `when` overrides, and the rows other rules read (changing_answers.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// One row of a selector table: the constant, its type cell and the description sentences.
struct SelectorRow {
  std::string constant;
  const Sentence* type = nullptr;
  std::vector<const Sentence*> description;
};

// The rows of `section` that name a constant followed by a type cell, in order.
std::vector<SelectorRow> selector_rows(const DocSection& section);

// The query's shape: one untyped output buffer (`value`) sized in bytes by a by-value
// parameter (`size`), and one by-value integer that selects what is asked (`selector`).
struct SelectorQuery {
  std::string selector;
  std::string value;
  std::string size;
};
// Nothing when `fn` is not such a query (by its name and parameters, with the size
// evidence the docs gave its value buffer).
std::optional<SelectorQuery> selector_query(const spec::Function& fn, const TypeOracle& types);

// Adds `when selector == CONSTANT` clauses (a buffer of handles) to the query's
// untyped value parameter for every table row of `section` whose type is a
// handle type; returns how many were added.
std::size_t add_selector_whens(const DocSection& section, const TypeOracle& types,
                               spec::Function& fn);

}  // namespace remora::inference::docs
