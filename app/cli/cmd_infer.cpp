// `remora infer`: header (+ docs, traces) -> remoting spec JSON (+ project).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "args.h"
#include "commands.h"
#include "output_check.h"
#include "remora/inference/fusion.h"
#include "remora/inference/missing_sources.h"
#include "remora/inference/pipeline.h"
#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "remora/spec/keep_review.h"
#include "remora/spec/project_store.h"

namespace remora::cli {

namespace {

const char* kInferUsage =
    "usage: remora infer HEADER... [-I DIR]... [-D NAME[=VAL]]... [--docs PATH]... [--trace "
    "DB]...\n"
    "       remora infer --project FILE.remora [--docs PATH]... [--trace DB]... -o SPEC.json\n"
    "                    [--api-dir DIR]... [--api-glob PATTERN]... [--exclude PATTERN]... "
    "[--keep-going]\n"
    "                    [--api-name NAME] [--library SONAME]... -o SPEC.json [--project "
    "FILE.remora] "
    "[--quiet]\n\n"
    "Infers a remoting spec from a vendor C header (or several: one spec for all), its\n"
    "documentation and program traces.\n"
    "Without HEADER, re-infers an existing project from the sources it names (header,\n"
    "include folders, defines, docs, traces; stored relative to the project file, so it\n"
    "works from any directory), plus the --docs and --trace given.\n"
    "Re-inferring into a project keeps every human decision, and the evidence of a source\n"
    "that has gone missing (with a warning naming it).\n"
    "Every annotation carries its evidence and a confidence; review the ones flagged below\n"
    "with 'remora show', 'remora explain' or the studio.\n\n"
    "options:\n"
    "  -I, --include DIR       add an include directory (repeatable)\n"
    "  -D, --define NAME[=VAL] define a macro while parsing (repeatable)\n"
    "  --docs PATH             reference docs: a file or folder (repeatable)\n"
    "  --trace DB              a trace database from 'remora trace' (repeatable)\n"
    "  --api-dir DIR           headers the named ones include from DIR belong to the API "
    "(repeatable)\n"
    "  --api-glob PATTERN      so do included headers matching PATTERN: a file name "
    "('cublas_api.h',\n"
    "                          'cu*.h') or, with a '/', a whole path (repeatable)\n"
    "  --exclude PATTERN       never take functions, types or macros from headers matching "
    "PATTERN\n"
    "  --keep-going            infer even if the header has parse errors: functions whose "
    "prototype\n"
    "                          holds an error are marked unsupported (default: fail, exit 1)\n"
    "  --api-name NAME         API name (default: the header's file name)\n"
    "  --library SONAME|PATH   the vendor library, e.g. libOpenCL.so.1 (default: the installed\n"
    "                          library that defines most of the API's functions, found by\n"
    "                          reading the system's and the toolkit's libraries). Repeat it\n"
    "                          when the API spans several libraries (libcudart.so.13,\n"
    "                          libcuda.so.1, libcublas.so.13): each function belongs to the\n"
    "                          first that exports it, and the stack serves every soname\n"
    "  -o, --output SPEC.json  where to write the spec (required)\n"
    "  --project FILE.remora   also save the model, evidence and sources to a project\n"
    "  --quiet                 print only errors\n"
    "exit codes: 0 spec written, 1 inference or writing failed (parse errors, no functions,\n"
    "            unreadable project), 2 bad usage\n";

struct Summary {
  int functions = 0, unsupported = 0, pointer_params = 0, review = 0, conflicts = 0;
  std::map<std::string, int> kinds;
};

Summary summarize(const spec::Spec& s) {
  Summary out;
  out.functions = static_cast<int>(s.functions.size());
  for (const auto& f : s.functions) {
    if (!f.supported) ++out.unsupported;
    for (const auto& p : f.params) {
      if (p.type.find('*') != std::string::npos || p.type.find('[') != std::string::npos)
        ++out.pointer_params;
      ++out.kinds[std::string(spec::to_string(p.ann.kind))];
      if (inference::needs_review(p)) ++out.review;
      if (!p.conflicts.empty()) ++out.conflicts;
    }
  }
  return out;
}

// Every warning, and the first parse errors (a missing -I can cause hundreds).
void print_diagnostics(const spec::Diagnostics& diagnostics, bool quiet) {
  constexpr int kShownErrors = 10;
  int errors = 0, hidden = 0;
  auto flush_hidden = [&] {
    if (hidden > 0) std::fprintf(stderr, "(%d more errors not shown)\n", hidden);
    hidden = 0;
  };
  for (const auto& d : diagnostics) {
    bool error = d.severity == spec::Diagnostic::Severity::Error;
    if (quiet && !error) continue;
    if (error && !d.file.empty() && ++errors > kShownErrors) {
      ++hidden;
      continue;
    }
    flush_hidden();
    std::fprintf(stderr, "%s\n", spec::format_diagnostic(d).c_str());
  }
  flush_hidden();
}

// Runs the pipeline with progress lines on stderr that name what each stage works
// on; a stage's inner steps (one per docs file, per traced function) get one line.
inference::InferResult infer_with_progress(const inference::InferOptions& options, bool quiet) {
  auto joined = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : ", ") + item;
    return out.empty() ? std::string("none given") : out;
  };
  std::vector<std::string> headers{options.header};
  headers.insert(headers.end(), options.extra_headers.begin(), options.extra_headers.end());
  const std::map<std::string, std::string, std::less<>> subject{
      {"parsing header", joined(headers)},
      {"header rules", "the parsed prototypes and types"},
      {"documentation", joined(options.docs)},
      {"traces", joined(options.traces)},
      {"fusion", "weighing the evidence"}};
  std::string last_step;
  auto progress = [&](std::string_view stage, long long done, long long total) {
    if (quiet || stage == "done") return true;
    if (auto it = subject.find(stage); it != subject.end()) {
      std::fprintf(stderr, "remora infer: [%lld/%lld] %s: %s\n", done + 1, total, it->first.c_str(),
                   it->second.c_str());
      last_step.clear();
    } else if (stage != last_step && done < total) {
      last_step = std::string(stage);
      std::fprintf(stderr, "remora infer:   %s (%lld)\n", last_step.c_str(), total);
    }
    return true;
  };
  return inference::infer_spec(options, progress);
}

}  // namespace

int cmd_infer(const Args& args) {
  if (wants_help(args)) {
    std::fputs(kInferUsage, stdout);
    return 0;
  }
  ParsedArgs parsed = parse_args(args, {{"--include", "-I", true, true},
                                        {"--define", "-D", true, true},
                                        {"--docs", "", true, true},
                                        {"--trace", "", true, true},
                                        {"--api-dir", "", true, true},
                                        {"--api-glob", "", true, true},
                                        {"--exclude", "", true, true},
                                        {"--keep-going", "", false, false},
                                        {"--api-name", "", true, false},
                                        {"--library", "", true, true},
                                        {"--output", "-o", true, false},
                                        {"--project", "", true, false},
                                        {"--quiet", "-q", false, false}});
  if (parsed.error.empty() && parsed.positional.empty() && !parsed.has("--project"))
    parsed.error = "name the header to infer from (or --project FILE.remora to re-infer a project)";
  if (parsed.error.empty() && !parsed.has("--output")) parsed.error = "-o SPEC.json is required";
  if (!parsed.error.empty()) {
    std::fprintf(stderr, "remora infer: %s\n\n%s", parsed.error.c_str(), kInferUsage);
    return 2;
  }
  bool quiet = parsed.has("--quiet");
  const std::string project = parsed.get("--project");

  // Errors before work: where the results go is checked before the pipeline runs.
  const std::string output = parsed.get("--output");
  for (const std::string& target : {output, project}) {
    if (target.empty()) continue;
    if (std::string why = why_cannot_write(target); !why.empty()) {
      std::fprintf(stderr, "remora infer: nothing inferred: %s\n", why.c_str());
      return 1;
    }
  }
  // Re-inferring into a reviewed project keeps the review: human decisions win.
  std::optional<spec::Spec> reviewed;
  std::optional<spec::ProjectSettings> stored;
  if (!project.empty() && std::filesystem::exists(project)) {
    try {
      auto store = spec::ProjectStore::open(project);
      reviewed = store->load_spec();
      stored = store->load_settings();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "remora infer: nothing inferred: %s\n", e.what());
      return 1;
    }
  }
  inference::InferOptions options;
  if (!parsed.positional.empty()) {
    options.header = parsed.positional.front();
    options.extra_headers.assign(parsed.positional.begin() + 1, parsed.positional.end());
    options.include_dirs = parsed.all("--include");
    options.defines = parsed.all("--define");
    options.docs = parsed.all("--docs");
    options.traces = parsed.all("--trace");
    options.api_name = parsed.get("--api-name");
    auto libraries = parsed.all("--library");
    if (!libraries.empty()) {
      options.library = libraries.front();
      options.extra_libraries.assign(libraries.begin() + 1, libraries.end());
    }
  } else {
    if (!stored || stored->header.empty()) {
      std::fprintf(stderr,
                   "remora infer: nothing inferred: %s %s; give the header: remora infer HEADER "
                   "... --project %s\n",
                   project.c_str(), stored ? "names no header to infer from" : "does not exist",
                   project.c_str());
      return 1;
    }
    if (reviewed && reviewed->api.headers.size() > 1) {
      std::fprintf(stderr,
                   "remora infer: nothing inferred: %s was inferred from %zu headers and keeps "
                   "the first only; give them all again: remora infer HEADER... --project %s\n",
                   project.c_str(), reviewed->api.headers.size(), project.c_str());
      return 1;
    }
    // The project's sources as stored (resolved against the project's folder),
    // plus what this command adds.
    // The same source spelled relative to here or as stored (absolute) is one source.
    auto same = [](const std::string& a, const std::string& b) {
      std::error_code ec;
      return a == b || std::filesystem::absolute(a, ec).lexically_normal() ==
                           std::filesystem::absolute(b, ec).lexically_normal();
    };
    auto add = [&](std::vector<std::string> list, const std::vector<std::string>& more) {
      for (const auto& m : more)
        if (std::none_of(list.begin(), list.end(), [&](const auto& l) { return same(l, m); }))
          list.push_back(m);
      return list;
    };
    options.header = stored->header;
    options.include_dirs = add(stored->include_dirs, parsed.all("--include"));
    options.defines = add(stored->defines, parsed.all("--define"));
    options.docs = add(stored->docs, parsed.all("--docs"));
    options.traces = add(stored->traces, parsed.all("--trace"));
    options.api_name = parsed.get("--api-name", reviewed ? reviewed->api.name : "");
    const auto& libraries = parsed.all("--library");
    options.library = libraries.empty() ? stored->library : libraries.front();
    if (!libraries.empty()) options.extra_libraries.assign(libraries.begin() + 1, libraries.end());
    if (!quiet)
      std::fprintf(stderr, "remora infer: re-inferring %s from %s (%zu docs, %zu traces)\n",
                   project.c_str(), options.header.c_str(), options.docs.size(),
                   options.traces.size());
  }
  options.filter.dirs = parsed.all("--api-dir");
  options.filter.globs = parsed.all("--api-glob");
  options.filter.excludes = parsed.all("--exclude");
  options.keep_going = parsed.has("--keep-going");
  if (std::error_code ec;
      parsed.positional.empty() && !std::filesystem::exists(options.header, ec)) {
    std::fprintf(stderr,
                 "remora infer: nothing inferred: the header %s that %s names does not exist; give "
                 "it again: remora infer HEADER ... --project %s\n",
                 options.header.c_str(), project.c_str(), project.c_str());
    return 1;
  }

  inference::InferResult result = infer_with_progress(options, quiet);
  // A spec without functions is never what was meant: say why, even with --quiet.
  bool empty = result.ok && result.spec.functions.empty();
  print_diagnostics(result.diagnostics, quiet && !empty);
  if (!result.ok) {
    std::fprintf(stderr,
                 "remora infer: no spec written: the header could not be parsed (see above)\n");
    return 1;
  }
  if (empty) {
    std::fprintf(
        stderr,
        "remora infer: no spec written: no functions found (see above for which filter to pass)\n");
    return 1;
  }

  if (reviewed) {
    // A docs folder or trace this run could not read keeps the evidence it gave.
    for (const auto& d :
         inference::keep_evidence_of_missing_sources(options, *reviewed, project, result.spec))
      std::fprintf(stderr, "remora infer: %s\n", spec::format_diagnostic(d).c_str());
    std::size_t kept = spec::keep_human_decisions(*reviewed, result.spec);
    if (kept && !quiet)
      std::fprintf(stderr, "remora infer: kept %zu human decision(s) from the review in %s\n", kept,
                   parsed.get("--project").c_str());
  }
  try {
    spec::save_spec_file(result.spec, output);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "remora infer: cannot write %s: %s\n", output.c_str(), e.what());
    return 1;
  }
  if (parsed.has("--project")) {
    try {
      auto store = spec::ProjectStore::open(parsed.get("--project"));
      store->save_spec(result.spec);
      spec::ProjectSettings settings;
      settings.header = options.header;  // the project keeps the first header only
      settings.include_dirs = options.include_dirs;
      settings.defines = options.defines;
      settings.docs = options.docs;
      settings.traces = options.traces;
      settings.library = result.spec.api.library;
      store->save_settings(settings);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "remora infer: spec written to %s, but the project was not saved: %s\n",
                   output.c_str(), e.what());
      return 1;
    }
  }

  // What the header names in ways the generated C++ cannot use (a parameter called `new`):
  // said now, at the step where the header can still be changed, not first by generate.
  spec::SpecIssues names;
  spec::validate_names_into(result.spec, names);
  for (const auto& e : names.errors)
    std::fprintf(stderr, "remora infer: warning: %s (remora generate will refuse this spec)\n",
                 spec::format_issue(e).c_str());

  // The results go to stdout; progress and diagnostics went to stderr.
  if (!quiet) {
    std::fflush(stderr);
    Summary s = summarize(result.spec);
    std::printf("%s: %d functions (%d unsupported), %d pointer params\n",
                result.spec.api.name.c_str(), s.functions, s.unsupported, s.pointer_params);
    std::printf("param kinds:");
    for (const auto& [kind, count] : s.kinds) std::printf(" %s %d", kind.c_str(), count);
    std::printf(
        "\nneeds review: %d params (confidence < %.1f or conflicting evidence; %d with "
        "conflicts)\n",
        s.review, inference::kReviewThreshold, s.conflicts);
    int shown = 0, function_review = 0;
    for (const auto& f : result.spec.functions) {
      if (f.confidence < inference::kReviewThreshold) ++function_review;
      if (f.supported) continue;
      if (shown++ < 10)
        std::printf("  unsupported %s: %s\n", f.name.c_str(), f.unsupported_reason.c_str());
    }
    if (shown > 10)
      std::printf("  ... and %d more unsupported (remora show lists them)\n", shown - 10);
    std::printf("function-level review (sync/barrier/return confidence < %.1f): %d functions\n",
                inference::kReviewThreshold, function_review);
    std::printf("wrote %s\n", output.c_str());
  }
  return 0;
}

}  // namespace remora::cli
