// `remora score --spec INFERRED.json --truth TRUTH.json`: precision and recall
// of an inferred spec per annotation field, against a (possibly partial) truth.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "args.h"
#include "commands.h"
#include "remora/spec/json_io.h"
#include "remora/spec/spec_score.h"
#include "spec_source.h"

namespace remora::cli {
namespace {

const char* kUsage =
    "usage: remora score --spec INFERRED --truth TRUTH [--json] [--complete-truth]\n\n"
    "Scores an inferred spec against a truth spec, field by field, over the functions\n"
    "the truth contains (it may cover a subset of the API):\n"
    "  direction, kind, size, size_unit, element_kind, nullable  over pointer-like parameters\n"
    "  allocates, deallocates                                    over parameters and return "
    "values\n"
    "  sync                                                      over functions\n"
    "A field is scored only where the truth states it. For each field:\n"
    "  precision = correct / predicted   (predicted: the inferred spec states the field)\n"
    "  recall    = correct / labelled    (labelled: the truth states the field)\n"
    "Size expressions are compared by meaning (n*4 equals 4 * n).\n\n"
    "options:\n"
    "  --spec FILE        the inferred spec (remora-spec/1 JSON or a .remora project)\n"
    "  --truth FILE       the truth (remora-spec/1 layout; omitted fields are not scored),\n"
    "                     or a .remora project (scored as --complete-truth)\n"
    "  --complete-truth   treat every field of the truth as stated, defaults included\n"
    "                     (for a truth saved by Remora, which omits false/empty values)\n"
    "  --json             print the report as JSON\n\n"
    "exit codes: 0 scored, 1 a file failed to load, 2 bad usage.\n";

bool read_truth(const std::string& path, bool complete, spec::Truth& out) {
  spec::SpecIssues issues;
  // A project is always complete: Remora saved every field of it.
  if (complete || spec_source_kind(path) == SpecSourceKind::Project) {
    spec::SpecLoad load = load_spec_source(path);
    for (const auto& e : load.errors)
      std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
    if (!load.ok()) return false;
    out = spec::truth_from_spec(load.spec);
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot open truth file %s\n", path.c_str());
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (auto json = spec::parse_json_text(text.str(), issues))
    out = spec::truth_from_json(*json, issues);
  for (const auto& e : issues.errors)
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(), spec::format_issue(e).c_str());
  return issues.errors.empty();
}

}  // namespace

int cmd_score(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ParsedArgs parsed = parse_args(args, {{"--spec", "", true, false},
                                        {"--truth", "", true, false},
                                        {"--json", "", false, false},
                                        {"--complete-truth", "", false, false}});
  std::string problem = parsed.error;
  if (problem.empty() && (!parsed.has("--spec") || !parsed.has("--truth")))
    problem = "both --spec and --truth are required";
  if (problem.empty() && !parsed.positional.empty())
    problem = "unexpected argument '" + parsed.positional[0] + "'";
  if (!problem.empty()) {
    std::fprintf(stderr, "remora score: %s\n\n%s", problem.c_str(), kUsage);
    return 2;
  }

  spec::SpecLoad inferred = load_spec_source(parsed.get("--spec"));
  for (const auto& e : inferred.errors)
    std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
  spec::Truth truth;
  bool truth_ok = read_truth(parsed.get("--truth"), parsed.has("--complete-truth"), truth);
  if (!inferred.ok() || !truth_ok) {
    std::fprintf(stderr, "remora score: cannot score; fix the errors above\n");
    return 1;
  }
  spec::ScoreReport report = spec::score_spec(inferred.spec, truth);
  if (parsed.has("--json")) {
    spec::Json j = spec::score_report_to_json(report);
    j["spec"] = parsed.get("--spec");
    j["truth"] = parsed.get("--truth");
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::fputs(spec::format_score_report(report).c_str(), stdout);
  }
  return 0;
}

}  // namespace remora::cli
