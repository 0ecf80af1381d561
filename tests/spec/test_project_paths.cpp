// Source paths in a project resolve wherever it is opened from: relative to the
// project file for what lives beside it, absolute for what stayed put.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "remora/spec/keep_evidence.h"
#include "remora/spec/project_paths.h"
#include "remora/spec/project_store.h"

namespace fs = std::filesystem;
using namespace remora::spec;

namespace {

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("remora-paths-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string touch(const fs::path& rel) const {
    fs::create_directories((dir / rel).parent_path());
    std::ofstream(dir / rel) << "x";
    return (dir / rel).string();
  }
};

}  // namespace

TEST_CASE("a source beside the project moves with it; one outside it stays where it was") {
  Scratch s;
  std::string project_dir = (s.dir / "p").string();
  std::string beside = s.touch("p/docs/api.md");
  std::string outside = s.touch("shared/api.h");

  StoredPath b = store_path(beside, project_dir);
  CHECK(b.relative == "docs/api.md");
  CHECK(b.absolute == beside);
  StoredPath o = store_path(outside, project_dir);
  CHECK(o.relative == "../shared/api.h");

  // Both still where they were.
  CHECK(resolve_path(b, project_dir) == beside);
  CHECK(resolve_path(o, project_dir) == outside);

  // The project's folder moves (with its docs): the relative form wins for the
  // docs, the absolute one for the shared header.
  fs::rename(s.dir / "p", s.dir / "q");
  std::string moved_dir = (s.dir / "q").string();
  CHECK(resolve_path(b, moved_dir) == (s.dir / "q/docs/api.md").string());
  CHECK(resolve_path(o, moved_dir) == outside);

  // Gone everywhere: the preferred place, for the message to name.
  fs::remove(s.dir / "q/docs/api.md");
  CHECK(resolve_path(b, moved_dir) == (s.dir / "q/docs/api.md").string());
  ProjectSettings settings;
  settings.docs = {resolve_path(b, moved_dir)};
  settings.header = outside;
  auto missing = missing_sources(settings);
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].what == "docs");
}

TEST_CASE("the project store keeps source paths resolvable from any working directory") {
  Scratch s;
  std::string docs = s.touch("p/docs/api.md");
  std::string header = s.touch("p/api.h");
  {
    auto store = ProjectStore::open((s.dir / "p/x.remora").string());
    ProjectSettings settings;
    settings.header = header;
    settings.docs = {docs};
    settings.include_dirs = {(s.dir / "p").string()};
    settings.defines = {"A=1"};
    store->save_settings(settings);
  }
  fs::rename(s.dir / "p", s.dir / "moved");
  ProjectSettings back = ProjectStore::open((s.dir / "moved/x.remora").string())->load_settings();
  CHECK(back.header == (s.dir / "moved/api.h").string());
  CHECK(back.docs == std::vector<std::string>{(s.dir / "moved/docs/api.md").string()});
  CHECK(back.include_dirs == std::vector<std::string>{(s.dir / "moved").string()});
  CHECK(back.defines == std::vector<std::string>{"A=1"});

  // Settings without a header (a project imported from JSON) load with none.
  auto store = ProjectStore::open((s.dir / "moved/x.remora").string());
  ProjectSettings empty;
  store->save_settings(empty);
  CHECK(store->load_settings().header.empty());
}

TEST_CASE("evidence of a missing source is carried over; evidence of a present one is not") {
  Spec before;
  Function f;
  f.name = "apiRead";
  Param p;
  p.name = "buf";
  Evidence gone{EvidenceSource::Docs, {}, 0.7, "the docs say n bytes", "old/docs/api.md:12"};
  gone.says.size = "n";
  Evidence reread{EvidenceSource::Docs, {}, 0.6, "the other docs say out", "/here/more.md:3"};
  reread.says.direction = Direction::Out;
  Evidence trace{EvidenceSource::Trace, {}, 0.5, "written in 3/3 calls", "run.db"};
  trace.says.direction = Direction::Out;
  p.evidence = {gone, reread, trace};
  f.params.push_back(p);
  before.functions.push_back(f);

  Spec after = before;
  after.functions[0].params[0].evidence.clear();
  CHECK(keep_evidence_of_missing_sources(before, after, EvidenceSource::Docs, {"/here"}) == 1);
  CHECK(after.functions[0].params[0].evidence == std::vector<Evidence>{gone});
  // Already there: not doubled.
  CHECK(keep_evidence_of_missing_sources(before, after, EvidenceSource::Docs, {"/here"}) == 0);
  // Trace evidence names its database by file name.
  CHECK(keep_evidence_of_missing_sources(before, after, EvidenceSource::Trace, {"/tmp/x/run.db"}) ==
        0);
  CHECK(keep_evidence_of_missing_sources(before, after, EvidenceSource::Trace, {}) == 1);
}
