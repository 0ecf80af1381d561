#include "stack_fixture.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"

namespace remora::test {
namespace fs = std::filesystem;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream o;
  o << in.rdbuf();
  return o.str();
}

CommandResult run_program(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          int timeout_s) {
  CommandResult r;
  // Tests run programs from several threads at once (std::async): a plain counter gave two
  // runs the same output files, and one run's clean-up erased the other's output.
  static std::atomic<int> counter{0};
  std::string base = (fs::temp_directory_path() / ("remora-cmd-" + std::to_string(getpid()) + "-" +
                                                   std::to_string(counter++)))
                         .string();
  std::string out_path = base + ".out", err_path = base + ".err";
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int o = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(o, 1);
    dup2(e, 2);
    for (const auto& kv : env) putenv(strdup(kv.c_str()));
    // REMORA_TEST_GUEST_PRELOAD (scripts/test_sanitized_lean.sh: the ASan runtime): a program
    // run against a generated guest library gets it preloaded, as an uninstrumented program
    // loading an instrumented library needs; other programs (pgrep, cmake) run as they are.
    const char* preload = std::getenv("REMORA_TEST_GUEST_PRELOAD");
    const char* libs = std::getenv("LD_LIBRARY_PATH");
    if (preload && *preload && libs && std::strstr(libs, "/build/guest")) setenv("LD_PRELOAD", preload, 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  for (;;) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(timeout_s)) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.output = read_file(out_path);
  r.errors = read_file(err_path);
  fs::remove(out_path);
  fs::remove(err_path);
  return r;
}

namespace {
bool can_connect(const std::string& listen) {
  int fd = -1;
  // shm: guests connect there too; virtio-serial:PATH is where QEMU's chardev connects.
  if (listen.rfind("unix:", 0) == 0 || listen.rfind("shm:", 0) == 0 || listen.rfind("virtio-serial:", 0) == 0) {
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, listen.c_str() + listen.find(':') + 1, sizeof(sa.sun_path) - 1);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    close(fd);
    return ok;
  }
  auto colon = listen.rfind(':');
  int port = std::atoi(listen.c_str() + colon + 1);
  fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  close(fd);
  return ok;
}
}  // namespace

ServerProcess::ServerProcess(const std::string& program, const std::string& listen, const std::string& lib,
                             const std::vector<std::string>& env, const std::vector<std::string>& extra_args) {
  // Tests run programs from several threads at once (std::async): a plain counter gave two
  // runs the same output files, and one run's clean-up erased the other's output.
  static std::atomic<int> counter{0};
  log_path_ = (fs::temp_directory_path() /
               ("remora-server-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".log"))
                  .string();
  pid_ = fork();
  if (pid_ == 0) {
    int e = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(e, 2);
    for (const auto& kv : env) putenv(strdup(kv.c_str()));
    std::vector<const char*> args{program.c_str(), "--listen", listen.c_str(), "--lib", lib.c_str()};
    for (const auto& a : extra_args) args.push_back(a.c_str());
    args.push_back(nullptr);
    execv(program.c_str(), const_cast<char* const*>(args.data()));
    _exit(127);
  }
  // Ready once it accepts connections (a probe connection is served and closed).
  for (int i = 0; i < 500 && !ready_; ++i) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    ready_ = can_connect(listen);
    if (!ready_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status;
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  fs::remove(log_path_);
}

std::string ServerProcess::log() const { return read_file(log_path_); }

std::string temp_socket_path(const std::string& tag) {
  // Tests run programs from several threads at once (std::async): a plain counter gave two
  // runs the same output files, and one run's clean-up erased the other's output.
  static std::atomic<int> counter{0};
  return (fs::temp_directory_path() /
          ("remora-" + tag + "-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".sock"))
      .string();
}

int free_tcp_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  int port = ntohs(sa.sin_port);
  close(fd);
  return port;
}

namespace {
unsigned long long g_fingerprint = 0;
}

unsigned long long toy_fingerprint() {
  toy_stack_dir();
  return g_fingerprint;
}

void build_generated_stack(const std::string& spec, const std::string& dir, const std::string& guest_library) {
  auto gen = run_program({REMORA_CLI, "generate", "--spec", spec, "-o", dir, "--quiet"});
  INFO(gen.output << gen.errors);
  REQUIRE(gen.status == 0);
  if (!fs::exists(dir + "/build/CMakeCache.txt")) {
    auto cfg = run_program({"cmake", "-S", dir, "-B", dir + "/build", "-G", "Ninja"}, {}, 120);
    INFO(cfg.output << cfg.errors);
    REQUIRE(cfg.status == 0);
  }
  auto build = run_program({"cmake", "--build", dir + "/build", "-j2"}, {}, 600);
  INFO(build.output << build.errors);
  REQUIRE(build.status == 0);
  CHECK(build.output.find("warning:") == std::string::npos);
  REQUIRE(fs::exists(dir + "/build/guest/" + guest_library));
}

namespace {
std::string stacks_dir_or(const char* fallback, const char* name) {
  const char* dir = std::getenv("REMORA_TEST_STACKS_DIR");
  return dir && *dir ? std::string(dir) + "/" + name : std::string(fallback);
}
}  // namespace

std::string toy_stack_path() { return stacks_dir_or(TOY_STACK_DIR, "toy-stack"); }
std::string opencl_stack_root() { return stacks_dir_or(OPENCL_STACK_DIR, "opencl-stack"); }

const std::string& toy_stack_dir() {
  static std::string dir;
  static bool built = false;
  if (built) return dir;
  dir = toy_stack_path();
  auto load = spec::load_spec_file(TOY_SPEC);
  INFO("toy spec errors: " << load.errors.size());
  REQUIRE(load.ok());
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  opt.spec_dir = fs::path(TOY_SPEC).parent_path().string();
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(load.spec, opt, report, error));
  g_fingerprint = report.fingerprint;
  if (!fs::exists(dir + "/build/CMakeCache.txt")) {
    auto cfg = run_program({"cmake", "-S", dir, "-B", dir + "/build", "-G", "Ninja"}, {}, 120);
    INFO(cfg.output << cfg.errors);
    REQUIRE(cfg.status == 0);
  }
  auto b = run_program({"cmake", "--build", dir + "/build", "-j2"}, {}, 300);
  INFO(b.output << b.errors);
  REQUIRE(b.status == 0);
  // The generated project must build without a single warning.
  CHECK(b.output.find("warning:") == std::string::npos);
  built = true;
  return dir;
}

std::vector<pid_t> serving_workers_of(pid_t server) {
  std::ifstream in("/proc/" + std::to_string(server) + "/task/" + std::to_string(server) + "/children");
  std::vector<pid_t> out;
  for (pid_t pid = 0; in >> pid;) {
    std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
    std::string name;
    if (std::getline(comm, name) && name == "remora-worker") out.push_back(pid);
  }
  return out;
}

void wait_for_no_workers(pid_t server) {
  int quiet_ms = 0;
  for (int i = 0; i < 1000 && quiet_ms < 300; ++i) {
    quiet_ms = serving_workers_of(server).empty() ? quiet_ms + 10 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

pid_t worker_of(pid_t server) {
  for (int i = 0; i < 500; ++i) {
    auto workers = serving_workers_of(server);
    if (!workers.empty()) return workers.front();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

}  // namespace remora::test
