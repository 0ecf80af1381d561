// Text and JSON forms of a score report. The JSON is parsed by the ablation
// script; its keys are part of the contract.
#include <cstdio>

#include "remora/spec/spec_score.h"

namespace remora::spec {
namespace {

constexpr const char* kDefinition =
    "labelled = items whose field the truth states; predicted = labelled items whose field the "
    "inferred spec states; correct = predicted items equal to the truth (size expressions "
    "compared by meaning); precision = correct / predicted; recall = correct / labelled. "
    "Items: pointer-like parameters (type with * or [, or truth kind other than value) for "
    "direction, kind, size, size_unit, element_kind, nullable; every parameter and return value "
    "for allocates, deallocates; functions for sync. Only functions in the truth are scored. "
    "kind_direction (not part of overall): a pointer-like parameter whose truth states kind and "
    "direction counts as correct only when both are right.";

std::string ratio(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *v);
  return buf;
}

std::string row(const FieldScore& s) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-13s %9lld %10lld %8lld %10s %7s\n", s.field.c_str(),
                s.labelled, s.predicted, s.correct, ratio(s.precision()).c_str(),
                ratio(s.recall()).c_str());
  return buf;
}

Json score_json(const FieldScore& s) {
  Json j = Json::object();
  j["labelled"] = s.labelled;
  j["predicted"] = s.predicted;
  j["correct"] = s.correct;
  auto p = s.precision(), r = s.recall();
  j["precision"] = p ? Json(*p) : Json(nullptr);
  j["recall"] = r ? Json(*r) : Json(nullptr);
  return j;
}

}  // namespace

std::string format_score_report(const ScoreReport& report) {
  std::string out = "Scored " + std::to_string(report.functions_scored) + " functions and " +
                    std::to_string(report.params_scored) +
                    " pointer-like parameters present in the truth.\n"
                    "  labelled  = items whose field the truth states\n"
                    "  predicted = labelled items whose field the inferred spec states\n"
                    "  correct   = predicted items equal to the truth (sizes compared by meaning)\n"
                    "  precision = correct / predicted    recall = correct / labelled\n\n";
  out += "  field          labelled  predicted  correct  precision  recall\n";
  for (const FieldScore& s : report.fields)
    if (s.labelled > 0) out += row(s);
  out += row(report.overall);
  if (report.kind_direction.labelled > 0) out += row(report.kind_direction);
  if (!report.missing_functions.empty()) {
    out += "\nmissing from the inferred spec (" + std::to_string(report.missing_functions.size()) +
           "):";
    for (const auto& name : report.missing_functions) out += " " + name;
    out += "\n";
  }
  out += "\ndisagreements (" + std::to_string(report.disagreements.size()) + "):\n";
  for (const Disagreement& d : report.disagreements) {
    std::string where = d.param.empty() ? d.function : d.function + "." + d.param;
    out += "  " + where + " " + d.field + ": inferred " + d.inferred + ", truth " + d.truth + "\n";
  }
  return out;
}

Json score_report_to_json(const ScoreReport& report) {
  Json j = Json::object();
  j["definition"] = kDefinition;
  j["functions_scored"] = report.functions_scored;
  j["params_scored"] = report.params_scored;
  Json fields = Json::object();
  for (const FieldScore& s : report.fields) fields[s.field] = score_json(s);
  j["fields"] = std::move(fields);
  j["overall"] = score_json(report.overall);
  j["kind_direction"] = score_json(report.kind_direction);
  Json list = Json::array();
  for (const Disagreement& d : report.disagreements)
    list.push_back(Json{{"function", d.function},
                        {"param", d.param},
                        {"field", d.field},
                        {"inferred", d.inferred},
                        {"truth", d.truth}});
  j["disagreements"] = std::move(list);
  j["missing_functions"] = report.missing_functions;
  return j;
}

}  // namespace remora::spec
