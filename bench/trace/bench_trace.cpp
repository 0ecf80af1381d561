// bench_trace: wall time of each OpenCL sample traced by `remora trace` (interposer
// cached, database written) against the same sample run directly, in one run.
// Runs alternate native/traced so machine load hits both alike; the median of
// --reps runs is reported. Usage: bench_trace [--reps N] [SAMPLE-PATH...]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "remora/spec/json_io.h"
#include "remora/trace/tracer.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double cpu_seconds(const rusage& r) {
  return double(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + double(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

// CPU time of this process plus its reaped children so far.
double total_cpu() {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  return cpu_seconds(self) + cpu_seconds(children);
}

struct Timing {
  double wall = -1;
  double cpu = 0;
};

// Runs the program with stdout/stderr discarded; wall -1 on failure.
Timing run_native(const std::string& program) {
  double cpu0 = total_cpu();
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Timing t{seconds_since(t0), total_cpu() - cpu0};
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) t.wall = -1;
  return t;
}

// Traces the program the way `remora trace` does (the program's output discarded).
Timing run_traced(const remora::spec::Spec& spec, const std::string& program, const std::string& db,
                  long long& calls) {
  remora::trace::TraceOptions options;
  options.argv = {program};
  options.output = db;
  options.build.cache_dir = REMORA_TRACE_BENCH_CACHE;
  remora::spec::Diagnostics diagnostics;
  int saved_out = dup(1), saved_err = dup(2);
  int null = open("/dev/null", O_WRONLY);
  dup2(null, 1);
  dup2(null, 2);
  double cpu0 = total_cpu();
  auto t0 = std::chrono::steady_clock::now();
  auto result = remora::trace::trace_program(spec, options, diagnostics);
  Timing t{seconds_since(t0), total_cpu() - cpu0};
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(null), close(saved_out), close(saved_err);
  for (const auto& d : diagnostics)
    if (d.severity == remora::spec::Diagnostic::Severity::Error)
      std::fprintf(stderr, "bench_trace: %s\n", remora::spec::format_diagnostic(d).c_str());
  calls = result.calls;
  if (!result.ok || result.exit_code != 0) t.wall = -1;
  return t;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 3;
  std::vector<std::string> samples;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else samples.push_back(argv[i]);
  }
  if (samples.empty()) samples = {REMORA_TRACE_BENCH_SAMPLES};
  auto load = remora::spec::load_spec_file(REMORA_TRACE_BENCH_SPEC);
  if (!load.ok()) {
    std::fprintf(stderr, "bench_trace: cannot load %s\n", REMORA_TRACE_BENCH_SPEC);
    return 1;
  }
  std::string db = (std::filesystem::temp_directory_path() / ("bench-trace-" + std::to_string(getpid()) + ".db")).string();
  long long calls = 0;
  // Warm-up: builds (or finds) the cached interposer, loads pocl's caches.
  if (run_traced(load.spec, samples.front(), db, calls).wall < 0) {
    std::fprintf(stderr, "bench_trace: warm-up trace of %s failed\n", samples.front().c_str());
    return 1;
  }
  std::printf("%-28s %8s %10s %10s %7s %9s %9s %7s\n", "sample", "calls", "native s", "traced s", "ratio",
              "cpu nat", "cpu trc", "ratio");
  double log_sum = 0, native_total = 0, traced_total = 0, native_cpu_total = 0, traced_cpu_total = 0;
  int measured = 0;
  for (const auto& sample : samples) {
    std::vector<double> native, traced, native_cpu, traced_cpu;
    bool failed = false;
    run_native(sample);  // warm the page cache for this sample
    for (int r = 0; r < reps && !failed; ++r) {
      Timing n = run_native(sample), t = run_traced(load.spec, sample, db, calls);
      if (n.wall < 0 || t.wall < 0) failed = true;
      native.push_back(n.wall);
      traced.push_back(t.wall);
      native_cpu.push_back(n.cpu);
      traced_cpu.push_back(t.cpu);
    }
    std::string name = std::filesystem::path(sample).filename().string();
    if (failed) {
      std::printf("%-28s  failed (native or traced run did not exit 0)\n", name.c_str());
      continue;
    }
    double n = median(native), t = median(traced), nc = median(native_cpu), tc = median(traced_cpu);
    std::printf("%-28s %8lld %10.3f %10.3f %6.2fx %9.3f %9.3f %6.2fx\n", name.c_str(), calls, n, t, t / n, nc, tc,
                nc > 0 ? tc / nc : 0.0);
    native_cpu_total += nc;
    traced_cpu_total += tc;
    log_sum += std::log(t / n);
    native_total += n;
    traced_total += t;
    ++measured;
  }
  std::filesystem::remove(db);
  for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(db + suffix);
  if (measured) {
    std::printf("\ngeometric mean ratio (traced / native): %.2fx over %d samples\n", std::exp(log_sum / measured), measured);
    std::printf("total wall time ratio: %.2fx (%.2f s traced / %.2f s native)\n", traced_total / native_total,
                traced_total, native_total);
    std::printf("total CPU time ratio: %.2fx (%.2f s traced, recorder included / %.2f s native)\n",
                traced_cpu_total / native_cpu_total, traced_cpu_total, native_cpu_total);
  }
  return 0;
}
