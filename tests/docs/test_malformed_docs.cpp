#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;

namespace {
spec::Spec small_spec() {
  spec::Spec s;
  s.functions.push_back(function("fooGet", "int", {param("value", "int *"), param("n", "size_t")}));
  return s;
}
const char* kGoodPage = "[open,refpage='fooGet',desc='Get.',type='protos']\n--\n  * _value_ can be `NULL`.\n--\n";

bool mentions(const spec::Diagnostics& d, const std::string& file_part, const std::string& text) {
  for (const auto& x : d)
    if (x.file.find(file_part) != std::string::npos && x.message.find(text) != std::string::npos &&
        x.severity == spec::Diagnostic::Severity::Warning)
      return true;
  return false;
}
}  // namespace

TEST_CASE("malformed documents are reported and skipped - good ones in the same folder still count") {
  std::string good = write_temp("good.adoc", kGoodPage);
  std::string dir = std::filesystem::path(good).parent_path().string();
  std::ofstream(dir + "/cut.xml") << "<?xml version=\"1.0\"?>\n<registry>\n<commands>\n<command><proto>";
  std::string noise;
  for (int i = 0; i < 2000; ++i) noise += static_cast<char>((i * 7919) % 256);
  std::ofstream(dir + "/noise.md", std::ios::binary) << noise;
  std::ofstream(dir + "/open.adoc") << "[open,refpage='fooGet',type='protos']\n--\n  * _n_ is unterminated\n";
  std::ofstream(dir + "/empty.html") << "";
  std::ofstream(dir + "/tags.html") << "<html><body><h2>fooGet</h2><p>unclosed <b <i";

  auto s = small_spec();
  spec::Diagnostics d;
  REQUIRE_NOTHROW(inference::add_docs_evidence(s, {dir, dir + "/does-not-exist"}, d));
  CHECK(mentions(d, "cut.xml", "malformed XML"));
  CHECK(mentions(d, "noise.md", "not a text document"));
  CHECK(mentions(d, "open.adoc", "not terminated"));
  CHECK(mentions(d, "does-not-exist", "does not exist"));
  CHECK(find_docs_evidence(param_of(s, "fooGet", "value").evidence,
                           [](const auto& says) { return says.nullable == true; }));
}

TEST_CASE("an explicitly named file of unknown format is reported") {
  auto s = small_spec();
  auto d = mine(s, "notes.txt", "just some words\n");
  CHECK(mentions(d, "notes.txt", "unrecognized documentation format"));
}

TEST_CASE("docs that name no function of the header say so") {
  auto s = small_spec();
  auto d = mine(s, "other.adoc", "[open,refpage='barOther',desc='x',type='protos']\n--\n  * _v_ is v.\n--\n");
  bool warned = false;
  for (const auto& x : d) warned |= x.message.find("none names a function") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("a cancelled progress stops docs mining") {
  auto s = small_spec();
  spec::Diagnostics d;
  int calls = 0;
  inference::add_docs_evidence(s, {write_temp("p.adoc", kGoodPage)}, d, [&](std::string_view, long long, long long) {
    ++calls;
    return false;
  });
  CHECK(calls == 1);
  CHECK(param_of(s, "fooGet", "value").evidence.empty());
}

TEST_CASE("hostile inputs do not crash the readers") {
  auto s = small_spec();
  std::vector<std::string> hostile = {
      std::string("[open,refpage='fooGet'\n--\n  * _value_ _ _ _ `unterminated {brace\n--\n"),
      std::string("[open,refpage='fooGet',desc='\\'\n--\n  * \n** \n*** _\n--\n"),
      std::string("# `fooGet`\n| | |\n|---|\n| `value` |\n- [out]\n- `\n@param\n"),
      std::string(100000, '_'),
      std::string("[open,refpage='fooGet',type='protos']\n--\n") + std::string(5000, '*') + "\n--\n",
      std::string("[open,refpage='fooGet',type='protos']\n--\n  * _value_ has a NUL \0 byte and latexmath:[x\n--\n", 80),
  };
  // One enormous paragraph full of marks that never close: must stay linear.
  std::string huge = "[open,refpage='fooGet',type='protos']\n--\n  * _value_ ";
  for (int i = 0; i < 40000; ++i) huge += "{a `b <<c footnote:[ _d *e x. y\n";
  huge += "--\n";
  hostile.push_back(huge);
  // Deep nesting in every reader's syntax (100k levels): bounded, never a stack overflow.
  auto repeat = [](const std::string& piece, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += piece;
    return out;
  };
  const int deep = 100000;
  hostile.push_back(repeat("<div>", deep) + "fooGet value" + repeat("</div>", deep));
  hostile.push_back("<registry><commands>" + repeat("<command><proto>", deep) + "fooGet" +
                    repeat("</proto></command>", deep) + "</commands></registry>");
  hostile.push_back("# fooGet\n" + repeat(">", deep) + " value\n" + repeat("  ", deep) + "- value\n");
  hostile.push_back("[open,refpage='fooGet',type='protos']\n--\n  * _value_ " + repeat("[", deep) +
                    repeat("]", deep) + repeat("footnote:[", deep) + "\n--\n");
  hostile.push_back(repeat("<!--", deep) + repeat("<![CDATA[", deep) + repeat("<code><b>", deep));
  int k = 0;
  for (const auto& text : hostile) {
    for (const char* ext : {".adoc", ".md", ".html", ".xml"}) {
      spec::Diagnostics d;
      REQUIRE_NOTHROW(inference::add_docs_evidence(s, {write_temp("h" + std::to_string(k++) + ext, text)}, d));
    }
  }

}
