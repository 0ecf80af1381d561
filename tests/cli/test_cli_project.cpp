// Every spec-reading command takes a .remora project as well as a JSON spec,
// `remora export` writes a project's spec as JSON, and anything else is refused
// with a message that says what was expected.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"

namespace fs = std::filesystem;
using namespace remora::spec;

namespace {

struct Run {
  int code = -1;
  std::string out;  // stdout and stderr together
};

Run run(const std::string& args) {
  Run r;
  std::string cmd = std::string(REMORA_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string data(const std::string& name) {
  return std::string(REMORA_SOURCE_DIR) + "/tests/spec/data/" + name;
}

// A scratch folder with a project that holds the reviewed spec (as the studio
// would have saved it after a review of inferred.json).
struct Scratch {
  fs::path dir;
  std::string project;
  Scratch() {
    dir = fs::temp_directory_path() / ("remora-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    project = (dir / "toy.remora").string();
    SpecLoad reviewed = load_spec_file(data("reviewed.json"));
    REQUIRE(reviewed.ok());
    ProjectStore::open(project)->save_spec(reviewed.spec);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

}  // namespace

TEST_CASE("show, explain, diff and score read a .remora project") {
  Scratch s;
  Run show = run("show " + s.project + " toyRead");
  CHECK(show.code == 0);
  CHECK(show.out.find("toyRead") != std::string::npos);
  CHECK(show.out.find("JSON syntax error") == std::string::npos);

  Run diff = run("diff " + data("inferred.json") + " " + s.project);
  CHECK(diff.code == 0);
  CHECK(diff.out.find("toyRead.out: direction in -> out") != std::string::npos);

  // Same review as a JSON spec and as a project: nothing differs.
  Run same = run("diff " + data("reviewed.json") + " " + s.project);
  CHECK(same.code == 0);
  CHECK(same.out.find("0 functions and 0 parameters changed") != std::string::npos);

  Run score = run("score --spec " + s.project + " --truth " + data("truth.json"));
  CHECK(score.code == 0);
  CHECK(score.out.find("overall") != std::string::npos);

  Run explain = run("explain " + s.project + " toyRead.out");
  CHECK(explain.code == 0);
}

TEST_CASE("export writes the project's spec as JSON, review included") {
  Scratch s;
  std::string out = s.path("exported.json");
  Run exp = run("export " + s.project + " -o " + out);
  REQUIRE(exp.code == 0);
  SpecLoad exported = load_spec_file(out);
  REQUIRE(exported.ok());
  SpecLoad reviewed = load_spec_file(data("reviewed.json"));
  CHECK(spec_to_json_text(exported.spec) == spec_to_json_text(reviewed.spec));

  CHECK(run("export " + s.project).code == 2);                       // no -o
  CHECK(run("export " + s.project + " -o " + s.project).code == 2);  // would overwrite the input
  Run missing = run("export " + s.path("nope.remora") + " -o " + s.path("x.json"));
  CHECK(missing.code == 1);
  CHECK_FALSE(fs::exists(s.path("nope.remora")));  // reading never creates a project
  CHECK_FALSE(fs::exists(s.path("x.json")));
}

TEST_CASE("generate builds the stack from a project") {
  Scratch s;
  Run gen = run("generate --spec " + s.project + " -o " + s.path("stack") + " --quiet");
  INFO(gen.out);
  CHECK(gen.code == 0);
  CHECK(fs::exists(s.path("stack/CMakeLists.txt")));
}

TEST_CASE("a file that is neither a spec nor a project is refused by name") {
  Scratch s;
  std::string text = s.path("notes.txt");
  std::ofstream(text) << "these are not the specs you are looking for\n";
  Run show = run("show " + text);
  CHECK(show.code == 1);
  CHECK(show.out.find("is neither a remora-spec/1 JSON spec nor a .remora project") !=
        std::string::npos);
  Run gen = run("generate --spec " + text + " -o " + s.path("stack"));
  CHECK(gen.code == 1);
  CHECK(gen.out.find("is neither") != std::string::npos);
}

TEST_CASE("the repository's reviewed OpenCL spec loads without warnings") {
  Run show = run("show " + std::string(REMORA_SOURCE_DIR) +
                 "/specs/opencl.reviewed.json clGetProgramInfo");
  CHECK(show.code == 0);
  CHECK(show.out.find("warning") == std::string::npos);
}

TEST_CASE("show --needs-review lists only what infer counts as needing review") {
  Scratch s;
  SpecLoad load = load_spec_file(data("inferred.json"));
  REQUIRE(load.ok());
  for (auto& f : load.spec.functions) {
    if (f.name == "toyRead") {
      f.confidence = 0.95;  // only a parameter below the threshold keeps it listed
      for (auto& p : f.params) p.confidence = p.name == "out" ? 0.6 : 0.95;
      continue;
    }
    f.confidence = 0.95;
    for (auto& p : f.params) p.status = ReviewStatus::Confirmed;  // a person looked: done
  }
  std::string project = s.path("review.remora");
  ProjectStore::open(project)->save_spec(load.spec);
  Run show = run("show --needs-review " + project);
  CHECK(show.code == 0);
  CHECK(show.out.find("1 of them need review") != std::string::npos);
  CHECK(show.out.find("toyRead(") != std::string::npos);
  CHECK(show.out.find("toyCreate(") == std::string::npos);
  CHECK(show.out.find("toyFlush(") == std::string::npos);
  // Without the filter every function is printed.
  CHECK(run("show " + project).out.find("toyFlush(") != std::string::npos);
}

TEST_CASE("every command's --help lists its exit codes") {
  for (const char* command : {"infer", "show", "explain", "generate", "diff", "score", "trace",
                              "trace-summary", "export", "cuda-kernels"}) {
    INFO(command);
    Run help = run(std::string(command) + " --help");
    CHECK(help.code == 0);
    CHECK(help.out.find("exit codes:") != std::string::npos);
  }
  Run top = run("--help");
  CHECK(top.code == 0);
  CHECK(top.out.find("exit codes: 0 success, 1 the command failed") != std::string::npos);
  CHECK(run("frobnicate").code == 2);
}

TEST_CASE("infer checks where it writes before working, and keeps a project's review") {
  Scratch s;
  const std::string header = std::string(REMORA_SOURCE_DIR) + "/tests/data/headers/rules_demo.h";
  Run no_folder =
      run("infer " + header + " --library libdemo.so.1 -o " + s.path("missing/spec.json"));
  CHECK(no_folder.code == 1);
  CHECK(no_folder.out.find("does not exist: create it first") != std::string::npos);
  CHECK(no_folder.out.find("[1/") == std::string::npos);  // the pipeline never started

  { std::ofstream(s.path("notes.remora")) << "not a project\n"; }
  Run not_project = run("infer " + header + " --library libdemo.so.1 -o " + s.path("a.json") +
                        " --project " + s.path("notes.remora"));
  CHECK(not_project.code == 1);
  CHECK(not_project.out.find("is not a Remora project") != std::string::npos);

  // Infer into a project, review one parameter there, infer again: the review stays.
  const std::string project = s.path("demo.remora");
  REQUIRE(run("infer " + header + " --library libdemo.so.1 -o " + s.path("b.json") + " --project " +
              project)
              .code == 0);
  {
    auto store = ProjectStore::open(project);
    Spec spec = store->load_spec();
    Function* f = spec.find_function("demoGetInfo");
    REQUIRE(f);
    Param* p = f->find_param("param_value");
    REQUIRE(p);
    p->ann.direction = Direction::InOut;
    p->status = ReviewStatus::Edited;
    store->save_spec(spec);
  }
  Run again = run("infer " + header + " --library libdemo.so.1 -o " + s.path("c.json") +
                  " --project " + project);
  CHECK(again.code == 0);
  CHECK(again.out.find("kept 1 human decision(s)") != std::string::npos);
  Spec kept = ProjectStore::open(project)->load_spec();
  const Param* p = kept.find_function("demoGetInfo")->find_param("param_value");
  CHECK(p->status == ReviewStatus::Edited);
  CHECK(p->ann.direction == Direction::InOut);
}
