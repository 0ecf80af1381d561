#include "shm_call_ab.h"

#include <dlfcn.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "bench_stack.h"
#include "toy.h"

namespace fs = std::filesystem;

namespace remora::bench {
namespace {

// One side: a server of a stack's build and a private copy of its guest library.
struct Side {
  std::string name;
  std::unique_ptr<Server> server;
  pid_t worker = -1;
  decltype(&toyGetQueuePriority) priority = nullptr;
  toy_queue queue = nullptr;
  std::vector<double> us, cpu_us, switches;
  std::vector<float> each;  // every timed call's latency (us), all rounds

  void call() {
    int prio = 0;
    priority(queue, &prio);
  }
};

// CPU time of a whole process (every thread), in microseconds; 0 when unreadable.
double process_cpu_us(pid_t pid) {
  clockid_t clock;
  timespec ts{};
  if (clock_getcpuclockid(pid, &clock) != 0 || clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Context switches of a process's main thread (the calling thread here, the serving
// thread of a worker): voluntary (sleeps, yields that ran someone else) + involuntary.
double context_switches(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  double n = 0;
  while (std::getline(in, line))
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
        line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
      n += std::atof(line.substr(line.find(':') + 1).c_str());
  return n;
}

// The newest worker the server forked (it serves our guest once the guest connected).
pid_t worker_of(pid_t server) {
  std::ifstream in("/proc/" + std::to_string(server) + "/task/" + std::to_string(server) +
                   "/children");
  pid_t pid = -1, last = -1;
  while (in >> pid) last = pid;
  return last;
}

bool start(Side& side, const std::string& dir, const std::string& tag) {
  const std::string sock = "/tmp/remora-shm-ab-" + tag + ".sock";
  side.server = std::make_unique<Server>(dir + "/build/server/toy-server", "shm:" + sock, TOY_LIB);
  const std::string copy = std::string(BENCH_DIR) + "/libtoy-ab-" + tag + ".so";
  std::error_code ec;
  fs::copy_file(dir + "/build/guest/libtoy.so.1", copy, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    std::fprintf(stderr, "no guest library in %s/build/guest: %s\n", dir.c_str(),
                 ec.message().c_str());
    return false;
  }
  setenv("REMORA_SERVER", ("shm:" + sock).c_str(), 1);
  void* lib = dlopen(copy.c_str(), RTLD_NOW | RTLD_LOCAL);
  fs::remove(copy, ec);
  if (!lib) {
    std::fprintf(stderr, "%s\n", dlerror());
    return false;
  }
  auto get_devices = reinterpret_cast<decltype(&toyGetDevices)>(dlsym(lib, "toyGetDevices"));
  auto create_queue = reinterpret_cast<decltype(&toyCreateQueue)>(dlsym(lib, "toyCreateQueue"));
  side.priority =
      reinterpret_cast<decltype(&toyGetQueuePriority)>(dlsym(lib, "toyGetQueuePriority"));
  toy_device device = nullptr;
  if (!get_devices || !create_queue || !side.priority ||
      get_devices(1, &device, nullptr) != TOY_SUCCESS) {
    std::fprintf(stderr, "the %s stack does not answer over shm\n", side.name.c_str());
    return false;
  }
  side.queue = create_queue(device, nullptr, nullptr);
  side.worker = worker_of(side.server->pid);
  return side.queue != nullptr;
}

void run_round(Side& side, int calls) {
  for (int i = 0; i < 200; ++i) side.call();  // the peer wakes up, the policies settle
  const pid_t self = getpid();
  const double cpu0 = process_cpu_us(self) + process_cpu_us(side.worker);
  const double cs0 = context_switches(self) + context_switches(side.worker);
  const auto t0 = Clock::now();
  auto t = t0;
  for (int i = 0; i < calls; ++i) {
    side.call();
    const auto now = Clock::now();
    side.each.push_back(std::chrono::duration<float, std::micro>(now - t).count());
    t = now;
  }
  const double wall = seconds_since(t0) * 1e6;
  side.us.push_back(wall / calls);
  side.cpu_us.push_back((process_cpu_us(self) + process_cpu_us(side.worker) - cpu0) / calls);
  side.switches.push_back((context_switches(self) + context_switches(side.worker) - cs0) / calls);
}

// The q-quantile of every call's latency.
double quantile(std::vector<float> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[static_cast<std::size_t>(k)];
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string cell(const std::vector<double>& v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6.2f [%5.2f-%6.2f]", median(v),
                *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
  return buf;
}

}  // namespace

int shm_call_ab(const std::string& stack_a, const std::string& stack_b, int rounds, int calls) {
  Side a, b;
  a.name = "A";
  b.name = "B";
  const std::string tag = std::to_string(getpid());
  if (!start(a, stack_a, "a-" + tag) || !start(b, stack_b, "b-" + tag)) return 1;
  for (int r = 0; r < rounds; ++r) {
    Side& first = r % 2 ? b : a;
    Side& second = r % 2 ? a : b;
    run_round(first, calls);
    run_round(second, calls);
  }
  std::printf(
      "\nA/B small call over shm (toyGetQueuePriority), %d interleaved rounds of %d calls;\n"
      "median [min-max] of the rounds, per call:\n",
      rounds, calls);
  std::printf("  %-4s %-22s %-22s %-22s %s\n", "", "us (round's mean)", "CPU us (guest+worker)",
              "context switches", "calls' p10/p50/p90/p99 us");
  for (const Side* s : {&a, &b})
    std::printf("  %-4s %-22s %-22s %-22s %.2f/%.2f/%.2f/%.1f\n", s->name.c_str(),
                cell(s->us).c_str(), cell(s->cpu_us).c_str(), cell(s->switches).c_str(),
                quantile(s->each, 0.1), quantile(s->each, 0.5), quantile(s->each, 0.9),
                quantile(s->each, 0.99));
  std::printf("  A: %s\n  B: %s\n", stack_a.c_str(), stack_b.c_str());
  std::vector<double> ratio;
  for (int r = 0; r < rounds; ++r) ratio.push_back(b.us[r] / a.us[r]);
  std::printf("  B/A latency: %.2f (median of the medians), %s (per round)\n",
              median(b.us) / median(a.us), cell(ratio).c_str());
  std::printf("  B/A CPU:     %.2f\n", median(b.cpu_us) / median(a.cpu_us));
  return 0;
}

int shm_calls_only(const std::string& dir, int calls) {
  Side s;
  s.name = dir;
  if (!start(s, dir, "c-" + std::to_string(getpid()))) return 1;
  for (int i = 0; i < 200 + calls; ++i) s.call();
  return 0;
}

}  // namespace remora::bench
