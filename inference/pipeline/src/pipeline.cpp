#include "remora/inference/pipeline.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "api_info.h"
#include "function_libraries.h"
#include "header_prose.h"
#include "member_evidence.h"
#include "remora/inference/docs_evidence.h"
#include "remora/inference/doxygen_evidence.h"
#include "remora/inference/fusion.h"
#include "remora/inference/header_rules.h"
#include "remora/inference/trace_evidence.h"
#include "remora/spec/size_expr.h"

namespace remora::inference {

namespace {

// Stages and their share of the work, for progress reporting.
enum Stage { kParse, kHeaderRules, kDocs, kTraces, kFusion, kStageCount };

bool report(const spec::Progress& progress, const char* stage, Stage done,
            spec::Diagnostics& diagnostics) {
  if (!progress || progress(stage, done, kStageCount)) return true;
  diagnostics.push_back(
      {spec::Diagnostic::Severity::Warning, "", 0,
       std::string("inference cancelled during ") + stage + "; nothing was inferred"});
  return false;
}

// Summarizes a parse with errors: a spec from it would carry the wrong types
// (clang reads an unknown type as int), so it is refused unless asked for.
spec::Diagnostic parse_errors_are_fatal(const ParsedHeader& header,
                                        const spec::Diagnostics& diagnostics) {
  std::string first;
  for (const auto& d : diagnostics)
    if (d.severity == spec::Diagnostic::Severity::Error) {
      first = spec::format_diagnostic(d);
      break;
    }
  return {spec::Diagnostic::Severity::Error, "", 0,
          "no spec: " + std::to_string(header.errors) + " parse error" +
              (header.errors == 1 ? "" : "s") + " (the first: " + first +
              "); types in the prototypes may be wrong. Pass the -I DIR / -D NAME[=VALUE] "
              "the header needs, or --keep-going to infer anyway (functions whose prototype holds "
              "an error are then "
              "marked unsupported)"};
}

void mark_unparsed_functions(spec::Spec& spec, const ParsedHeader& header,
                             spec::Diagnostics& diagnostics) {
  int marked = 0;
  for (const ParsedFunction& pf : header.functions) {
    if (pf.error.empty()) continue;
    spec::Function* f = spec.find_function(pf.name);
    if (!f) continue;
    f->supported = false;
    f->status = spec::ReviewStatus::Unsupported;  // fusion leaves it so
    f->unsupported_reason = "its prototype did not parse: " + pf.error;
    ++marked;
  }
  if (marked > 0)
    diagnostics.push_back({spec::Diagnostic::Severity::Warning, header.main_file, 0,
                           "--keep-going: " + std::to_string(marked) + " function" +
                               (marked == 1 ? "" : "s") +
                               " marked unsupported because the prototype held a parse error"});
}

// The leading arguments of every query() in `e` (parameters, constants, integers).
void collect_query_args(const spec::SizeExpr& e, std::vector<std::string>& out) {
  if (e.op == spec::SizeExpr::Op::Query) out.insert(out.end(), e.args.begin(), e.args.end());
  if (e.a) collect_query_args(*e.a, out);
  if (e.b) collect_query_args(*e.b, out);
}

// Every name an in_order predicate uses that is not one of the function's parameters:
// the constants it compares with and the keys property() looks up.
void collect_constants(const spec::SizeExpr& e, const spec::Function& f,
                       std::vector<std::string>& out) {
  if (e.op == spec::SizeExpr::Op::Param && !f.find_param(e.name)) out.push_back(e.name);
  if (e.op == spec::SizeExpr::Op::Property)
    for (const auto& key : e.args)
      if (!key.empty() && !std::isdigit(static_cast<unsigned char>(key[0])) && !f.find_param(key))
        out.push_back(key);
  if (e.a) collect_constants(*e.a, f, out);
  if (e.b) collect_constants(*e.b, f, out);
}

// An in_order claim's flag and key are API constants the generated server names; the
// docs may document one the installed header lacks. Such claims are dropped, like `when`
// clauses (a claim that does not parse is left for validation to report).
void drop_in_order_claims_with_unknown_constants(spec::Spec& spec,
                                                 const std::set<std::string>& known,
                                                 spec::Diagnostics& diagnostics) {
  int dropped = 0;
  for (auto& f : spec.functions)
    dropped += static_cast<int>(std::erase_if(f.evidence, [&](const spec::Evidence& e) {
      if (!e.says.in_order || e.source != spec::EvidenceSource::Docs) return false;
      auto parsed = spec::parse_creation_predicate(*e.says.in_order);
      if (!parsed) return false;
      std::vector<std::string> names;
      collect_constants(*parsed.expr, f, names);
      return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        return !known.count(n) && n != "true" && n != "false";
      });
    }));
  if (dropped)
    diagnostics.push_back(
        {spec::Diagnostic::Severity::Note, "", 0,
         std::to_string(dropped) +
             " in_order claim(s) dropped: they name constants the header does not define"});
}

// A changes_if claim names the selector values whose answers may change; a value the
// header does not define cannot be named in generated code, and a program built on that
// header does not ask for it by name. So only those alternatives go; the rest of the
// claim still keeps the guest from caching a count. A claim left with none is dropped.
void prune_changes_if_constants(spec::Spec& spec, const std::set<std::string>& known,
                                spec::Diagnostics& diagnostics) {
  int pruned = 0;
  for (auto& f : spec.functions)
    std::erase_if(f.evidence, [&](spec::Evidence& e) {
      if (!e.says.changes_if || e.source != spec::EvidenceSource::Docs) return false;
      auto parsed = spec::parse_predicate(*e.says.changes_if);
      if (!parsed) return false;  // validation reports it
      std::string kept;
      for (const spec::SizeExpr* a : spec::predicate_disjuncts(*parsed.expr)) {
        std::vector<std::string> names;
        collect_constants(*a, f, names);
        if (std::any_of(names.begin(), names.end(), [&](const std::string& n) { return !known.count(n); })) {
          ++pruned;
          continue;
        }
        kept += (kept.empty() ? "" : " || ") + spec::print_size_expr(*a);
      }
      e.says.changes_if = kept;
      return kept.empty();
    });
  if (pruned)
    diagnostics.push_back({spec::Diagnostic::Severity::Note, "", 0,
                           std::to_string(pruned) +
                               " selector value(s) left out of changes_if claims: the header does not define them"});
}

// A `when` clause compares a parameter with an API constant; generated code names
// that constant, so one the header does not define (a documented extension the
// installed header lacks) would not compile. Such clauses are dropped.
void drop_whens_with_unknown_constants(spec::Spec& spec, const ParsedHeader& header, spec::Diagnostics& diagnostics) {
  std::set<std::string> known;
  for (const auto& m : header.macros) known.insert(m.name);
  for (const auto& t : header.types)
    for (const auto& c : t.constants) known.insert(c.name);
  int dropped = 0;
  for (auto& f : spec.functions)
    for (auto& p : f.params)
      dropped += static_cast<int>(std::erase_if(p.when, [&](const spec::When& w) {
        auto unknown = [&](const std::string& constant) {
          bool identifier =
              !constant.empty() &&
              (std::isalpha(static_cast<unsigned char>(constant[0])) || constant[0] == '_') &&
              std::all_of(constant.begin(), constant.end(),
                          [](unsigned char c) { return std::isalnum(c) || c == '_'; });
          return identifier && !known.count(constant) && !f.find_param(constant);
        };
        auto eq = w.condition.find("== ");
        if (eq != std::string::npos && unknown(w.condition.substr(eq + 3))) return true;
        // query(FN, object, CONSTANT)[i] in an element size names a constant too.
        for (const auto* size : {&w.overrides.size, &w.overrides.element_size}) {
          if (!*size) continue;
          auto parsed = spec::parse_size_expr(**size);
          if (!parsed) continue;
          std::vector<std::string> args;
          collect_query_args(*parsed.expr, args);
          if (std::any_of(args.begin(), args.end(), unknown)) return true;
        }
        return false;
      }));
  if (dropped)
    diagnostics.push_back({spec::Diagnostic::Severity::Note, "", 0,
                           std::to_string(dropped) +
                               " conditional annotation(s) dropped: they name constants the header does not define"});
  drop_in_order_claims_with_unknown_constants(spec, known, diagnostics);
  prune_changes_if_constants(spec, known, diagnostics);
}

}  // namespace

InferResult infer_spec(const InferOptions& options, const spec::Progress& progress) {
  InferResult result;
  if (!report(progress, "parsing header", kParse, result.diagnostics)) return result;

  HeaderParseOptions parse_options{options.header,        options.include_dirs, options.defines, "",
                                   options.extra_headers, options.filter};
  HeaderParse parsed = parse_header(parse_options);
  result.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.ok) return result;
  if (parsed.header.errors > 0 && !options.keep_going) {
    result.diagnostics.push_back(parse_errors_are_fatal(parsed.header, result.diagnostics));
    return result;
  }

  if (options.use_header_evidence) recognise_struct_handles(parsed.header);
  result.spec = spec_skeleton(parsed.header);
  std::vector<std::string> names;
  for (const auto& f : result.spec.functions) names.push_back(f.exported_symbol());
  result.spec.api = api_info_for(options, names, result.diagnostics);
  if (!options.extra_libraries.empty()) {
    std::vector<std::string> headers{options.header};
    headers.insert(headers.end(), options.extra_headers.begin(), options.extra_headers.end());
    std::vector<LibraryExports> libraries{read_library_exports(
        options.library.empty() ? result.spec.api.library : options.library, headers)};
    libraries.front().soname = result.spec.api.library;
    for (const auto& extra : options.extra_libraries)
      libraries.push_back(read_library_exports(extra, headers));
    assign_function_libraries(result.spec, libraries, result.diagnostics);
  }
  mark_unparsed_functions(result.spec, parsed.header, result.diagnostics);

  if (!report(progress, "header rules", kHeaderRules, result.diagnostics)) return result;
  if (options.use_header_evidence) add_header_evidence(result.spec, parsed.header);
  if (options.use_docs_evidence) {
    add_doxygen_evidence(result.spec, parsed.header);
    add_header_prose_evidence(result.spec, parsed.header);
  }

  if (!report(progress, "documentation", kDocs, result.diagnostics)) return result;
  if (options.use_docs_evidence && !options.docs.empty()) {
    result.member_claims = add_docs_evidence(result.spec, options.docs, result.diagnostics, progress);
    add_member_evidence(result.spec, result.member_claims);  // before fusion: weighed with the field rules
  }

  drop_whens_with_unknown_constants(result.spec, parsed.header, result.diagnostics);

  if (!report(progress, "traces", kTraces, result.diagnostics)) return result;
  if (options.use_trace_evidence)
    for (const auto& trace : options.traces)
      add_trace_evidence(result.spec, trace, result.diagnostics, progress);

  if (!report(progress, "fusion", kFusion, result.diagnostics)) return result;
  fuse_spec(result.spec);
  report(progress, "done", kStageCount, result.diagnostics);
  result.ok = true;
  return result;
}

void refuse_spec(spec::Spec& spec) {
  fuse_spec(spec);
}

}  // namespace remora::inference
