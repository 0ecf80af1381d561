// Annotation changes between two specs (e.g. what a reviewer changed in an
// inferred spec): functions added or removed, and per-field changes of
// functions, return values, parameters and struct members (types[].fields[]). Size expressions are compared
// semantically (normalize_size_expr), so "n*4" -> "4 * n" is not a change.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/json_fragments.h"
#include "remora/spec/model.h"

namespace remora::spec {

struct FieldChange {
  std::string function;  // "" for a struct member's change
  std::string param;     // "" for function-level fields; "return" for the return value;
                         // the member's name for a struct member's change
  std::string field;     // "direction", "kind", "size", "sync", "param"/"member" (added/removed), ...
  std::string before;    // printable value; "(none)" when absent
  std::string after;
  std::string type;      // the struct, for a struct member's change ("" otherwise)
  bool operator==(const FieldChange&) const = default;
};

struct SpecDiff {
  std::vector<std::string> added_functions;    // in `after` only
  std::vector<std::string> removed_functions;  // in `before` only
  std::vector<FieldChange> changes;            // in function order of `after`, then fields;
                                               // then struct members in type order of `after`

  bool empty() const {
    return added_functions.empty() && removed_functions.empty() && changes.empty();
  }
  // Functions added, removed, or with at least one changed field (params included).
  std::size_t changed_functions() const;
  // Distinct function.param pairs with a change (added/removed params included,
  // return values not: they count toward their function only).
  std::size_t changed_params() const;
  // Distinct struct.member pairs with a change, and the structs they are in.
  std::size_t changed_members() const;
  std::size_t changed_structs() const;
};

struct DiffOptions {
  // Review status (inferred -> confirmed) is a change too, but after a review
  // it can drown the annotation edits; false leaves it out.
  bool include_status = true;
};

SpecDiff diff_specs(const Spec& before, const Spec& after, const DiffOptions& options = {});

// Human-readable listing, one change per line, ending with
// "N functions and M parameters changed" (and, when struct members changed,
// "; K struct members in J structs changed").
std::string format_spec_diff(const SpecDiff& diff);

// {"added_functions": [...], "removed_functions": [...], "changes": [{function, param,
//  field, before, after[, type]}], "changed_functions": N, "changed_params": M,
//  "changed_members": K, "changed_structs": J}
Json spec_diff_to_json(const SpecDiff& diff);

// Compact one-line description of an annotation ("out buffer size=n bytes nullable
// element{handle}"), used to print element and return-value changes.
std::string describe_annotation(const Annotation& a);

}  // namespace remora::spec
