// Round trips per API call and remoted/native wall time, from one run, for every OpenCL
// sample, the call-intensive programs (call_intensive.c) and the transfer-bound ones
// (bandwidth_programs.c: bus-speed sweeps and a stream triad), through the stack of the
// reviewed spec on pocl:
//  - round trips per call with the fast paths on (the default: status-only calls and
//    non-blocking ones without a reply, batched; enqueue events named by the guest;
//    cacheable queries answered by the guest) and off (REMORA_STRICT=1, one round trip
//    per call), as the guest runtime counts them (REMORA_STATS=1);
//  - wall time remoted/native over unix, shm, and unix behind a 100 us one-way delay per
//    frame (delay:100:, a test-only link standing for a VM or network), fast and strict;
//  - whether each remoted run printed exactly what the native run printed.
// Usage: remora_round_trip_bench [reps [NAME]]   (best of reps timed runs; only the programs
// whose name contains NAME when given; builds the stack first)
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_stack.h"

namespace fs = std::filesystem;
using namespace remora::bench;

namespace {

struct Program {
  std::string name, command;
};

struct Counts {
  unsigned long long calls = 0, round_trips = 0;
  bool parsed = false;
  double per_call() const { return calls ? static_cast<double>(round_trips) / static_cast<double>(calls) : 0; }
};

Counts read_counts(const std::string& errors) {
  Counts c;
  auto at = errors.rfind("remora: ");
  while (at != std::string::npos) {
    if (std::sscanf(errors.c_str() + at, "remora: %llu calls, %llu round trips", &c.calls, &c.round_trips) == 2) {
      c.parsed = true;
      break;
    }
    at = at ? errors.rfind("remora: ", at - 1) : std::string::npos;
  }
  return c;
}

double best_of(int reps, const std::string& cmd) {
  double best = -1;
  for (int i = 0; i < reps; ++i) {
    double t = timed(cmd);
    if (t < 0) return -1;
    best = best < 0 ? t : std::min(best, t);
  }
  return best;
}

struct Geo {
  double log_sum = 0;
  int n = 0;
  void add(double r) {
    if (r > 0) {
      log_sum += std::log(r);
      ++n;
    }
  }
  double value() const { return n ? std::exp(log_sum / n) : 0; }
};

}  // namespace

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  const std::string only = argc > 2 ? argv[2] : "";
  const char* real = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";
  std::printf("remora round-trip benchmark (native baselines measured in this run, best of %d)\n", reps);
  if (!fs::exists(real)) {
    std::printf("  skipped: no %s\n", real);
    return 0;
  }
  std::string dir = std::string(BENCH_DIR) + "/round-trip-stack";
  fs::create_directories(dir);
  if (!build_stack(REVIEWED_OPENCL_SPEC, dir, true)) {
    std::fprintf(stderr, "cannot generate/build the OpenCL stack in %s\n", dir.c_str());
    return 1;
  }
  std::vector<Program> programs;
  {
    std::ifstream in(OPENCL_SAMPLES_FILE);
    std::string name, exe;
    while (in >> name >> exe) programs.push_back({name, exe});
  }
  for (const char* mode : {"launch", "profile", "transfers", "info"})
    programs.push_back({std::string("call-intensive ") + mode, std::string(CALL_INTENSIVE) + " " + mode});
  for (const char* mode : {"bus-download", "bus-readback", "triad"})
    programs.push_back({std::string("bandwidth ") + mode, std::string(BANDWIDTH_PROGRAMS) + " " + mode});
  std::erase_if(programs, [&](const Program& p) { return p.name.find(only) == std::string::npos; });

  const std::string tag = std::to_string(getpid());
  const std::string unix_sock = "/tmp/remora-rt-bench-" + tag + ".sock";
  const std::string shm_sock = "/tmp/remora-rt-bench-shm-" + tag + ".sock";
  const std::string server = dir + "/build/server/opencl-server";
  Server unix_server(server, "unix:" + unix_sock, real);
  Server shm_server(server, "shm:" + shm_sock, real);
  const std::string guest = "LD_LIBRARY_PATH=" + dir + "/build/guest ";
  const std::string via_unix = guest + "REMORA_SERVER=unix:" + unix_sock + " ";
  const std::string via_shm = guest + "REMORA_SERVER=shm:" + shm_sock + " ";
  const std::string via_delay = guest + "REMORA_SERVER=delay:100:unix:" + unix_sock + " ";
  const std::string strict = "REMORA_STRICT=1 ";

  std::printf("\n%-30s %7s %9s %9s %7s | remoted/native wall time %s\n", "program", "calls", "rt/call", "rt/call",
              "same", "(fast; strict in brackets)");
  std::printf("%-30s %7s %9s %9s %7s | %8s %8s %17s\n", "", "", "strict", "fast", "output", "unix", "shm",
              "delay:100 [strict]");
  Geo g_unix, g_shm, g_delay, g_delay_strict;
  for (const auto& p : programs) {
    std::string native_out = capture(p.command);
    double native = best_of(reps, p.command);
    if (native < 0) {
      std::printf("%-30s (fails natively)\n", p.name.c_str());
      continue;
    }
    std::string strict_err, fast_err;
    std::string strict_out = capture("REMORA_STATS=1 " + strict + via_unix + p.command, &strict_err);
    std::string fast_out = capture("REMORA_STATS=1 " + via_unix + p.command, &fast_err);
    Counts cs = read_counts(strict_err), cf = read_counts(fast_err);
    // A program that checks each call's own error (17) needs strict mode: timed that way.
    const bool fast_same = fast_out == native_out;
    const std::string mode = fast_same ? "" : strict;
    const char* same = fast_same ? "yes" : strict_out == native_out ? "strict" : "NO";
    double t_unix = best_of(reps, mode + via_unix + p.command);
    double t_shm = best_of(reps, mode + via_shm + p.command);
    double t_delay = best_of(1, mode + via_delay + p.command);
    double t_delay_strict = best_of(1, strict + via_delay + p.command);
    auto ratio = [&](double t) { return t > 0 ? t / native : -1.0; };
    std::printf("%-30s %7llu %9.3f %9.3f %7s | %7.2fx %7.2fx %7.2fx [%6.2fx]\n", p.name.c_str(), fast_same ? cf.calls : cs.calls,
                cs.per_call(), fast_same ? cf.per_call() : cs.per_call(), same, ratio(t_unix), ratio(t_shm),
                ratio(t_delay), ratio(t_delay_strict));
    g_unix.add(ratio(t_unix));
    g_shm.add(ratio(t_shm));
    g_delay.add(ratio(t_delay));
    g_delay_strict.add(ratio(t_delay_strict));
  }
  std::printf("%-30s %7s %9s %9s %7s | %7.2fx %7.2fx %7.2fx [%6.2fx]\n", "geomean", "", "", "", "", g_unix.value(),
              g_shm.value(), g_delay.value(), g_delay_strict.value());
  return 0;
}
