// Helpers for the end-to-end tests of generated stacks: run commands, start and
// stop an API server process, build a generated project once per test run.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace remora::test {

struct CommandResult {
  int status = -1;      // exit code, or -1 if it did not exit normally
  std::string output;   // stdout
  std::string errors;   // stderr
  double seconds = 0;
};

// Runs argv with extra environment entries ("NAME=VALUE"); kills it after timeout_s.
CommandResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                          int timeout_s = 60);

// The API server as a child process; stopped (SIGTERM, then SIGKILL) on destruction.
class ServerProcess {
 public:
  ServerProcess(const std::string& program, const std::string& listen, const std::string& lib,
                const std::vector<std::string>& env = {}, const std::vector<std::string>& extra_args = {});
  ~ServerProcess();
  bool ready() const { return ready_; }
  std::string log() const;  // what it printed on stderr
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  bool ready_ = false;
  std::string log_path_;
};

// Where the tests generate and build their stacks: TOY_STACK_DIR and OPENCL_STACK_DIR, unless
// REMORA_TEST_STACKS_DIR names a folder to use instead (its toy-stack/ and opencl-stack/):
// scripts/test_sanitized_lean.sh points the tests at stacks it built with ASan+UBSan.
std::string toy_stack_path();
std::string opencl_stack_root();

// Generates (from the toy spec) and builds the toy stack once; returns its folder.
// Fails the current test with the build log when the generated project does not build.
const std::string& toy_stack_dir();
unsigned long long toy_fingerprint();

// Generates the stack for `spec` into `dir` and builds it (incremental on reruns); fails the
// current test with the logs unless it builds without a warning and has guest/<guest_library>.
void build_generated_stack(const std::string& spec, const std::string& dir, const std::string& guest_library);

// A fresh socket path / free TCP port for one test.
std::string temp_socket_path(const std::string& tag);
int free_tcp_port();

std::string read_file(const std::string& path);

// The server's children that serve a guest now (named "remora-worker"; its spare worker,
// started ahead and waiting for the next guest, is "remora-spare").
std::vector<pid_t> serving_workers_of(pid_t server);
// Waits until no worker serves a guest (the readiness probe's has gone): none for 300 ms
// in a row, 10 s at most.
void wait_for_no_workers(pid_t server);
// The first worker that serves a guest, waited for up to 5 s; -1 if none came.
pid_t worker_of(pid_t server);
// How many times `what` occurs in `text` (overlapping occurrences count).
std::size_t count_of(const std::string& text, const std::string& what);

}  // namespace remora::test
