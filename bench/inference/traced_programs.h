// The programs bench_accuracy traces for an API's "+ docs + traces" column: programs
// of our own that use the library the way applications do (trace_programs/*.c) and
// real tools linked against it (the sqlite3 and bzip2 command-line programs, git).
// Each run is recorded by `remora trace`'s collector under the API's header-only
// spec, as a new user would before reviewing.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::bench {

struct TracedRun {
  std::string what;               // for the report: "sqlite3 CLI"
  std::vector<std::string> argv;  // argv[0] an absolute path
};

// The runs for one corpus API ("" for none); files go under work_dir.
std::vector<TracedRun> traced_runs(const std::string& api_id, const std::string& work_dir);

// Records each run into work_dir/<api>-<n>.db and returns the databases of the runs
// that recorded calls. `report` gets one line per run (calls, exit code, or why not).
std::vector<std::string> record_traces(const spec::Spec& header_spec, const std::string& api_id,
                                       const std::string& work_dir, std::string& report);

}  // namespace remora::bench
