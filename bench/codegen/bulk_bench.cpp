// Bulk transfer benchmark. Prints, from one run, for clEnqueueReadBuffer/WriteBuffer of
// 4 KiB .. 64 MiB (256 MiB with --large), blocking and non-blocking + clWaitForEvents:
// throughput natively (pocl), through the generated OpenCL stack over a unix socket, and
// of the raw channel (the same bytes one way through a unix socketpair: the faster of the
// kernel's default socket buffers and the stack's size, kUnixSocketBufferBytes or
// REMORA_SOCKET_BUFFER_BYTES, measured each round), with the ratios
// remoted / raw channel and native / remoted. Best of several transfers per case inside a
// probe (--median: their median, here and in the raw channels: the typical transfer where
// the best shows only a lucky mode); native, remoted and raw run one after the other for each size, --rounds N times
// (3 by default), so that a busy machine slows all of them alike. Ratios are computed per
// round (against that round's raw) and printed as the median with the spread [min-max].
// "remoted/serial" compares with raw + native seconds: the socket's copy followed by the
// library's own, the floor of a transfer whose two copies do not overlap; above 100%
// only if they overlap.
// With --shm the stack runs over the shared-memory transport and the raw channel is
// memcpy of the same size (what a shared-memory transfer cannot beat), and two more
// columns give the channel between two processes (shared_memory_handoff_seconds: one
// copies in, the other copies out, as the socketpair stream does): its speed, and
// remoted / (hand-off + native), the serial floor counted with it; a second server
// without data regions (REMORA_SHM_DATA_BYTES=0) is the "B" column unless --compare says.
// --compare VAR=VALUE: a second server and guest run with that variable set, measured in
// the same rounds (an A/B of a runtime switch, e.g. REMORA_READ_AHEAD=1), printed as the
// "B" columns.
// Usage: remora_bulk_bench [--large] [--shm] [--median] [--rounds N] [--min BYTES] [--compare VAR=VALUE]
// (builds the OpenCL stack on first run)
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bench_stack.h"
#include "remora_transport.h"

namespace fs = std::filesystem;
using namespace remora::bench;

namespace {

using Results = std::map<std::pair<std::string, std::size_t>, double>;  // (mode, bytes) -> seconds

Results parse(const std::string& out) {
  Results r;
  std::istringstream in(out);
  std::string mode;
  std::size_t bytes;
  double seconds;
  while (in >> mode >> bytes >> seconds) r[{mode, bytes}] = seconds;
  return r;
}

std::string size_text(std::size_t b) {
  char buf[32];
  if (b >= (1u << 20)) std::snprintf(buf, sizeof buf, "%zu MiB", b >> 20);
  else std::snprintf(buf, sizeof buf, "%zu KiB", b >> 10);
  return buf;
}

double gbps(std::size_t bytes, double seconds) { return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e9 : 0; }

// A memcpy of `bytes` between two warm buffers of this process (the `stat` of `reps`).
double memcpy_seconds(std::size_t bytes, int reps, Statistic stat) {
  std::vector<unsigned char> a(bytes, 1), b(bytes, 2);
  TransferTimes times;
  for (int r = 0; r <= reps; ++r) {  // the first one warms up
    auto t = Clock::now();
    std::memcpy(b.data(), a.data(), bytes);
    if (r > 0) times.add(seconds_since(t));
    a[static_cast<std::size_t>(r) % bytes] = b[(static_cast<std::size_t>(r) * 7) % bytes];  // keep the copies observable
  }
  return times.pick(stat);
}

// The median of some values (their middle one, the mean of the two middle ones).
double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// "81% [74-86]": the median of per-round percentages and their spread.
std::string percent_spread(const std::vector<double>& v) {
  char buf[48];
  if (v.empty()) return "-";
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  std::snprintf(buf, sizeof buf, "%.0f%% [%.0f-%.0f]", 100 * median(v), 100 * *lo, 100 * *hi);
  return buf;
}

// Every round's seconds per (mode, bytes).
using Rounds = std::map<std::pair<std::string, std::size_t>, std::vector<double>>;

void add_round(Rounds& all, const Results& now) {
  for (const auto& [key, seconds] : now) all[key].push_back(seconds);
}

// Each round's value, 0 where that round lacks it.
double at_round(const Rounds& all, const std::pair<std::string, std::size_t>& key, std::size_t round) {
  auto it = all.find(key);
  return it != all.end() && round < it->second.size() ? it->second[round] : 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false, shm = false;
  Statistic stat = Statistic::Best;
  int rounds = 3;
  std::size_t min_bytes = 4096;
  std::string compare;  // VAR=VALUE for the B server and guest
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--large") == 0) large = true;
    else if (std::strcmp(argv[i], "--shm") == 0) shm = true;
    else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
    else if (std::strcmp(argv[i], "--min") == 0 && i + 1 < argc) min_bytes = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--compare") == 0 && i + 1 < argc) compare = argv[++i];
    else if (std::strcmp(argv[i], "--median") == 0) stat = Statistic::Median;
    else {
      std::fprintf(stderr, "usage: %s [--large] [--shm] [--median] [--rounds N] [--min BYTES] [--compare VAR=VALUE]\n",
                   argv[0]);
      return 2;
    }
  }
  if (shm && compare.empty()) compare = "REMORA_SHM_DATA_BYTES=0";
  const auto eq = compare.find('=');
  if (!compare.empty() && (eq == std::string::npos || eq == 0)) {
    std::fprintf(stderr, "--compare wants VAR=VALUE, got '%s'\n", compare.c_str());
    return 2;
  }
  const std::string transport = shm ? "shm:" : "unix:";
  const char* real = "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1";
  std::printf("remora bulk transfer benchmark (baselines measured in this run)\n");
  if (!fs::exists(real)) {
    std::printf("skipped: no %s\n", real);
    return 0;
  }
  std::string ocl_dir = std::string(BENCH_DIR) + "/opencl-stack";
  fs::create_directories(ocl_dir);
  if (!build_stack(REVIEWED_OPENCL_SPEC, ocl_dir, true)) {
    std::fprintf(stderr, "cannot generate/build the OpenCL stack in %s\n", ocl_dir.c_str());
    return 1;
  }
  std::string sock = "/tmp/remora-bulk-" + std::to_string(getpid()) + ".sock";
  Server server(ocl_dir + "/build/server/opencl-server", transport + sock, real);
  const std::string remote_env =
      "REMORA_STATS=1 REMORA_SERVER=" + transport + sock + " LD_LIBRARY_PATH=" + ocl_dir + "/build/guest ";
  // The B side: a second server started with the compared variable set, and guests run
  // with it too (a switch may live on either side).
  std::unique_ptr<Server> b_server;
  const std::string b_sock = "/tmp/remora-bulk-b-" + std::to_string(getpid()) + ".sock";
  std::string b_env;
  if (!compare.empty()) {
    const std::string var = compare.substr(0, eq), value = compare.substr(eq + 1);
    const char* old = std::getenv(var.c_str());
    const std::string saved = old ? old : "";
    setenv(var.c_str(), value.c_str(), 1);
    b_server = std::make_unique<Server>(ocl_dir + "/build/server/opencl-server", transport + b_sock, real);
    if (old) setenv(var.c_str(), saved.c_str(), 1);
    else unsetenv(var.c_str());
    b_env = compare + " REMORA_SERVER=" + transport + b_sock + " LD_LIBRARY_PATH=" + ocl_dir + "/build/guest ";
  }
  // The stack's socket buffers, which the raw channel is also measured with.
  const int stack_buffer = static_cast<int>(remora::socket_buffer_bytes());
  std::printf("transport %s; raw channel: %s; %s transfer of each case; %d rounds, medians [min-max of the rounds]\n",
              transport.c_str(),
              shm ? "memcpy of the same size in this process"
                  : ("a unix socketpair stream, the faster of default and " + std::to_string(stack_buffer) +
                     "-byte socket buffers")
                        .c_str(),
              stat == Statistic::Median ? "median" : "best", rounds);
  if (!compare.empty()) std::printf("B: server and guest with %s\n", compare.c_str());
  std::printf("\n%-18s %8s %8s %8s %8s %16s %16s %10s", "mode", "size", "native", "remoted", "raw", "remoted/raw",
              "remoted/serial", "rem/nat");
  if (shm) std::printf(" %8s %16s", "pair", "rem/pair-serial");
  if (!compare.empty()) std::printf(" %8s %16s", "B", "B/raw");
  std::printf("\n%-18s %8s %8s %8s %8s\n", "", "", "GB/s", "GB/s", "GB/s");
  std::string stats;
  const std::size_t max_bytes = std::size_t{large ? 256u : 64u} << 20;
  for (std::size_t bytes = 4096; bytes <= max_bytes; bytes *= 4) {
    if (bytes < min_bytes) continue;
    std::string probe =
        std::string(BULK_PROBE) + (stat == Statistic::Median ? " --median " : " ") + std::to_string(bytes);
    int reps = static_cast<int>(std::min<std::size_t>(300, std::max<std::size_t>(5, (std::size_t{256} << 20) / bytes)));
    Rounds native, remote, b;
    std::vector<double> raw, pair;
    for (int round = 0; round < rounds; ++round) {  // all of them interleaved, each round
      std::string native_out = capture(probe);
      std::string remote_out = capture(remote_env + probe, &stats);
      std::string b_out = compare.empty() ? "" : capture(b_env + probe);
      if (native_out.empty() || remote_out.empty() || (!compare.empty() && b_out.empty())) {
        std::fprintf(stderr, "the probe failed %s:\n%s\n",
                     native_out.empty() ? "natively" : remote_out.empty() ? "through the stack" : "through B",
                     stats.c_str());
        return 1;
      }
      add_round(native, parse(native_out));
      add_round(remote, parse(remote_out));
      add_round(b, parse(b_out));
      if (shm) pair.push_back(shared_memory_handoff_seconds(bytes, reps, stat));
      raw.push_back(shm ? memcpy_seconds(bytes, reps, stat)
                        : std::min(raw_stream_seconds(bytes, reps, 0, stat),
                                   raw_stream_seconds(bytes, reps, stack_buffer, stat)));
    }
    for (const auto& [key, seconds] : remote) {
      std::vector<double> n_s, b_s, vs_raw, vs_serial, vs_native, b_vs_raw, vs_pair_serial;
      for (std::size_t r = 0; r < raw.size(); ++r) {
        const double n = at_round(native, key, r), s = at_round(remote, key, r), bs = at_round(b, key, r);
        if (r < pair.size() && pair[r] > 0 && s > 0 && n > 0) vs_pair_serial.push_back((pair[r] + n) / s);
        if (s > 0) vs_raw.push_back(raw[r] / s);
        if (s > 0 && n > 0) vs_serial.push_back((raw[r] + n) / s), vs_native.push_back(s / n);
        if (n > 0) n_s.push_back(n);
        if (bs > 0) b_s.push_back(bs), b_vs_raw.push_back(raw[r] / bs);
      }
      std::printf("%-18s %8s %8.2f %8.2f %8.2f %16s %16s %9.1fx", key.first.c_str(), size_text(bytes).c_str(),
                  gbps(bytes, median(n_s)), gbps(bytes, median(seconds)), gbps(bytes, median(raw)),
                  percent_spread(vs_raw).c_str(), percent_spread(vs_serial).c_str(), median(vs_native));
      if (shm) std::printf(" %8.2f %16s", gbps(bytes, median(pair)), percent_spread(vs_pair_serial).c_str());
      if (!compare.empty()) std::printf(" %8.2f %16s", gbps(bytes, median(b_s)), percent_spread(b_vs_raw).c_str());
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  auto at = stats.rfind("remora: ");
  if (at != std::string::npos) std::printf("\nguest runtime counts for the last remoted probe: %s", stats.c_str() + at);
  return 0;
}
