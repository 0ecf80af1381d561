// Bad headers give diagnostics, never a crash.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "remora/inference/header_parser.h"
#include "test_support.h"

using namespace remora::inference;
using remora::spec::Diagnostic;

namespace {

HeaderParse parse(const std::string& name) { return parse_header({remora::test::headers_dir() + name, {}, {}, "", {}, {}}); }

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

TEST_CASE("randomly mangled headers never crash the parser or the rules", "[malformed][fuzz]") {
  // Deterministic mutations of a real header: truncations, deleted and
  // duplicated spans, stray bytes. Each must yield a result, never a crash.
  std::ifstream in(remora::test::headers_dir() + "rules_demo.h");
  std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(original.size() > 100);
  std::mt19937 random(1234);
  auto dir = std::filesystem::temp_directory_path() / "remora_fuzz_headers";
  std::filesystem::create_directories(dir);
  for (int round = 0; round < 40; ++round) {
    std::string text = original;
    std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
    switch (round % 4) {
      case 0: text.resize(pos(random)); break;
      case 1: { auto a = pos(random); text.erase(a, std::min<std::size_t>(40, text.size() - a)); break; }
      case 2: { auto a = pos(random); text.insert(pos(random), text.substr(a, 30)); break; }
      case 3: for (int k = 0; k < 8; ++k) text[pos(random)] = "(){};*,\xc3#"[k % 10]; break;
    }
    auto path = dir / ("mangled_" + std::to_string(round) + ".h");
    std::ofstream(path) << text;
    InferOptions o;
    o.header = path.string();
    InferResult r = infer_spec(o);
    if (!r.ok) CHECK_FALSE(r.diagnostics.empty());
  }
  std::filesystem::remove_all(dir);
}
