// `remora show`: annotated prototypes from a spec, readable by a person.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "remora/inference/annotation_text.h"
#include "remora/inference/struct_text.h"
#include "remora/inference/fusion.h"
#include "remora/spec/json_io.h"
#include "spec_source.h"

namespace remora::cli {

namespace {

const char* kShowUsage =
    "usage: remora show [--needs-review] SPEC [FUNCTION | STRUCT]\n\n"
    "Prints each function as an annotated prototype: every parameter with its direction,\n"
    "kind, size and flags, its confidence, and '<- review' where a person should look;\n"
    "then each struct whose members need marshalling, annotated the same way.\n"
    "SPEC is a remora-spec/1 JSON file or a .remora project.\n\n"
    "options:\n"
    "  --needs-review  only the functions a person should look at, as `remora infer` counts\n"
    "                  them: a parameter below the review threshold or with conflicting\n"
    "                  evidence, or function-level confidence below it; confirmed or edited\n"
    "                  annotations no longer count\n\n"
    "exit codes: 0 printed, 1 the spec could not be read or the function is not in it, 2 bad "
    "usage\n";

}  // namespace

int cmd_show(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kShowUsage, stdout);
    return 0;
  }
  ParsedArgs parsed = parse_args(args, {{"--needs-review", "", false, false}});
  if (parsed.error.empty() && (parsed.positional.empty() || parsed.positional.size() > 2))
    parsed.error = "give a spec file and optionally one function name";
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "remora show: %s\n\n%s", parsed.error.c_str(), kShowUsage);
    return 2;
  }
  spec::SpecLoad load = load_spec_source(parsed.positional[0]);
  for (const auto& w : load.warnings)
    std::fprintf(stderr, "warning: %s\n", spec::format_issue(w).c_str());
  if (!load.ok()) {
    for (const auto& e : load.errors)
      std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
    std::fprintf(stderr, "remora show: %s is not a usable spec (see above)\n",
                 parsed.positional[0].c_str());
    return 1;
  }
  if (parsed.positional.size() == 2) {
    const spec::Function* f = load.spec.find_function(parsed.positional[1]);
    const spec::Type* t = f ? nullptr : load.spec.find_type(parsed.positional[1]);
    if (t && t->kind == spec::TypeKind::Struct) {
      std::printf("%s\n", inference::annotated_struct(*t).c_str());
      return 0;
    }
    if (!f) {
      std::fprintf(stderr, "remora show: no function or struct '%s' in %s\n", parsed.positional[1].c_str(),
                   parsed.positional[0].c_str());
      return 1;
    }
    std::printf("%s\n", inference::annotated_prototype(*f).c_str());
    if (!f->doc.empty()) std::printf("    // %s\n", f->doc.c_str());
    return 0;
  }
  std::printf("// %s: %zu functions, library %s\n", load.spec.api.name.c_str(),
              load.spec.functions.size(), load.spec.api.library.c_str());
  const bool only_review = parsed.has("--needs-review");
  if (only_review) {
    std::size_t count = 0;
    for (const auto& f : load.spec.functions) count += spec::needs_review(f) ? 1 : 0;
    std::printf("// %zu of them need review (confidence < %.1f or conflicting evidence)\n", count,
                inference::kReviewThreshold);
  }
  std::printf("\n");
  for (const auto& f : load.spec.functions)
    if (!only_review || spec::needs_review(f))
      std::printf("%s\n\n", inference::annotated_prototype(f).c_str());
  if (!only_review)
    for (const auto& t : load.spec.types)
      if (inference::has_struct_annotations(t)) std::printf("%s\n\n", inference::annotated_struct(t).c_str());
  return 0;
}

}  // namespace remora::cli
