// Prints the wall time of infer_spec on cl.h and cuda_runtime_api.h, and its
// ratio to the baseline measured in the same run: parsing the header alone.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <vector>

#include "remora/inference/header_parser.h"
#include "remora/inference/pipeline.h"

namespace {

double median_seconds(int runs, const std::function<void()>& work) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    work();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

void bench(const char* label, const std::string& header, const std::vector<std::string>& defines, double target) {
  if (!std::filesystem::exists(header)) {
    std::printf("%-22s skipped: %s not found\n", label, header.c_str());
    return;
  }
  remora::inference::InferOptions options;
  options.header = header;
  options.defines = defines;
  options.library = "lib.so.1";
  std::size_t functions = 0;
  double parse = median_seconds(5, [&] { remora::inference::parse_header({header, {}, defines, "", {}, {}}); });
  double infer = median_seconds(5, [&] { functions = remora::inference::infer_spec(options).spec.functions.size(); });
  std::printf("%-22s %4zu functions  parse %7.1f ms  infer %7.1f ms  infer/parse %.2fx  (aim < %.0f ms: %s)\n", label,
              functions, parse * 1e3, infer * 1e3, infer / parse, target * 1e3, infer < target ? "ok" : "SLOW");
}

}  // namespace

int main() {
  bench("CL/cl.h", "/usr/include/CL/cl.h", {"CL_TARGET_OPENCL_VERSION=300"}, 1.0);
  bench("cuda_runtime_api.h", "/usr/local/cuda/include/cuda_runtime_api.h", {}, 2.0);
  return 0;
}
