// `remora trace`: builds the interposer, runs the program with LD_PRELOAD and
// writes what the interposer sends into the trace database. This process owns
// the database, so a program that crashes leaves every record it sent.
#include "remora/trace/tracer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "subprocess.h"
#include "trace_db_writer.h"

extern char** environ;

namespace remora::trace {
namespace {

volatile sig_atomic_t g_child_pid = 0;

void forward_signal(int sig) {
  if (g_child_pid > 0) kill(pid_t(g_child_pid), sig);
}

double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

// The child: environment for the interposer, the record socket at a high
// descriptor (so the program's own low descriptors are untouched), then exec.
[[noreturn]] void exec_child(const TraceOptions& options, const std::string& interposer, int sock, pid_t parent) {
  int fd = fcntl(sock, F_DUPFD, 900);
  if (fd < 0) fd = fcntl(sock, F_DUPFD, 3);
  std::string preload = interposer;
  if (const char* old = getenv("LD_PRELOAD"); old && *old) preload += std::string(":") + old;
  setenv("LD_PRELOAD", preload.c_str(), 1);
  setenv("REMORA_TRACE_FD", std::to_string(fd).c_str(), 1);
  setenv("REMORA_TRACE_PARENT", std::to_string(parent).c_str(), 1);
  setenv("REMORA_TRACE_WINDOW", std::to_string(options.window_bytes).c_str(), 1);
  if (!options.real_library.empty()) setenv("REMORA_TRACE_LIB", options.real_library.c_str(), 1);
  else unsetenv("REMORA_TRACE_LIB");
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  std::vector<char*> args;
  for (const auto& a : options.argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  std::string msg = "remora trace: cannot run '" + options.argv[0] + "': " + std::strerror(errno) + "\n";
  (void)!write(2, msg.data(), msg.size());
  _exit(127);
}

}  // namespace

TraceResult trace_program(const spec::Spec& spec, const TraceOptions& options, spec::Diagnostics& diagnostics,
                          const spec::Progress& progress) {
  TraceResult result;
  if (options.argv.empty()) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, "", 0, "no program given: put it after '--'"});
    return result;
  }
  // Errors before work: building the interposer takes seconds, and a trace of a
  // program that never ran would be an empty database.
  if (std::string why = why_not_runnable(options.argv[0]); !why.empty()) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, "", 0, "cannot run the program: " + why});
    return result;
  }
  BuiltInterposer built = build_interposer(spec, options.build, diagnostics, progress);
  if (!built.ok) return result;

  TraceDbWriter db;
  std::string error;
  if (!db.open(options.output, error)) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, options.output, 0, error});
    return result;
  }
  db.write_functions(spec, built.functions);
  db.set_meta("api", spec.api.name);
  db.set_meta("program", options.argv[0]);
  db.set_meta("argv", join(options.argv));
  db.set_meta("interposer", built.library);
  db.set_meta("real_library", options.real_library);
  db.set_meta("window_bytes", std::to_string(options.window_bytes));
  db.set_meta("functions_wrapped", std::to_string(built.functions.size()));

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, "", 0,
                           std::string("cannot create the record socket: ") + std::strerror(errno)});
    return result;
  }
  int big = 4 << 20;
  setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);

  pid_t parent = getpid();
  pid_t child = fork();
  if (child < 0) {
    close(sv[0]), close(sv[1]);
    diagnostics.push_back({spec::Diagnostic::Severity::Error, "", 0, "cannot fork to run the program"});
    return result;
  }
  if (child == 0) {
    close(sv[0]);
    exec_child(options, built.library, sv[1], parent);
  }
  close(sv[1]);
  g_child_pid = child;
  // Terminal signals reach the program directly; we keep recording until it ends.
  struct sigaction ignore{}, forward{}, old_int{}, old_quit{}, old_term{}, old_hup{};
  ignore.sa_handler = SIG_IGN;
  forward.sa_handler = forward_signal;
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  sigaction(SIGTERM, &forward, &old_term);
  sigaction(SIGHUP, &forward, &old_hup);

  // Receiving is kept ahead of writing: records wait here, not in the socket, so
  // the program rarely blocks on a full socket while SQLite catches up.
  // Records arrive in batches (recvmmsg): one system call for up to kBatch records.
  constexpr unsigned kBatch = 32;
  constexpr std::size_t kRecordMax = 128 << 10;  // larger than any record the runtime sends
  std::vector<unsigned char> buf(kBatch * kRecordMax);
  std::vector<iovec> iov(kBatch);
  std::vector<mmsghdr> msgs(kBatch);
  std::deque<std::string> queue;
  bool child_done = false, socket_closed = false;
  int status = 0;
  double last_commit = now_seconds(), last_progress = 0, child_end_time = 0, last_record = now_seconds();
  for (;;) {
    int ready = 0;
    if (!socket_closed) {
      pollfd p{sv[0], POLLIN, 0};
      ready = poll(&p, 1, queue.empty() ? 50 : 0);
      if (ready > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
        for (int round = 0; round < 2048; ++round) {
          for (unsigned k = 0; k < kBatch; ++k) {
            iov[k] = {buf.data() + k * kRecordMax, kRecordMax};
            msgs[k] = {};
            msgs[k].msg_hdr.msg_iov = &iov[k];
            msgs[k].msg_hdr.msg_iovlen = 1;
          }
          int got = recvmmsg(sv[0], msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
          if (got == 0) socket_closed = true;
          if (got <= 0) break;  // nothing more now (EOF shows up as an empty record)
          for (int k = 0; k < got; ++k) {
            if (msgs[k].msg_len == 0) {
              socket_closed = true;  // every writer (program and its forks) is gone
              break;
            }
            if (msgs[k].msg_hdr.msg_flags & MSG_TRUNC) {
              ++result.malformed;
              continue;
            }
            queue.emplace_back(reinterpret_cast<const char*>(iov[k].iov_base), msgs[k].msg_len);
          }
          if (socket_closed || unsigned(got) < kBatch) break;
        }
        last_record = now_seconds();
      }
    }
    for (int i = 0; i < 512 && !queue.empty(); ++i) {
      const std::string& rec = queue.front();
      if (!db.handle_record(reinterpret_cast<const unsigned char*>(rec.data()), rec.size())) ++result.malformed;
      queue.pop_front();
    }
    if (!child_done) {
      pid_t w = waitpid(child, &status, WNOHANG);
      if (w == child) {
        child_done = true;
        child_end_time = now_seconds();
      }
    }
    double now = now_seconds();
    if (now - last_commit > 0.25) {
      db.commit();
      last_commit = now;
    }
    if (progress && now - last_progress > 0.25) {
      last_progress = now;
      progress("recording", db.calls(), 0);
    }
    if (!queue.empty()) continue;
    if (child_done && socket_closed) break;
    // Forked children may outlive the program; once it has exited, stop waiting
    // for them after they have been quiet for a while.
    if (child_done && now - child_end_time > 2.0 && now - last_record > 2.0) break;
  }
  close(sv[0]);
  g_child_pid = 0;
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGHUP, &old_hup, nullptr);

  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  db.set_meta("exit_code", std::to_string(result.exit_code));
  db.set_meta("signal", std::to_string(result.signal));
  if (result.signal) db.set_meta("signal_name", strsignal(result.signal));
  result.calls = db.calls();
  result.incomplete = db.incomplete();
  result.processes = db.processes();
  result.callbacks = db.callbacks();
  db.set_meta("calls", std::to_string(result.calls));
  db.set_meta("incomplete_calls", std::to_string(result.incomplete));
  if (result.malformed) db.set_meta("malformed_records", std::to_string(result.malformed));
  db.finish();
  if (progress) progress("recording", result.calls, result.calls);
  result.ok = true;
  return result;
}

}  // namespace remora::trace
