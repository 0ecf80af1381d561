// Runs the real `remora` binary as a user would, from a chosen directory.
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

namespace cli_test {

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr together, unless asked apart
};

// `args` are appended to the binary's path; `dir` (if given) is the working directory.
inline Run run_in(const std::string& dir, const std::string& args, const char* redirect = "2>&1") {
  Run r;
  std::string cmd = (dir.empty() ? "" : "cd '" + dir + "' && ") + std::string(REMORA_CLI) + " " +
                    args + " " + redirect;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace cli_test
