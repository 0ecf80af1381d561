// Bad headers give diagnostics, never a crash.
#include <catch2/catch.hpp>

#include "remora/inference/header_parser.h"
#include "test_support.h"

using namespace remora::inference;
using remora::spec::Diagnostic;

namespace {

HeaderParse parse(const std::string& name) { return parse_header({remora::test::headers_dir() + name, {}, {}, ""}); }

bool has_error(const HeaderParse& p, const std::string& text) {
  for (const auto& d : p.diagnostics)
    if (d.severity == Diagnostic::Severity::Error && d.message.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("syntax errors are diagnostics with a line; what parsed is kept", "[malformed]") {
  HeaderParse p = parse("syntax_error.h");
  bool located = false;
  for (const auto& d : p.diagnostics) located = located || (d.severity == Diagnostic::Severity::Error && d.line > 0);
  CHECK(located);

  HeaderParse nothing = parse("nothing_parses.h");
  CHECK_FALSE(nothing.ok);
  CHECK(has_error(nothing, "did not parse"));
}

TEST_CASE("a missing include says which -I to add and keeps what parsed", "[malformed]") {
  HeaderParse p = parse("missing_include.h");
  CHECK(has_error(p, "-I"));
  CHECK(p.ok);
  REQUIRE(p.header.functions.size() == 1);
  CHECK(p.header.functions[0].name == "after_missing");
}

TEST_CASE("empty, binary and absent files", "[malformed]") {
  HeaderParse empty = parse("empty.h");
  CHECK(empty.ok);
  CHECK(empty.header.functions.empty());
  CHECK_FALSE(empty.diagnostics.empty());

  HeaderParse garbage = parse("garbage.h");
  CHECK_FALSE(garbage.ok);
  CHECK(has_error(garbage, "not a text file"));

  HeaderParse absent = parse("no_such_header.h");
  CHECK_FALSE(absent.ok);
  CHECK(has_error(absent, "not found"));

  InferOptions o;
  o.header = remora::test::headers_dir() + "nothing_parses.h";
  InferResult r = infer_spec(o);
  CHECK_FALSE(r.ok);
  CHECK_FALSE(r.diagnostics.empty());
}
