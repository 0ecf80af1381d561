// `remora show`: annotated prototypes from a spec, readable by a person.
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "remora/inference/annotation_text.h"
#include "remora/inference/fusion.h"
#include "remora/inference/struct_text.h"
#include "remora/spec/json_io.h"
#include "spec_source.h"

namespace remora::cli {

namespace {

const char* kShowUsage =
    "usage: remora show [--needs-review] SPEC [FUNCTION | STRUCT | STRUCT.MEMBER]\n\n"
    "Prints each function as an annotated prototype: every parameter with its direction,\n"
    "kind, size and flags, its confidence, and '<- review' where a person should look;\n"
    "then each struct whose members need marshalling, annotated the same way.\n"
    "SPEC is a remora-spec/1 JSON file or a .remora project.\n\n"
    "options:\n"
    "  --needs-review  only the functions a person should look at, as `remora infer` counts\n"
    "                  them: a parameter below the review threshold or with conflicting\n"
    "                  evidence, or function-level confidence below it, and the structs with\n"
    "                  such a member; confirmed or edited annotations no longer count\n\n"
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
    // STRUCT.MEMBER: that member's line (struct names may hold dots: the longest known prefix).
    const std::string& name = parsed.positional[1];
    for (auto dot = name.rfind('.'); !f && !t && dot != std::string::npos && dot > 0;
         dot = name.rfind('.', dot - 1)) {
      const spec::Type* owner = load.spec.find_type(name.substr(0, dot));
      if (!owner || owner->kind != spec::TypeKind::Struct) continue;
      const spec::StructField* member = owner->find_field(name.substr(dot + 1));
      if (!member) {
        std::fprintf(stderr, "remora show: %s has no member '%s'\n", owner->name.c_str(),
                     name.substr(dot + 1).c_str());
        return 1;
      }
      std::printf("%s: %s\n", owner->name.c_str(), inference::annotated_member(*member).c_str());
      return 0;
    }
    if (!f) {
      std::fprintf(stderr, "remora show: no function or struct '%s' in %s\n",
                   parsed.positional[1].c_str(), parsed.positional[0].c_str());
      return 1;
    }
    std::printf("%s\n", inference::annotated_prototype(*f).c_str());
    if (!f->doc.empty()) std::printf("    // %s\n", f->doc.c_str());
    return 0;
  }
  std::printf("// %s: %zu functions, library %s\n", load.spec.api.name.c_str(),
              load.spec.functions.size(), load.spec.api.library.c_str());
  const bool only_review = parsed.has("--needs-review");
  // A struct needs review when one of its members does, as a parameter would.
  auto struct_needs_review = [](const spec::Type& t) {
    for (const auto& field : t.fields)
      if (inference::needs_review(field)) return true;
    return false;
  };
  if (only_review) {
    std::size_t count = 0, structs = 0;
    for (const auto& f : load.spec.functions) count += spec::needs_review(f) ? 1 : 0;
    for (const auto& t : load.spec.types)
      structs += inference::has_struct_annotations(t) && struct_needs_review(t) ? 1 : 0;
    std::printf(
        "// %zu of them need review (confidence < %.1f or conflicting evidence), and %zu "
        "struct(s) with a member to review\n",
        count, inference::kReviewThreshold, structs);
  }
  std::printf("\n");
  for (const auto& f : load.spec.functions)
    if (!only_review || spec::needs_review(f))
      std::printf("%s\n\n", inference::annotated_prototype(f).c_str());
  for (const auto& t : load.spec.types)
    if (inference::has_struct_annotations(t) && (!only_review || struct_needs_review(t)))
      std::printf("%s\n\n", inference::annotated_struct(t).c_str());
  return 0;
}

}  // namespace remora::cli
