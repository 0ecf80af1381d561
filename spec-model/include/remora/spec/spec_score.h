// Precision and recall of an inferred spec against a truth spec, per field.
//
// Scope. Only functions present in the truth are scored (a truth may cover a
// subset of the API). Within them:
//   - direction, kind, size, size_unit, element_kind, nullable: over the
//     pointer-like parameters, i.e. those whose C type contains '*' or '[' or
//     whose truth kind is anything but "value" (handles, callbacks, ...);
//   - allocates, deallocates: over every parameter and the return value;
//   - sync: over the functions.
// A field counts only where the truth labels it ("labelled"; size_unit only
// next to a labelled size): in a truth JSON
// a field is labelled when it is written (omit it to leave it unscored); with
// TruthMode::Complete every field of the truth model is labelled, defaults
// included.
//
// Definitions, per field:
//   labelled  = items whose field the truth states;
//   predicted = labelled items whose field the inferred spec states (direction,
//               kind, nullable, allocates, deallocates, sync are always stated
//               for an item the inferred spec has; size when non-empty;
//               size_unit with a size; element_kind when an element annotation exists);
//   correct   = predicted items whose value equals the truth (size expressions
//               compared by meaning, via normalize_size_expr);
//   precision = correct / predicted;  recall = correct / labelled.
// "overall" sums the counts of all fields (micro average).
// "kind_direction" is a combined item, outside "overall": a pointer-like
// parameter whose truth states both kind and direction is correct only when
// the inferred spec has both right (what decides which bytes move).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "remora/spec/json_fragments.h"
#include "remora/spec/model.h"

namespace remora::spec {

// What the truth says about one function, field by field.
struct TruthParam {
  std::string name;
  std::string type;  // "" if the truth does not say
  AnnotationPatch
      labels;  // direction, kind, size, size_unit, nullable, element_kind, (de)allocates
};
struct TruthFunction {
  std::string name;
  std::optional<Sync> sync;
  AnnotationPatch return_labels;  // allocates / deallocates of the return value
  std::vector<TruthParam> params;
};
struct Truth {
  std::vector<TruthFunction> functions;
};

enum class TruthMode { Stated, Complete };

// From a truth JSON document (fields written = labelled). Issues for
// structural problems (not an object, params not an array, bad spellings).
Truth truth_from_json(const Json& doc, SpecIssues& issues);
// From a model: every field labelled (TruthMode::Complete).
Truth truth_from_spec(const Spec& spec);

struct FieldScore {
  std::string field;
  long long labelled = 0;
  long long predicted = 0;
  long long correct = 0;
  std::optional<double> precision() const;  // nullopt when nothing was predicted
  std::optional<double> recall() const;     // nullopt when nothing was labelled
};

struct Disagreement {
  std::string function;
  std::string param;  // "" for function-level fields, "return" for the return value
  std::string field;
  std::string inferred;  // "(none)" when the inferred spec does not state it
  std::string truth;
};

struct ScoreReport {
  std::vector<FieldScore> fields;  // fixed order: direction, kind, size, size_unit,
                                   // element_kind, nullable, allocates, deallocates, sync
  FieldScore overall;              // micro average over all fields
  FieldScore kind_direction;       // both kind and direction right (not in overall)
  std::vector<Disagreement> disagreements;
  std::vector<std::string> missing_functions;  // in the truth, absent from the inferred spec
  long long functions_scored = 0;
  long long params_scored = 0;  // pointer-like params in scope
};

ScoreReport score_spec(const Spec& inferred, const Truth& truth);

// Text table with the definitions, then the disagreements.
std::string format_score_report(const ScoreReport& report);
// {"definition": ..., "functions_scored", "params_scored",
//  "fields": {"direction": {"labelled","predicted","correct","precision","recall"}, ...},
//  "overall": {...}, "kind_direction": {...}, "disagreements": [{function,param,field,inferred,truth}],
//  "missing_functions": [...]}; precision/recall are null when undefined.
Json score_report_to_json(const ScoreReport& report);

}  // namespace remora::spec
