// Size relations: which expression over a call's other arguments equals the
// extent a pointer argument had written, in every observed call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "trace_reader.h"

namespace remora::inference::trace_rules {

struct SizeRelation {
  std::string expr;        // size expression text, in elements when elements == true
  bool elements = false;   // unit: elements of the pointee (else bytes)
  bool capacity = false;   // a plain scalar bound, chosen over an exact output count
  int evaluated = 0;       // written calls where the expression could be evaluated
  int tight = 0;           // ... where the written extent matched it
  int bounded = 0;         // ... where the written extent stayed within it
  bool always_one = true;  // evaluated to exactly one element every time: indistinguishable from
                           // a single pointee, so not evidence of a size
  int distinct_values = 0; // how many different sizes supported it: with one, any scalar that
                           // happened to equal the extent fits, so it is not evidence
  bool exact() const { return evaluated > 0 && tight == evaluated; }
};

struct SizeFinding {
  std::optional<SizeRelation> chosen;
  std::vector<SizeRelation> exact;  // every relation that held in every written call
  std::string why;                  // "extent == param_value_size in 5/8, <= in 8/8; ..."
  std::vector<std::string> one_element;  // exact relations that were 1 element in every call
  // Plain scalar parameters that were at least one element and bounded the written
  // extent in every call: each is a capacity the pointer could be an array of, so a
  // single element written is no proof that it is one value.
  std::vector<std::string> capacities;
};

// `param`: index of the pointer parameter in `f`; only calls where it was written count.
SizeFinding find_size_relation(const trace_data::Function& f, std::size_t param);

// For a pointer only passed in: a scalar that the heap allocation it points into
// holds exactly (up to malloc's rounding) in every call with a known allocation.
std::optional<SizeRelation> find_allocation_fit(const trace_data::Function& f, std::size_t param);

}  // namespace remora::inference::trace_rules
