// A project finds its sources (header, docs) wherever it is opened from, and a
// re-inference that cannot read a source keeps the evidence that source gave,
// with a warning that names it: no function turns unsupported because a docs
// folder moved. Real cl.h, the real OpenCL reference pages, the real binary.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cli_run.h"
#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"

namespace fs = std::filesystem;
using cli_test::run_in;
using namespace remora::spec;

namespace {

const std::string kHeader = "/usr/include/CL/cl.h";
const std::string kDocs = std::string(REMORA_SHARED_DIR) + "/corpus/opencl-docs";

struct Counts {
  int unsupported = 0, docs_evidence = 0;
};

Counts counts(const std::string& spec_path) {
  SpecLoad load = load_spec_file(spec_path);
  REQUIRE(load.ok());
  Counts c;
  for (const auto& f : load.spec.functions) {
    c.unsupported += f.supported ? 0 : 1;
    for (const auto& p : f.params)
      for (const auto& e : p.evidence) c.docs_evidence += e.source == EvidenceSource::Docs ? 1 : 0;
  }
  return c;
}

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("remora-cli-sources-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE(
    "a project made with a relative --docs keeps its docs when moved and when they go missing") {
  if (!fs::exists(kHeader) || !fs::exists(kDocs + "/opencl_runtime_layer.asciidoc")) {
    WARN("skipped: needs " + kHeader + " and " + kDocs);
    return;
  }
  Scratch s;
  fs::path work = s.dir / "work";
  fs::create_directories(work);
  fs::copy(kDocs, work / "docs", fs::copy_options::recursive);

  // Created from inside its folder, with a relative docs path.
  auto made = run_in(work.string(),
                     "infer " + kHeader +
                         " -DCL_TARGET_OPENCL_VERSION=300 --api-name OpenCL --library "
                         "libOpenCL.so.1 --docs docs -o first.json --project ocl.remora --quiet");
  INFO(made.out);
  REQUIRE(made.code == 0);
  Counts first = counts((work / "first.json").string());
  REQUIRE(first.docs_evidence > 100);

  // The whole folder moves; the project is re-inferred from another directory.
  fs::path moved = s.dir / "moved";
  fs::rename(work, moved);
  CHECK(ProjectStore::open((moved / "ocl.remora").string())->load_settings().docs ==
        std::vector<std::string>{(moved / "docs").string()});
  auto again = run_in(s.dir.string(), "infer --project moved/ocl.remora -o again.json");
  INFO(again.out);
  REQUIRE(again.code == 0);
  CHECK(again.out.find("does not exist") == std::string::npos);
  CHECK(again.out.find("is missing") == std::string::npos);
  Counts moved_counts = counts((s.dir / "again.json").string());
  CHECK(moved_counts.unsupported == first.unsupported);
  CHECK(moved_counts.docs_evidence == first.docs_evidence);

  // The docs folder goes away: the re-inference says so and keeps what it gave.
  fs::rename(moved / "docs", moved / "docs-elsewhere");
  auto missing = run_in(s.dir.string(), "infer --project moved/ocl.remora -o missing.json");
  INFO(missing.out);
  REQUIRE(missing.code == 0);
  CHECK(missing.out.find("remora infer: " + (moved / "docs").string() +
                         ": warning: docs source is missing; kept the") != std::string::npos);
  CHECK(missing.out.find("Restore it, or give its new place (--docs)") != std::string::npos);
  Counts kept = counts((s.dir / "missing.json").string());
  CHECK(kept.unsupported == first.unsupported);
  CHECK(kept.docs_evidence == first.docs_evidence);
  // And the project still names the docs, so restoring them is enough.
  CHECK(ProjectStore::open((moved / "ocl.remora").string())->load_settings().docs.size() == 1);

  // A project that names no header cannot be re-inferred without one: a clear error.
  fs::remove(moved / "ocl.remora");
  auto none = run_in(s.dir.string(), "infer --project moved/ocl.remora -o none.json");
  CHECK(none.code == 1);
  CHECK(none.out.find("give the header") != std::string::npos);
}

TEST_CASE("trace names a project's include folder that has gone missing") {
  Scratch s;
  std::string project = (s.dir / "toy.remora").string();
  SpecLoad reviewed =
      load_spec_file(std::string(REMORA_SOURCE_DIR) + "/tests/spec/data/reviewed.json");
  REQUIRE(reviewed.ok());
  {
    auto store = ProjectStore::open(project);
    store->save_spec(reviewed.spec);
    ProjectSettings settings;
    settings.include_dirs = {(s.dir / "include").string()};  // never created
    store->save_settings(settings);
  }
  auto traced = run_in(s.dir.string(), "trace --spec toy.remora -o t.db -- ./no-such-program");
  INFO(traced.out);
  CHECK(traced.code == 1);
  CHECK(traced.out.find("warning: the include folder " + (s.dir / "include").string() +
                        " that toy.remora names is missing") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "t.db"));
}
