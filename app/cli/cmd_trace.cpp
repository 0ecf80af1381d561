// `remora trace --spec SPEC.json [--lib REAL-LIB] -o TRACE.db -- PROGRAM [ARGS...]`
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>

#include "args.h"
#include "commands.h"
#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"
#include "spec_source.h"

#if __has_include("remora/trace/tracer.h")
#include "remora/trace/tracer.h"
#define REMORA_HAVE_TRACE 1
#endif

namespace remora::cli {
namespace {

const char* kUsage =
    "usage: remora trace --spec SPEC [--lib REAL-LIB] -o TRACE.db -- PROGRAM [ARGS...]\n\n"
    "Runs PROGRAM with an LD_PRELOAD interposer generated from SPEC and records every\n"
    "call of the API (arguments, pointed-to memory changes, handles, callbacks) into\n"
    "the SQLite database TRACE.db. The exit code is the program's.\n\n"
    "options:\n"
    "  --spec SPEC        the API spec, JSON or a .remora project (a header-only inferred\n"
    "                     spec is enough; a project's include folders are used too)\n"
    "  -o, --output DB    trace database to write (replaced)\n"
    "  --lib PATH         resolve the real functions from this library (default: the next\n"
    "                     library in the search order, i.e. what the program links)\n"
    "  --header H         header to take signatures from (overrides the spec's api.headers)\n"
    "  -I DIR, -D NAME[=V]  extra include folders / defines for the interposer build\n"
    "  --window BYTES     bytes compared per pointer argument (default 1048576)\n"
    "  --cache DIR        interposer cache (default $XDG_CACHE_HOME/remora or ~/.cache/remora)\n"
    "  --rebuild          rebuild the interposer even if a cached one matches\n"
    "  --quiet            no progress on stderr\n\n"
    "exit codes: the program's exit code once it ran; 1 the spec could not be read or the\n"
    "interposer not built or run, 2 bad usage\n";

}  // namespace

int cmd_trace(const Args& raw) {
  if (wants_help(raw)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  ParsedArgs args = parse_args(raw, {{"--spec", ""},
                                     {"--output", "-o"},
                                     {"--lib", ""},
                                     {"--header", "", true, true},
                                     {"--include", "-I", true, true},
                                     {"--define", "-D", true, true},
                                     {"--window", ""},
                                     {"--cache", ""},
                                     {"--rebuild", "", false},
                                     {"--quiet", "-q", false}});
  if (!args.error.empty() || !args.positional.empty()) {
    std::fprintf(stderr, "remora trace: %s\n\n%s",
                 args.error.empty() ? ("unexpected argument '" + args.positional[0] +
                                       "' (put the program after '--')")
                                          .c_str()
                                    : args.error.c_str(),
                 kUsage);
    return 2;
  }
  if (!args.has("--spec") || !args.has("--output") || args.after_dashdash.empty()) {
    std::fprintf(stderr, "remora trace: --spec, -o and a program after '--' are required\n\n%s",
                 kUsage);
    return 2;
  }
#ifndef REMORA_HAVE_TRACE
  std::fprintf(stderr, "remora: 'trace' is not available in this build (remora_trace missing)\n");
  return 1;
#else
  spec::SpecLoad load = load_spec_source(args.get("--spec"));
  if (!load.ok()) {
    std::fprintf(stderr, "remora trace: the spec %s cannot be used:\n", args.get("--spec").c_str());
    for (const auto& e : load.errors) std::fprintf(stderr, "  %s\n", spec::format_issue(e).c_str());
    return 1;
  }
  trace::TraceOptions options;
  options.argv = args.after_dashdash;
  options.output = args.get("--output");
  options.real_library = args.get("--lib");
  options.build.headers = args.all("--header");
  options.build.include_dirs = args.all("--include");
  // A project names the include folders its header needs (resolved against the
  // project file, so from any directory); one that is gone is named before the
  // interposer build fails on it.
  if (spec_source_kind(args.get("--spec")) == SpecSourceKind::Project) {
    try {
      spec::ProjectSettings settings =
          spec::ProjectStore::open(args.get("--spec"))->load_settings();
      for (const auto& dir : settings.include_dirs) {
        std::error_code ec;
        if (std::filesystem::is_directory(dir, ec))
          options.build.include_dirs.push_back(dir);
        else
          std::fprintf(
              stderr,
              "remora trace: warning: the include folder %s that %s names is missing; pass "
              "-I with its new place if the interposer build needs it\n",
              dir.c_str(), args.get("--spec").c_str());
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "remora trace: %s\n", e.what());
      return 1;
    }
  }
  options.build.defines = args.all("--define");
  options.build.cache_dir = args.get("--cache");
  options.build.force_rebuild = args.has("--rebuild");
  if (args.has("--window")) {
    long long w = std::atoll(args.get("--window").c_str());
    if (w < 64) {
      std::fprintf(stderr, "remora trace: --window must be at least 64 bytes\n");
      return 2;
    }
    options.window_bytes = std::size_t(w);
  }
  bool quiet = args.has("--quiet");
  bool tty = isatty(2);
  bool printed_line = false;
  auto progress = [&](std::string_view stage, long long done, long long total) {
    if (quiet) return true;
    if (stage == "building interposer") {
      if (done == 0) std::fprintf(stderr, "remora trace: building the interposer...\n");
      return true;
    }
    if (tty) {
      std::fprintf(stderr, "\rremora trace: %lld calls recorded", done);
      printed_line = true;
    } else if (total > 0) {
      std::fprintf(stderr, "remora trace: %lld calls recorded\n", done);
    }
    return true;
  };
  spec::Diagnostics diagnostics;
  trace::TraceResult result = trace::trace_program(load.spec, options, diagnostics, progress);
  if (printed_line) std::fputc('\n', stderr);
  for (const auto& d : diagnostics)
    if (d.severity != spec::Diagnostic::Severity::Note || !quiet)
      std::fprintf(stderr, "remora trace: %s\n", spec::format_diagnostic(d).c_str());
  if (!result.ok) return 1;
  if (!quiet) {
    std::fprintf(
        stderr, "remora trace: %lld calls in %lld process(es), %lld callback invocation(s) -> %s\n",
        result.calls, result.processes, result.callbacks, options.output.c_str());
    if (result.incomplete)
      std::fprintf(stderr, "remora trace: %lld call(s) never returned (recorded as incomplete)\n",
                   result.incomplete);
    if (result.malformed)
      std::fprintf(stderr, "remora trace: %lld malformed record(s) ignored\n", result.malformed);
  }
  if (result.signal)
    std::fprintf(
        stderr,
        "remora trace: the program was killed by signal %d (%s); the trace keeps every call up "
        "to that point\n",
        result.signal, strsignal(result.signal));
  else if (!quiet && result.exit_code)
    std::fprintf(stderr, "remora trace: the program exited with code %d\n", result.exit_code);
  return result.exit_code;
#endif
}

}  // namespace remora::cli
