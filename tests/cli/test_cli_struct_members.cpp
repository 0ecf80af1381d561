// A reviewer's edit of a struct member (types[].fields[]) is counted by
// `remora diff` like a parameter edit, and `remora show` / `remora explain`
// print it with its review status. Real header, real binary, real project.
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

TEST_CASE("struct member edits show in diff, show and explain") {
  fs::path dir = fs::temp_directory_path() / ("remora-cli-members-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string inferred = (dir / "tdx.json").string(), project = (dir / "tdx.remora").string();
  auto made = run_in("", "infer " + std::string(REMORA_SOURCE_DIR) +
                             "/tests/data/headers/struct_fields.h --library libtdx.so.1 -o " +
                             inferred + " --quiet");
  INFO(made.out);
  REQUIRE(made.code == 0);

  // The review: one member edited (as the studio saves it), nothing else.
  SpecLoad load = load_spec_file(inferred);
  REQUIRE(load.ok());
  Type* info = load.spec.find_type("TdxSessionCreateInfo");
  REQUIRE(info);
  StructField* priorities = info->find_field("pQueuePriorities");
  REQUIRE(priorities);
  REQUIRE(priorities->ann.nullable);
  priorities->ann.nullable = false;
  priorities->status = ReviewStatus::Edited;
  priorities->confidence = 1.0;
  ProjectStore::open(project)->save_spec(load.spec);

  auto diff = run_in("", "diff " + inferred + " " + project);
  INFO(diff.out);
  CHECK(diff.code == 0);
  CHECK(diff.out.find("TdxSessionCreateInfo.pQueuePriorities: nullable true -> false") !=
        std::string::npos);
  CHECK(diff.out.find("TdxSessionCreateInfo.pQueuePriorities: status inferred -> edited") !=
        std::string::npos);
  CHECK(
      diff.out.find("0 functions and 0 parameters changed; 1 struct member in 1 struct changed") !=
      std::string::npos);
  auto json = run_in("", "diff --json " + inferred + " " + project);
  CHECK(json.out.find("\"changed_members\": 1") != std::string::npos);

  auto show = run_in("", "show " + project + " TdxSessionCreateInfo.pQueuePriorities");
  INFO(show.out);
  CHECK(show.code == 0);
  CHECK(show.out.find("TdxSessionCreateInfo: ") == 0);
  CHECK(show.out.find("pQueuePriorities;  [in buffer: queueIndexCount elements] 1.00 edited") !=
        std::string::npos);
  CHECK(show.out.find("<- review") == std::string::npos);
  CHECK(run_in("", "show " + project + " TdxSessionCreateInfo.nope").code == 1);

  auto explain = run_in("", "explain " + project + " TdxSessionCreateInfo.pQueuePriorities");
  INFO(explain.out);
  CHECK(explain.code == 0);
  CHECK(explain.out.find("status edited") != std::string::npos);

  // --needs-review lists the structs with a member to look at, the edited one no more for it.
  auto review = run_in("", "show --needs-review " + project, "2>/dev/null");
  INFO(review.out);
  CHECK(review.out.find("struct(s) with a member to review") != std::string::npos);
  CHECK(review.out.find("struct tdx_stream {") != std::string::npos);
  CHECK(review.out.find("pQueuePriorities;  [in buffer: queueIndexCount elements] 1.00 edited\n") !=
        std::string::npos);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
