// Wall time of documentation mining on the real OpenCL corpus, next to the cl.h
// header inference it runs after, with baselines measured in the same run:
//   read      reading the corpus bytes (I/O floor for docs mining)
//   header    remora infer on cl.h without docs
//   docs      add_docs_evidence on that spec (readers + extractors + matching)
//   full      remora infer on cl.h with --docs (header + docs + fusion)
// usage: remora_bench_docs [DOCS_DIR] [HEADER]   (defaults: ../shared corpus, /usr/include/CL/cl.h)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "remora/inference/docs_evidence.h"
#include "remora/inference/pipeline.h"

namespace {

using Clock = std::chrono::steady_clock;

// Best of `runs` wall times, in seconds (the least disturbed by other load).
double best_of(int runs, const std::function<void()>& work) {
  double best = 1e9;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    work();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

std::size_t count_evidence(const remora::spec::Spec& s, remora::spec::EvidenceSource source) {
  std::size_t n = 0;
  for (const auto& f : s.functions) {
    for (const auto& e : f.evidence) n += e.source == source;
    for (const auto& p : f.params)
      for (const auto& e : p.evidence) n += e.source == source;
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::string docs = argc > 1 ? argv[1] : std::string(REMORA_SHARED_DIR) + "/corpus/opencl-docs";
  std::string header = argc > 2 ? argv[2] : "/usr/include/CL/cl.h";
  if (!fs::exists(docs) || !fs::exists(header)) {
    std::fprintf(stderr, "bench_docs: need %s and %s (pass DOCS_DIR HEADER)\n", docs.c_str(), header.c_str());
    return 2;
  }
  constexpr int kRuns = 5;

  std::size_t bytes = 0;
  double read = best_of(kRuns, [&] {
    bytes = 0;
    for (const auto& entry : fs::recursive_directory_iterator(docs)) {
      if (!entry.is_regular_file()) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::string text((std::istreambuf_iterator<char>(in)), {});
      bytes += text.size();
    }
  });

  remora::inference::InferOptions options;
  options.header = header;
  options.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  remora::inference::InferResult header_only;
  double header_time = best_of(kRuns, [&] { header_only = remora::inference::infer_spec(options); });
  if (!header_only.ok) {
    std::fprintf(stderr, "bench_docs: header inference failed on %s\n", header.c_str());
    return 1;
  }

  remora::spec::Spec mined;
  double docs_time = best_of(kRuns, [&] {
    mined = header_only.spec;
    remora::spec::Diagnostics d;
    remora::inference::add_docs_evidence(mined, {docs}, d);
  });

  options.docs = {docs};
  remora::inference::InferResult full;
  double full_time = best_of(kRuns, [&] { full = remora::inference::infer_spec(options); });

  std::printf("OpenCL docs mining benchmark (best of %d runs)\n", kRuns);
  std::printf("  corpus: %s (%.2f MB), header: %s (%zu functions)\n", docs.c_str(), bytes / 1e6, header.c_str(),
              header_only.spec.functions.size());
  std::printf("  %-34s %8.1f ms\n", "read corpus bytes (baseline)", read * 1e3);
  std::printf("  %-34s %8.1f ms\n", "header inference, no docs", header_time * 1e3);
  std::printf("  %-34s %8.1f ms   %zu docs evidence\n", "docs mining alone", docs_time * 1e3,
              count_evidence(mined, remora::spec::EvidenceSource::Docs));
  std::printf("  %-34s %8.1f ms   (target < 2000 ms)\n", "header + docs inference", full_time * 1e3);
  std::printf("  ratios: docs mining / corpus read = %.1fx, docs mining / header inference = %.2fx,\n",
              docs_time / read, docs_time / header_time);
  std::printf("          (header + docs) / header = %.2fx, docs throughput = %.1f MB/s\n", full_time / header_time,
              bytes / 1e6 / docs_time);
  return full_time < 2.0 ? 0 : 1;
}
