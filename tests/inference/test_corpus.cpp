// Every header of the accuracy corpus (tests/data/corpus/corpus.json) goes
// through the whole inference pipeline without an error. Accuracy itself is
// printed by bench/inference/bench_accuracy, never asserted here. The time
// budget is the CTest TIMEOUT of this test (CMakeLists.txt), not a timed assertion.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "corpus_list.h"
#include "remora/spec/json_fragments.h"

using namespace remora;

namespace {

const std::vector<corpus::CorpusApi>& apis() {
  static const std::vector<corpus::CorpusApi> list = corpus::load_corpus(REMORA_SOURCE_DIR);
  return list;
}

}  // namespace

TEST_CASE("the corpus list is well formed", "[corpus]") {
  REQUIRE(apis().size() >= 10);
  std::set<std::string> ids;
  std::size_t with_truth = 0;
  for (const auto& api : apis()) {
    INFO(api.id);
    CHECK(ids.insert(api.id).second);
    CHECK_FALSE(api.library.empty());
    for (const auto& h : api.headers) CHECK(std::filesystem::path(h).is_absolute());
    if (!api.truth.empty()) {
      ++with_truth;
      CHECK(std::filesystem::exists(api.truth));
    }
  }
  CHECK(with_truth >= 6);
}

TEST_CASE("every installed corpus header infers without errors", "[corpus]") {
  std::size_t inferred = 0;
  for (const auto& api : apis()) {
    if (std::string missing = api.missing_header(); !missing.empty()) {
      WARN(api.id << " skipped: " << missing << " is not installed");
      continue;
    }
    for (const auto& header : api.headers) {
      INFO(api.id << ": " << header);
      inference::InferResult result =
          inference::infer_spec(api.options(header, /*with_docs=*/true));
      REQUIRE(result.ok);
      for (const auto& d : result.diagnostics)
        if (d.severity == spec::Diagnostic::Severity::Error) FAIL_CHECK(spec::format_diagnostic(d));
      CHECK_FALSE(result.spec.functions.empty());
      spec::SpecIssues issues;
      spec::validate_spec_into(result.spec, issues);
      for (const auto& issue : issues.errors) FAIL_CHECK(spec::format_issue(issue));
      ++inferred;
    }
  }
  // zlib, sqlite3, Vulkan ... come with the Debian packages of scripts/setup.sh.
  CHECK(inferred >= 5);
}
