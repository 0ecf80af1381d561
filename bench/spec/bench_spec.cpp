// Spec-model costs, each as a ratio against a baseline timed in the same run:
//   1. evaluating a parsed size expression vs the same arithmetic compiled in C++
//      (what the tracer pays per call for being generic);
//   2. loading a spec (JSON parse + model + validation) vs parsing the JSON alone;
//   3. saving a spec to the SQLite project vs writing the JSON file (atomically).
// Usage: bench_spec [SPEC.json]   (default: tests/data/truth/opencl.truth.json)
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"
#include "remora/spec/size_expr.h"

using namespace remora::spec;
using Clock = std::chrono::steady_clock;

namespace {

// Best of several rounds, in seconds per iteration.
double time_per_iteration(int iterations, const std::function<void()>& body) {
  double best = 1e30;
  for (int round = 0; round < 5; ++round) {
    auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) body();
    double s = std::chrono::duration<double>(Clock::now() - start).count() / iterations;
    if (s < best) best = s;
  }
  return best;
}

void report(const char* what, double measured, const char* baseline_name, double baseline) {
  std::printf("%-34s %10.3f us   %-28s %10.3f us   ratio %6.2fx\n", what, measured * 1e6,
              baseline_name, baseline * 1e6, measured / baseline);
}

volatile std::int64_t sink;

}  // namespace

int main(int argc, char** argv) {
  std::string spec_path =
      argc > 1 ? argv[1] : REMORA_SOURCE_DIR "/tests/data/truth/opencl.truth.json";

  // 1. size-expression evaluation.
  auto parsed =
      parse_size_expr("min(*count, num_entries) * sizeof(cl_device_id) + desc->width * 4");
  std::int64_t count = 7, entries = 5, width = 640;
  SizeEvalContext ctx;
  ctx.param = [&](std::string_view) -> std::optional<std::int64_t> { return entries; };
  ctx.deref_param = [&](std::string_view) -> std::optional<std::int64_t> { return count; };
  ctx.field = [&](std::string_view, std::string_view) -> std::optional<std::int64_t> {
    return width;
  };
  ctx.size_of = [](std::string_view) -> std::optional<std::int64_t> { return 8; };
  double generic =
      time_per_iteration(200000, [&] { sink = *evaluate_size_expr(*parsed.expr, ctx).value; });
  double native = time_per_iteration(200000, [&] {
    volatile std::int64_t vc = count, ve = entries, vw = width;  // defeat constant folding
    std::int64_t c = vc, e = ve, w = vw;
    sink = std::min(c, e) * 8 + w * 4;
  });
  report("evaluate size expression", generic, "native C++ arithmetic", native);

  // 2. loading a spec.
  std::ifstream in(spec_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "bench_spec: cannot open %s (pass a spec path)\n", spec_path.c_str());
    return 1;
  }
  std::ostringstream text_stream;
  text_stream << in.rdbuf();
  const std::string text = text_stream.str();
  SpecLoad load = spec_from_json_text(text);
  if (!load.ok()) {
    std::fprintf(stderr, "bench_spec: %s does not load: %s\n", spec_path.c_str(),
                 format_issue(load.errors[0]).c_str());
    return 1;
  }
  std::printf("spec: %s (%zu functions, %zu bytes)\n", spec_path.c_str(),
              load.spec.functions.size(), text.size());
  double full = time_per_iteration(20, [&] {
    sink = static_cast<std::int64_t>(spec_from_json_text(text).spec.functions.size());
  });
  double parse_only =
      time_per_iteration(20, [&] { sink = static_cast<std::int64_t>(Json::parse(text).size()); });
  report("load spec (parse+model+validate)", full, "JSON parse only", parse_only);

  // 3. saving: project store vs JSON file, both durable.
  auto dir =
      std::filesystem::temp_directory_path() / ("remora-bench-spec-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    auto store = ProjectStore::open((dir / "bench.remora").string());
    double sqlite = time_per_iteration(5, [&] { store->save_spec(load.spec); });
    double json =
        time_per_iteration(5, [&] { save_spec_file(load.spec, (dir / "bench.json").string()); });
    report("save to SQLite project", sqlite, "save JSON file (atomic)", json);
    double sqlite_load = time_per_iteration(
        5, [&] { sink = static_cast<std::int64_t>(store->load_spec().functions.size()); });
    report("load from SQLite project", sqlite_load, "load spec from JSON text", full);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
