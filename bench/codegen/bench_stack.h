// Shared by the codegen benchmarks: generating/building a remoting stack, running its
// server for the length of a scope, and timing programs and raw-socket baselines.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace remora::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

int run(const std::string& cmd);
// Runs a shell command quietly; its wall time in seconds, negative on failure.
double timed(const std::string& cmd);
// Runs a shell command; its stdout (stderr into `errors` when given). Empty on failure.
std::string capture(const std::string& cmd, std::string* errors = nullptr);

// Generates the stack for spec_path into dir (through the CLI when use_cli) and builds it.
bool build_stack(const std::string& spec_path, const std::string& dir, bool use_cli);

// The API server, running until the end of the scope.
struct Server {
  pid_t pid = -1;
  Server(const std::string& program, const std::string& listen, const std::string& lib);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
};

// Which of a case's transfer times a benchmark reports: the best (the floor, steady on a
// busy host) or the median (the typical transfer: where transfers are bimodal, as when the
// two processes land on one core or on two, the best shows only the lucky mode).
enum class Statistic { Best, Median };

// One case's transfer times, reduced to the chosen statistic.
class TransferTimes {
 public:
  void add(double seconds) { seconds_.push_back(seconds); }
  double pick(Statistic s) const;  // 1e30 when empty

 private:
  std::vector<double> seconds_;
};

// The raw channel: `bytes` one way through a unix socketpair to another process, which
// answers with one byte once all arrived. Seconds of `reps` transfers (their `stat`). With
// socket_buffer_bytes > 0 both ends ask for SO_SNDBUF/SO_RCVBUF of that size first.
double raw_stream_seconds(std::size_t bytes, int reps, int socket_buffer_bytes = 0,
                          Statistic stat = Statistic::Best);

// The shared-memory counterpart of raw_stream_seconds: this process copies `bytes` into
// memory it shares with a forked process, which copies them out into its own memory and
// then answers (both sides spin on a flag in the shared page). Two copies, as a socketpair
// stream makes, and the second reads what another core just wrote: the floor of a
// transport copy between two processes, which a memcpy inside one process (its caches
// warm with both buffers) is not. Seconds of `reps` hand-offs (their `stat`); -1 on failure.
double shared_memory_handoff_seconds(std::size_t bytes, int reps, Statistic stat = Statistic::Best);

// The raw channel's request/reply floor: a forked process echoes `bytes` back over a
// unix socketpair. Each bench times round_trip() its own way (mean or best batch).
class UnixEcho {
 public:
  explicit UnixEcho(std::size_t bytes);
  ~UnixEcho();
  UnixEcho(const UnixEcho&) = delete;
  UnixEcho& operator=(const UnixEcho&) = delete;
  void round_trip();

 private:
  int fd_ = -1;
  pid_t child_ = -1;
  std::vector<char> buf_;
};

}  // namespace remora::bench
