// Bulk transfer benchmark. Prints, from one run, for clEnqueueReadBuffer/WriteBuffer of
// 4 KiB .. 64 MiB (256 MiB with --large), blocking and non-blocking + clWaitForEvents:
// throughput natively (pocl), through the generated OpenCL stack over a unix socket, and
// of the raw channel (the same bytes one way through a unix socketpair), with the ratios
// remoted / raw channel and native / remoted. Best of several transfers per case; the
// three are measured one size after the other (interleaved), so that a busy machine
// slows all three alike. "whole" is the stack with chunked transfers off
// (REMORA_CHUNK_BYTES=0: every call one request), measured in the same interleaving, so
// remoted/whole is the gain of splitting large transfers into overlapped pieces.
// With --shm the stack runs over the shared-memory transport and the raw channel is
// memcpy of the same size (what a shared-memory transfer cannot beat).
// --rounds N repeats every size N times (the configurations interleaved in each round, the
// two stack configurations in alternating order) and prints medians over the rounds, with
// the spread of remoted/whole: on a loaded machine one round says little.
// Usage: remora_bulk_bench [--large] [--shm] [--min BYTES] [--rounds N]   (builds the
// OpenCL stack on first run; --min skips the sizes below BYTES)
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
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

// Best memcpy of `bytes` between two warm buffers of this process.
double memcpy_seconds(std::size_t bytes, int reps) {
  std::vector<unsigned char> a(bytes, 1), b(bytes, 2);
  double best = 1e30;
  for (int r = 0; r <= reps; ++r) {  // the first one warms up
    auto t = Clock::now();
    std::memcpy(b.data(), a.data(), bytes);
    if (r > 0) best = std::min(best, seconds_since(t));
    a[static_cast<std::size_t>(r) % bytes] = b[(static_cast<std::size_t>(r) * 7) % bytes];  // keep the copies observable
  }
  return best;
}

// Median and spread of one column over the rounds.
struct Spread {
  double median = 0, low = 0, high = 0;
};
Spread spread(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false, shm = false;
  std::size_t min_bytes = 4096;
  int rounds = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--large") == 0) large = true;
    else if (std::strcmp(argv[i], "--shm") == 0) shm = true;
    else if (std::strcmp(argv[i], "--min") == 0 && i + 1 < argc) min_bytes = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) rounds = std::max(1, std::atoi(argv[++i]));
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
  // Over shm, a second server without data regions (REMORA_SHM_DATA_BYTES=0): every
  // payload streams through the rings, as before payloads were placed.
  std::unique_ptr<Server> rings_server;
  const std::string rings_sock = "/tmp/remora-bulk-rings-" + std::to_string(getpid()) + ".sock";
  if (shm) {
    setenv("REMORA_SHM_DATA_BYTES", "0", 1);
    rings_server = std::make_unique<Server>(ocl_dir + "/build/server/opencl-server", "shm:" + rings_sock, real);
    unsetenv("REMORA_SHM_DATA_BYTES");
  }
  const std::string rings_env = "REMORA_SERVER=shm:" + rings_sock + " LD_LIBRARY_PATH=" + ocl_dir + "/build/guest ";
  const char* chunk = std::getenv("REMORA_CHUNK_BYTES");
  std::printf("transport %s; raw channel: %s; remoted: pieces of REMORA_CHUNK_BYTES=%s, whole: =0; %d round(s),\n"
              "GB/s and ratios are medians over the rounds, [low high] the spread of remoted/whole\n",
              transport.c_str(), shm ? "memcpy of the same size in this process" : "a unix socketpair stream",
              chunk && *chunk ? chunk : "(default)", rounds);
  std::printf("\n%-18s %8s %12s %12s %12s %12s %12s %12s %22s", "mode", "size", "native GB/s", "remoted GB/s",
              "whole GB/s", "raw GB/s", "remoted/raw", "whole/raw", "remoted/whole");
  if (shm) std::printf(" %12s", "rings GB/s");
  std::printf("\n");
  std::string stats;
  const std::size_t max_bytes = std::size_t{large ? 256u : 64u} << 20;
  for (std::size_t bytes = 4096; bytes <= max_bytes; bytes *= 4) {
    if (bytes < min_bytes) continue;
    std::string probe = std::string(BULK_PROBE) + " " + std::to_string(bytes);
    int reps = static_cast<int>(std::min<std::size_t>(300, std::max<std::size_t>(5, (std::size_t{256} << 20) / bytes)));
    // Per mode, per round: seconds of each configuration (interleaved within a round).
    std::map<std::string, std::map<std::string, std::vector<double>>> seen;
    for (int round = 0; round < rounds; ++round) {
      // Alternate which of the two stack configurations goes first.
      std::string native_out = capture(probe), remote_out, whole_out;
      if (round % 2 == 0) {
        remote_out = capture(remote_env + probe, &stats);
        whole_out = capture("REMORA_CHUNK_BYTES=0 " + remote_env + probe);
      } else {
        whole_out = capture("REMORA_CHUNK_BYTES=0 " + remote_env + probe);
        remote_out = capture(remote_env + probe, &stats);
      }
      std::string rings_out = shm ? capture(rings_env + probe) : "";
      if (native_out.empty() || remote_out.empty() || whole_out.empty() || (shm && rings_out.empty())) {
        std::fprintf(stderr, "the probe failed %s:\n%s\n", native_out.empty() ? "natively" : "through the stack",
                     stats.c_str());
        return 1;
      }
      const double raw = shm ? memcpy_seconds(bytes, reps) : raw_stream_seconds(bytes, reps);
      Results native = parse(native_out), remote = parse(remote_out), whole = parse(whole_out), rings = parse(rings_out);
      for (const auto& [key, seconds] : remote) {
        auto& m = seen[key.first];
        m["remoted"].push_back(seconds);
        m["raw"].push_back(raw);
        if (native.count(key)) m["native"].push_back(native[key]);
        if (whole.count(key)) {
          m["whole"].push_back(whole[key]);
          m["gain"].push_back(whole[key] / seconds);
        }
        if (rings.count(key)) m["rings"].push_back(rings[key]);
      }
    }
    for (auto& [mode, m] : seen) {
      auto g = [&](const char* what) { return gbps(bytes, spread(m[what]).median); };
      Spread gain = spread(m["gain"]);
      std::printf("%-18s %8s %12.2f %12.2f %12.2f %12.2f %11.0f%% %11.0f%% %7.2fx [%.2f %.2f]", mode.c_str(),
                  size_text(bytes).c_str(), g("native"), g("remoted"), g("whole"), g("raw"),
                  100.0 * g("remoted") / std::max(g("raw"), 1e-9), 100.0 * g("whole") / std::max(g("raw"), 1e-9),
                  gain.median, gain.low, gain.high);
      if (shm) std::printf(" %12.2f", g("rings"));
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  auto at = stats.rfind("remora: ");
  if (at != std::string::npos) std::printf("\nguest runtime counts for the last remoted probe: %s", stats.c_str() + at);
  return 0;
}
