// `remora diff BEFORE AFTER`: the annotation changes between two specs, e.g.
// what a reviewer changed in an inferred spec.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "remora/spec/json_io.h"
#include "remora/spec/spec_diff.h"
#include "spec_source.h"

namespace remora::cli {
namespace {

const char* kUsage =
    "usage: remora diff [--json] [--no-status] BEFORE AFTER\n\n"
    "Lists the annotation changes from BEFORE (e.g. the inferred spec) to AFTER\n"
    "(e.g. the reviewed spec): functions added or removed, and changed fields of\n"
    "functions (sync, barrier, supported, status), return values, parameters and\n"
    "struct members (direction, kind, size, size_unit, nullable, element, allocates,\n"
    "deallocates, when, status). Size expressions are compared by meaning: n*4 equals\n"
    "4 * n. The last line counts changed functions, parameters and struct members.\n"
    "BEFORE and AFTER are JSON specs or .remora projects, e.g. the inferred JSON\n"
    "against the project the studio saved the review into.\n\n"
    "options:\n"
    "  --json       print the changes as JSON\n"
    "  --no-status  leave out review-status changes (inferred -> confirmed)\n\n"
    "exit codes: 0 compared (whether or not anything changed), 1 a spec failed to load,\n"
    "2 bad usage.\n";

bool load(const std::string& path, spec::Spec& out) {
  spec::SpecLoad load = load_spec_source(path);
  for (const auto& e : load.errors)
    std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
  if (!load.ok()) {
    std::fprintf(stderr, "remora diff: %s cannot be compared; fix the errors above\n",
                 path.c_str());
    return false;
  }
  out = std::move(load.spec);
  return true;
}

}  // namespace

int cmd_diff(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ParsedArgs parsed =
      parse_args(args, {{"--json", "", false, false}, {"--no-status", "", false, false}});
  if (!parsed.error.empty() || parsed.positional.size() != 2) {
    std::fprintf(stderr, "remora diff: %s\n\n%s",
                 parsed.error.empty() ? "expected two spec files" : parsed.error.c_str(), kUsage);
    return 2;
  }
  spec::Spec before, after;
  bool ok = load(parsed.positional[0], before);
  ok = load(parsed.positional[1], after) && ok;  // report both files' problems
  if (!ok) return 1;
  spec::DiffOptions options;
  options.include_status = !parsed.has("--no-status");
  spec::SpecDiff diff = spec::diff_specs(before, after, options);
  if (parsed.has("--json"))
    std::printf("%s\n", spec::spec_diff_to_json(diff).dump(2).c_str());
  else
    std::fputs(spec::format_spec_diff(diff).c_str(), stdout);
  return 0;
}

}  // namespace remora::cli
