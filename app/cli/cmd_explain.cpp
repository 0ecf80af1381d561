// `remora explain`: every piece of evidence behind an annotation, and how
// fusion weighed it into the final answer.
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

const char* kExplainUsage =
    "usage: remora explain SPEC FUNCTION[.PARAM | .return]\n"
    "       remora explain SPEC TYPE[.FIELD]\n\n"
    "Lists every evidence item (source, weight, claim, reason, location) behind a function,\n"
    "one parameter or one struct member, how fusion weighed them into the final annotation,\n"
    "and conflicts. SPEC is a remora-spec/1 JSON file or a .remora project.\n"
    "exit codes: 0 printed, 1 the spec could not be read or names no such function/param, 2 bad usage\n";

void print_evidence(const std::vector<spec::Evidence>& evidence) {
  if (evidence.empty()) std::printf("  evidence: none\n");
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    const spec::Evidence& e = evidence[i];
    std::printf("  [%zu] %-6s %.2f  says %s\n", i, std::string(spec::to_string(e.source)).c_str(), e.weight,
                inference::describe_patch(e.says).c_str());
    std::printf("        why: %s\n", e.why.c_str());
    if (!e.location.empty()) std::printf("        at:  %s\n", e.location.c_str());
  }
}

std::string indices(const std::vector<std::size_t>& list) {
  std::string out;
  for (auto i : list) out += (out.empty() ? "" : ",") + std::to_string(i);
  return out.empty() ? "-" : out;
}

void print_reasoning(const inference::FusionExplanation& x) {
  std::printf("  reasoning:\n");
  for (const auto& v : x.fields) {
    std::printf("    %-11s = %-22s confidence %.2f (support %.2f from [%s]", v.field.c_str(), v.value.c_str(),
                v.confidence, v.support, indices(v.for_evidence).c_str());
    if (!v.alternative.empty())
      std::printf("; against: %s %.2f from [%s]", v.alternative.c_str(), v.opposition, indices(v.against_evidence).c_str());
    std::printf(")%s\n", v.decided_by_human ? " decided by a reviewer" : "");
  }
  for (const auto& n : x.notes) std::printf("    note: %s\n", n.c_str());
  for (const auto& c : x.conflicts) std::printf("    CONFLICT: %s\n", c.c_str());
  std::printf("    overall confidence %.2f\n", x.confidence);
}

void explain_param(const spec::Function& f, const spec::Param& p) {
  std::printf("%s.%s  (%s)\n", f.name.c_str(), p.name.c_str(), inference::declare(p.type, p.name).c_str());
  std::printf("  final: [%s] confidence %.2f, status %s%s\n", inference::describe_annotation(p.ann).c_str(),
              p.confidence, std::string(spec::to_string(p.status)).c_str(),
              inference::needs_review(p) ? "  <- needs review" : "");
  print_evidence(p.evidence);
  print_reasoning(inference::explain_param(p));
  for (const auto& c : p.conflicts) std::printf("  recorded conflict: %s\n", c.c_str());
}

void explain_field(const spec::Type& t, const spec::StructField& f) {
  std::string declared = f.ctype.empty() ? inference::declare(f.type, f.name) : spec::declare(f.ctype, f.name);
  std::printf("%s.%s  (%s", t.name.c_str(), f.name.c_str(), declared.c_str());
  if (f.offset >= 0) std::printf(", offset %lld", f.offset);
  std::printf(")\n");
  if (!f.ctype.empty()) std::printf("  type: %s\n", spec::describe(f.ctype).c_str());
  if (f.evidence.empty() && f.status == spec::ReviewStatus::Inferred) {
    if (f.ctype.empty() || !spec::needs_marshalling(f.ctype)) {
      std::printf("  a value member: copied with its struct, nothing to annotate\n");
      return;
    }
    std::printf("  final: nothing known  <- needs review\n");
  } else {
    std::printf("  final: [%s] confidence %.2f, status %s%s\n", inference::describe_annotation(f.ann).c_str(),
                f.confidence, std::string(spec::to_string(f.status)).c_str(),
                inference::needs_review(f) ? "  <- needs review" : "");
  }
  print_evidence(f.evidence);
  print_reasoning(inference::explain_field(f));
  for (const auto& c : f.conflicts) std::printf("  recorded conflict: %s\n", c.c_str());
}

// TYPE or TYPE.FIELD; type names may contain dots themselves ("Outer.inner"
// names an untagged struct inside Outer), so the longest known prefix wins.
int explain_type(const spec::Spec& spec, const std::string& target, const std::string& file) {
  const spec::Type* t = spec.find_type(target);
  std::string field_name;
  for (auto dot = target.rfind('.'); !t && dot != std::string::npos; dot = target.rfind('.', dot - 1)) {
    t = spec.find_type(target.substr(0, dot));
    if (t) field_name = target.substr(dot + 1);
    if (dot == 0) break;
  }
  if (!t) {
    std::fprintf(stderr, "remora explain: no function or type '%s' in %s\n", target.c_str(), file.c_str());
    return 1;
  }
  if (!field_name.empty()) {
    const spec::StructField* f = t->find_field(field_name);
    if (!f) {
      std::fprintf(stderr, "remora explain: %s has no member '%s' (it has:", t->name.c_str(), field_name.c_str());
      for (const auto& g : t->fields) std::fprintf(stderr, " %s", g.name.c_str());
      std::fprintf(stderr, ")\n");
      return 1;
    }
    explain_field(*t, *f);
    return 0;
  }
  std::printf("%s\n", t->kind == spec::TypeKind::Struct ? inference::annotated_struct(*t).c_str()
                                                         : (t->name + " (" + std::string(spec::to_string(t->kind)) + ")").c_str());
  if (!t->ctype.empty()) std::printf("  stands for: %s\n", spec::describe(t->ctype).c_str());
  print_evidence(t->evidence);
  for (const auto& f : t->fields) {
    if (f.evidence.empty() && f.status == spec::ReviewStatus::Inferred && !inference::needs_review(f)) continue;
    std::printf("\n");
    explain_field(*t, f);
  }
  return 0;
}

}  // namespace

int cmd_explain(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kExplainUsage, stdout);
    return 0;
  }
  ParsedArgs parsed = parse_args(args, {});
  if (parsed.error.empty() && parsed.positional.size() != 2) parsed.error = "give a spec file and FUNCTION[.PARAM]";
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "remora explain: %s\n\n%s", parsed.error.c_str(), kExplainUsage);
    return 2;
  }
  spec::SpecLoad load = load_spec_source(parsed.positional[0]);
  if (!load.ok()) {
    for (const auto& e : load.errors) std::fprintf(stderr, "error: %s\n", spec::format_issue(e).c_str());
    std::fprintf(stderr, "remora explain: %s is not a usable spec (see above)\n", parsed.positional[0].c_str());
    return 1;
  }
  std::string target = parsed.positional[1], function_name = target, param_name;
  if (auto dot = target.find('.'); dot != std::string::npos) {
    function_name = target.substr(0, dot);
    param_name = target.substr(dot + 1);
  }
  const spec::Function* f = load.spec.find_function(function_name);
  if (!f) return explain_type(load.spec, target, parsed.positional[0]);
  if (param_name == "return") {
    std::printf("%s return value (%s): [%s]\n", f->name.c_str(), f->ret.type.c_str(),
                inference::describe_annotation(f->ret.ann).c_str());
    std::printf("  (return-value claims are function-level evidence)\n");
    print_evidence(f->evidence);
    print_reasoning(inference::explain_function(*f));
    return 0;
  }
  if (!param_name.empty()) {
    const spec::Param* p = f->find_param(param_name);
    if (!p) {
      std::fprintf(stderr, "remora explain: %s has no parameter '%s' (it has:", f->name.c_str(), param_name.c_str());
      for (const auto& q : f->params) std::fprintf(stderr, " %s", q.name.c_str());
      std::fprintf(stderr, ")\n");
      return 1;
    }
    explain_param(*f, *p);
    return 0;
  }
  std::printf("%s\n\n", inference::annotated_prototype(*f).c_str());
  if (!f->doc.empty()) std::printf("doc: %s\n", f->doc.c_str());
  std::printf("%s  (function level: sync, barrier, return value; at %s)\n", f->name.c_str(), f->location.c_str());
  print_evidence(f->evidence);
  print_reasoning(inference::explain_function(*f));
  if (!f->supported) std::printf("  unsupported: %s\n", f->unsupported_reason.c_str());
  for (const auto& p : f->params) {
    std::printf("\n");
    explain_param(*f, p);
  }
  return 0;
}

}  // namespace remora::cli
