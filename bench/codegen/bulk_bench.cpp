// Bulk transfer benchmark. Prints, from one run, for clEnqueueReadBuffer/WriteBuffer of
// 4 KiB .. 64 MiB (256 MiB with --large), blocking and non-blocking + clWaitForEvents:
// throughput natively (pocl), through the generated OpenCL stack over a unix socket, and
// of the raw channel (the same bytes one way through a unix socketpair), with the ratios
// remoted / raw channel and native / remoted. Best of several transfers per case; the
// three are measured one size after the other (interleaved), so that a busy machine
// slows all three alike. "remoted/serial" compares with raw + native seconds: the socket's
// copy followed by the library's own, the floor of a transfer whose two copies do not
// overlap (a remoted blocking call also waits for the library's per-command latency,
// which the raw socket never pays); above 100% only if they overlap.
// Usage: remora_bulk_bench [--large] [--rounds N]   (builds the OpenCL stack on first run)
// Each size runs native, remoted and raw N times in turn (2 by default), best of each.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "bench_stack.h"

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

}  // namespace

// Keeps the faster of two results per case (a busy host only ever slows a run down).
void keep_best(Results& best, const Results& now) {
  for (const auto& [key, seconds] : now)
    if (!best.count(key) || seconds < best[key]) best[key] = seconds;
}

int main(int argc, char** argv) {
  bool large = false;
  int rounds = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--large") == 0) large = true;
    else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
  }
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
  Server server(ocl_dir + "/build/server/opencl-server", "unix:" + sock, real);
  const std::string remote_env =
      "REMORA_STATS=1 REMORA_SERVER=unix:" + sock + " LD_LIBRARY_PATH=" + ocl_dir + "/build/guest ";
  std::printf("\n%-18s %8s %12s %12s %12s %12s %15s %14s\n", "mode", "size", "native GB/s", "remoted GB/s",
              "raw GB/s", "remoted/raw", "remoted/serial", "native/remoted");
  std::string stats;
  const std::size_t max_bytes = std::size_t{large ? 256u : 64u} << 20;
  for (std::size_t bytes = 4096; bytes <= max_bytes; bytes *= 4) {
    std::string probe = std::string(BULK_PROBE) + " " + std::to_string(bytes);
    int reps = static_cast<int>(std::min<std::size_t>(300, std::max<std::size_t>(5, (std::size_t{256} << 20) / bytes)));
    Results native, remote;
    double raw = 1e30;
    for (int round = 0; round < rounds; ++round) {  // the three interleaved, each round
      std::string native_out = capture(probe);
      std::string remote_out = capture(remote_env + probe, &stats);
      if (native_out.empty() || remote_out.empty()) {
        std::fprintf(stderr, "the probe failed %s:\n%s\n", native_out.empty() ? "natively" : "through the stack",
                     stats.c_str());
        return 1;
      }
      keep_best(native, parse(native_out));
      keep_best(remote, parse(remote_out));
      raw = std::min(raw, raw_stream_seconds(bytes, reps));
    }
    for (const auto& [key, seconds] : remote) {
      const std::string& mode = key.first;
      double n = native.count(key) ? native[key] : 0;
      std::printf("%-18s %8s %12.2f %12.2f %12.2f %11.0f%% %14.0f%% %13.1fx\n", mode.c_str(),
                  size_text(bytes).c_str(), gbps(bytes, n), gbps(bytes, seconds), gbps(bytes, raw),
                  100.0 * raw / seconds, 100.0 * (raw + n) / seconds, n > 0 ? seconds / n : 0.0);
    }
    std::fflush(stdout);
  }
  auto at = stats.rfind("remora: ");
  if (at != std::string::npos) std::printf("\nguest runtime counts for the last remoted probe: %s", stats.c_str() + at);
  return 0;
}
