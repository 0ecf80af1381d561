// The hand-written truth specs (OpenCL, CUDA runtime) through every part of
// the spec model: load, JSON round trip, project store, diff, score.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"
#include "remora/spec/spec_diff.h"
#include "remora/spec/spec_score.h"

using namespace remora::spec;
namespace fs = std::filesystem;

TEST_CASE("real truth specs survive JSON, the store, diff and score unchanged") {
  fs::path dir = fs::path(REMORA_SOURCE_DIR) / "tests" / "data" / "truth";
  int seen = 0;
  for (const char* name : {"opencl.truth.json", "cuda_runtime.truth.json"}) {
    fs::path path = dir / name;
    if (!fs::exists(path)) {
      WARN(path.string() << " not found; skipped");
      continue;
    }
    ++seen;
    INFO(path.string());
    SpecLoad load = load_spec_file(path.string());
    for (const auto& e : load.errors) UNSCOPED_INFO(format_issue(e));
    REQUIRE(load.ok());
    REQUIRE(load.spec.functions.size() > 50);

    SpecLoad again = spec_from_json_text(spec_to_json_text(load.spec));
    REQUIRE(again.ok());
    CHECK(again.spec == load.spec);

    fs::path project = fs::temp_directory_path() /
                       ("remora-real-" + std::to_string(::getpid()) + "-" + name + ".remora");
    {
      auto store = ProjectStore::open(project.string());
      store->save_spec(load.spec);
      CHECK(store->load_spec() == load.spec);
    }
    fs::remove(project);
    fs::remove(project.string() + "-wal");
    fs::remove(project.string() + "-shm");

    CHECK(diff_specs(load.spec, load.spec).empty());
    ScoreReport report = score_spec(load.spec, truth_from_spec(load.spec));
    CHECK(report.disagreements.empty());
    CHECK(report.overall.correct == report.overall.labelled);
  }
  if (seen == 0) WARN("no truth specs found under " << dir.string() << "; skipped");
}
