// `remora trace-summary TRACE.db`
#include <cstdio>

#include "args.h"
#include "commands.h"

#if __has_include("remora/trace/trace_summary.h")
#include "remora/trace/trace_summary.h"
#define REMORA_HAVE_TRACE 1
#endif

namespace remora::cli {

int cmd_trace_summary(const Args& raw) {
  const char* usage =
      "usage: remora trace-summary TRACE.db\n\n"
      "Prints per function the call counts and per parameter what the trace saw: NULLs,\n"
      "whether pointed-to memory was written or only passed in, written extents, where\n"
      "handle values came from, and callback invocations.\n\n"
      "exit codes: 0 printed, 1 the database could not be read, 2 bad usage\n";
  if (wants_help(raw)) {
    std::fputs(usage, stdout);
    return 0;
  }
  ParsedArgs args = parse_args(raw, {});
  if (!args.error.empty() || args.positional.size() != 1) {
    std::fprintf(stderr, "remora trace-summary: %s\n\n%s",
                 args.error.empty() ? "expected exactly one trace database" : args.error.c_str(), usage);
    return 2;
  }
#ifndef REMORA_HAVE_TRACE
  std::fprintf(stderr, "remora: 'trace-summary' is not available in this build (remora_trace missing)\n");
  return 1;
#else
  std::string out, error;
  if (!trace::summarize_trace(args.positional[0], out, error)) {
    std::fprintf(stderr, "remora trace-summary: %s\n", error.c_str());
    return 1;
  }
  std::fputs(out.c_str(), stdout);
  return 0;
#endif
}

}  // namespace remora::cli
