// Prints the wall time of infer_spec on cl.h, cuda_runtime_api.h and a whole
// CUDA toolkit API (runtime + driver + cuBLAS in one spec), and its ratio to
// the baseline measured in the same run: parsing the headers alone.
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

// `headers`: the first is the API's header, the others are parsed with it into one spec.
void bench(const char* label, const std::vector<std::string>& headers, const std::vector<std::string>& includes,
           const std::vector<std::string>& defines, double target) {
  for (const auto& header : headers)
    if (!std::filesystem::exists(header)) {
      std::printf("%-34s skipped: %s not found\n", label, header.c_str());
      return;
    }
  remora::inference::InferOptions options;
  options.header = headers.front();
  options.extra_headers.assign(headers.begin() + 1, headers.end());
  options.include_dirs = includes;
  options.defines = defines;
  options.library = "lib.so.1";
  remora::inference::HeaderParseOptions parse_options{headers.front(), includes, defines, "", options.extra_headers, {}};
  std::size_t functions = 0;
  bool ok = true;
  double parse = median_seconds(5, [&] { remora::inference::parse_header(parse_options); });
  double infer = median_seconds(5, [&] {
    auto result = remora::inference::infer_spec(options);
    ok = result.ok;
    functions = result.spec.functions.size();
  });
  std::printf("%-34s %4zu functions  parse %7.1f ms  infer %7.1f ms  infer/parse %.2fx  (aim < %.0f ms: %s)%s\n",
              label, functions, parse * 1e3, infer * 1e3, infer / parse, target * 1e3, infer < target ? "ok" : "SLOW",
              ok ? "" : "  INFERENCE FAILED");
}

}  // namespace

int main() {
  const std::string cuda = "/usr/local/cuda/include";
  bench("CL/cl.h", {"/usr/include/CL/cl.h"}, {}, {"CL_TARGET_OPENCL_VERSION=300"}, 1.0);
  bench("cuda_runtime_api.h", {cuda + "/cuda_runtime_api.h"}, {cuda}, {}, 2.0);
  // A whole CUDA toolkit API as one spec: runtime + driver + cuBLAS (through its umbrella).
  bench("cuda_runtime_api.h+cuda.h+cublas_v2.h",
        {cuda + "/cuda_runtime_api.h", cuda + "/cuda.h", cuda + "/cublas_v2.h"}, {cuda}, {}, 5.0);
  return 0;
}
