// `remora trace`: run a program under the generated interposer and record every
// call of the API into a trace database.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"
#include "remora/trace/interposer.h"

namespace remora::trace {

struct TraceOptions {
  std::vector<std::string> argv;  // the program and its arguments
  std::string output;             // trace database path (replaced if it exists)
  std::string real_library;       // --lib: resolve real functions from this library
  std::size_t window_bytes = 1 << 20;  // comparison window cap per pointer
  BuildOptions build;
};

struct TraceResult {
  bool ok = false;          // false: nothing was run (build/DB/exec failure; see diagnostics)
  int exit_code = 0;        // the program's exit code, or 128 + signal
  int signal = 0;           // non-zero: the program was killed by this signal
  long long calls = 0;      // calls recorded (entered)
  long long incomplete = 0; // calls that never returned
  long long processes = 0;  // processes that recorded (forks included)
  long long callbacks = 0;
  long long malformed = 0;  // records that could not be decoded
};

// Progress stage "recording": done = calls recorded so far.
TraceResult trace_program(const spec::Spec& spec, const TraceOptions& options, spec::Diagnostics& diagnostics,
                          const spec::Progress& progress = {});

}  // namespace remora::trace
