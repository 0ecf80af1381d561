// Running a helper program (the compiler) and capturing what it prints.
#pragma once

#include <string>
#include <vector>

namespace remora::trace {

struct CapturedRun {
  int exit_code = -1;  // -1: could not start
  std::string output;  // stdout and stderr together
};

CapturedRun run_capture(const std::vector<std::string>& argv);

// Why `program` cannot be started as execvp would start it (a path, or a name
// looked up on PATH): "" when it can, else a sentence saying what to do.
std::string why_not_runnable(const std::string& program);

}  // namespace remora::trace
