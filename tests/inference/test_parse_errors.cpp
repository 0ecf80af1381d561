// A header with parse errors must not silently become a spec with wrong types
// (clang reads an unknown type as int): inference fails, or with keep_going
// marks every function whose prototype held an error unsupported.
#include <algorithm>
#include <catch2/catch.hpp>

#include "remora/inference/header_parser.h"
#include "test_support.h"

using namespace remora::inference;
using remora::spec::Diagnostic;

namespace {

InferResult infer(const std::string& header, bool keep_going) {
  InferOptions o;
  o.header = remora::test::headers_dir() + header;
  o.library = "libut.so.1";
  o.keep_going = keep_going;
  return infer_spec(o);
}

const Diagnostic* error_with(const InferResult& r, const std::string& text) {
  for (const auto& d : r.diagnostics)
    if (d.severity == Diagnostic::Severity::Error && d.message.find(text) != std::string::npos)
      return &d;
  return nullptr;
}

}  // namespace

TEST_CASE("parse errors fail inference, naming the first error and what to pass",
          "[header][errors]") {
  InferResult r = infer("unknown_type.h", false);
  CHECK_FALSE(r.ok);
  const Diagnostic* first = error_with(r, "unknown type name 'widget_t'");
  REQUIRE(first);
  CHECK(first->line == 4);
  const Diagnostic* summary = error_with(r, "--keep-going");
  REQUIRE(summary);
  CHECK(summary->message.find("-I DIR") != std::string::npos);
  CHECK(summary->message.find("-D NAME") != std::string::npos);
  CHECK(summary->message.find("widget_t") != std::string::npos);  // the first error, quoted

  CHECK_FALSE(infer("missing_include.h", false).ok);
}

TEST_CASE("keep_going: prototypes with errors are unsupported, the others are inferred",
          "[header][errors]") {
  InferResult r = infer("unknown_type.h", true);
  REQUIRE(r.ok);
  const auto* unknown = r.spec.find_function("ut_uses_unknown");
  REQUIRE(unknown);
  CHECK_FALSE(unknown->supported);
  CHECK(unknown->status == remora::spec::ReviewStatus::Unsupported);
  CHECK(unknown->unsupported_reason.find("widget_t") != std::string::npos);
  CHECK(unknown->unsupported_reason.find("unknown_type.h:4") != std::string::npos);

  // The error is in the typedef; the prototype that uses it is just as wrong.
  const auto* typedefed = r.spec.find_function("ut_uses_bad_typedef");
  REQUIRE(typedefed);
  CHECK_FALSE(typedefed->supported);
  CHECK(typedefed->unsupported_reason.find("ut_gadget") != std::string::npos);

  for (const char* fine : {"ut_fine", "ut_also_fine"}) {
    INFO(fine);
    REQUIRE(r.spec.find_function(fine));
    CHECK(r.spec.find_function(fine)->supported);
  }
  // A re-run of fusion (the studio after an edit) keeps the refusal.
  remora::spec::Spec again = r.spec;
  refuse_spec(again);
  CHECK_FALSE(again.find_function("ut_uses_unknown")->supported);

  InferResult missing = infer("missing_include.h", true);
  REQUIRE(missing.ok);
  REQUIRE(missing.spec.find_function("after_missing"));
  CHECK(missing.spec.find_function("after_missing")->supported);  // its prototype is clean
}

TEST_CASE("a missing <header> next to the named one says which -I to pass", "[header][errors]") {
  std::string folder = remora::test::headers_dir();
  folder.pop_back();  // no trailing '/'
  HeaderParse p = parse_header({folder + "/angled_neighbour.h", {}, {}, "", {}, {}});
  bool advised = std::any_of(p.diagnostics.begin(), p.diagnostics.end(), [&](const Diagnostic& d) {
    return d.message.find("pass -I " + folder + ": it is there") != std::string::npos;
  });
  CHECK(advised);
}
