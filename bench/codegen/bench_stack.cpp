#include "bench_stack.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <sstream>
#include <thread>
#include <vector>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"

namespace fs = std::filesystem;

namespace remora::bench {

int run(const std::string& cmd) { return std::system(cmd.c_str()); }

double timed(const std::string& cmd) {
  auto t = Clock::now();
  int rc = run(cmd + " >/dev/null 2>&1");
  return rc == 0 ? seconds_since(t) : -1;
}

std::string capture(const std::string& cmd, std::string* errors) {
  std::string err_file = "/tmp/remora-bench-" + std::to_string(getpid()) + ".err";
  std::string full = cmd + " 2>" + (errors ? err_file : std::string("/dev/null"));
  FILE* p = ::popen(full.c_str(), "r");
  if (!p) return "";
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  int rc = ::pclose(p);
  if (errors) {
    std::ifstream in(err_file);
    std::ostringstream o;
    o << in.rdbuf();
    *errors = o.str();
    std::remove(err_file.c_str());
  }
  return rc == 0 ? out : "";
}

bool build_stack(const std::string& spec_path, const std::string& dir, bool use_cli) {
  if (use_cli) {
    if (run(std::string(REMORA_CLI) + " generate --quiet --spec " + spec_path + " -o " + dir + " >/dev/null") != 0)
      return false;
  } else {
    auto load = remora::spec::load_spec_file(spec_path);
    if (!load.ok()) return false;
    remora::codegen::GenerateOptions opt;
    opt.out_dir = dir;
    opt.spec_dir = fs::path(spec_path).parent_path().string();
    remora::codegen::GenerateReport report;
    std::string error;
    if (!remora::codegen::generate_stack(load.spec, opt, report, error)) return false;
  }
  if (!fs::exists(dir + "/build/CMakeCache.txt") &&
      run("cmake -S " + dir + " -B " + dir + "/build -G Ninja >/dev/null") != 0)
    return false;
  return run("cmake --build " + dir + "/build -j2 >/dev/null") == 0;
}

Server::Server(const std::string& program, const std::string& listen, const std::string& lib) {
  pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    execl(program.c_str(), program.c_str(), "--listen", listen.c_str(), "--lib", lib.c_str(), nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
}

Server::~Server() {
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
}

namespace {

bool recv_all(int fd, char* p, std::size_t n) {
  while (n) {
    ssize_t k = recv(fd, p, n, 0);
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool send_all(int fd, const char* p, std::size_t n) {
  while (n) {
    ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

double TransferTimes::pick(Statistic s) const {
  if (seconds_.empty()) return 1e30;
  std::vector<double> v = seconds_;
  if (s == Statistic::Best) return *std::min_element(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
  return v[m];
}

double raw_stream_seconds(std::size_t bytes, int reps, int socket_buffer_bytes, Statistic stat) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return -1;
  for (int fd : sv) {
    if (socket_buffer_bytes <= 0) break;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &socket_buffer_bytes, sizeof socket_buffer_bytes);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &socket_buffer_bytes, sizeof socket_buffer_bytes);
  }
  pid_t child = fork();
  if (child == 0) {
    close(sv[0]);
    std::vector<char> buf(bytes, 1);
    char ack = 0;
    while (recv_all(sv[1], buf.data(), bytes))
      if (!send_all(sv[1], &ack, 1)) break;
    _exit(0);
  }
  close(sv[1]);
  std::vector<char> buf(bytes, 2);
  TransferTimes times;
  char ack;
  for (int i = 0; i <= reps; ++i) {  // the first one warms up
    auto t = Clock::now();
    if (!send_all(sv[0], buf.data(), bytes) || !recv_all(sv[0], &ack, 1)) break;
    if (i > 0) times.add(seconds_since(t));
  }
  close(sv[0]);
  waitpid(child, nullptr, 0);
  return times.pick(stat);
}

double shared_memory_handoff_seconds(std::size_t bytes, int reps, Statistic stat) {
  const std::size_t page = 4096, total = page + bytes;
  void* shared = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return -1;
  // 0: the sender's turn, 1: the bytes are in (the receiver's turn), 2: done.
  auto* turn = new (shared) std::atomic<int>(0);
  unsigned char* data = static_cast<unsigned char*>(shared) + page;
  auto wait_for = [&](int value) {
    for (unsigned i = 0; turn->load(std::memory_order_acquire) != value; ++i)
      if ((i & 1023) == 1023) sched_yield();  // a busy host: let the peer run
  };
  pid_t child = fork();
  if (child == 0) {
    std::vector<unsigned char> mine(bytes, 1);
    for (;;) {
      for (unsigned i = 0;; ++i) {
        int t = turn->load(std::memory_order_acquire);
        if (t == 1) break;
        if (t == 2) _exit(0);
        if ((i & 1023) == 1023) sched_yield();
      }
      std::memcpy(mine.data(), data, bytes);
      turn->store(0, std::memory_order_release);
    }
  }
  if (child < 0) {
    munmap(shared, total);
    return -1;
  }
  std::vector<unsigned char> mine(bytes, 2);
  TransferTimes times;
  for (int i = 0; i <= reps; ++i) {  // the first one warms up
    auto t = Clock::now();
    std::memcpy(data, mine.data(), bytes);
    turn->store(1, std::memory_order_release);
    wait_for(0);
    if (i > 0) times.add(seconds_since(t));
    mine[static_cast<std::size_t>(i) % bytes] ^= 1;  // new bytes each time
  }
  turn->store(2, std::memory_order_release);
  waitpid(child, nullptr, 0);
  munmap(shared, total);
  return times.pick(stat);
}

UnixEcho::UnixEcho(std::size_t bytes) : buf_(bytes) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  child_ = fork();
  if (child_ == 0) {
    close(sv[0]);
    while (recv_all(sv[1], buf_.data(), buf_.size()))
      if (!send_all(sv[1], buf_.data(), buf_.size())) break;
    _exit(0);
  }
  close(sv[1]);
  fd_ = sv[0];
}

UnixEcho::~UnixEcho() {
  if (fd_ >= 0) close(fd_);
  if (child_ > 0) waitpid(child_, nullptr, 0);
}

void UnixEcho::round_trip() {
  if (fd_ < 0) return;
  send_all(fd_, buf_.data(), buf_.size());
  recv_all(fd_, buf_.data(), buf_.size());
}

}  // namespace remora::bench
