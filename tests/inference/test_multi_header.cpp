// APIs that span several headers: named together, or through an umbrella and
// a filter; duplicates and _v2 renames become one function.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/inference/header_parser.h"
#include "test_support.h"

using namespace remora::inference;
using remora::spec::Diagnostic;

namespace {

std::string multi(const std::string& name) {
  return remora::test::headers_dir() + "multi/" + name;
}

InferResult infer(InferOptions o) {
  o.library = "libmq.so.1";
  return infer_spec(o);
}

std::vector<std::string> names(const remora::spec::Spec& s) {
  std::vector<std::string> out;
  for (const auto& f : s.functions) out.push_back(f.name);
  std::sort(out.begin(), out.end());
  return out;
}

bool warned(const InferResult& r, const std::string& text) {
  return std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const Diagnostic& d) {
    return d.severity == Diagnostic::Severity::Warning && d.message.find(text) != std::string::npos;
  });
}

const std::vector<std::string> kAll{"mqCopy", "mqCreate", "mqDestroy", "mqFlush", "mqRead", "mqResize"};

}  // namespace

TEST_CASE("several headers make one spec; each function names its own header", "[header][multi]") {
  InferOptions o;
  o.header = multi("mq_core.h");
  o.extra_headers = {multi("mq_extra.h")};
  InferResult r = infer(o);
  REQUIRE(r.ok);
  CHECK(names(r.spec) == kAll);
  CHECK(r.spec.api.headers == std::vector<std::string>{"mq_core.h", "mq_extra.h"});
  CHECK(r.spec.find_function("mqCreate")->location == "mq_core.h:9");
  CHECK(r.spec.find_function("mqRead")->location.rfind("mq_extra.h:", 0) == 0);
  // Types come from all of them: the handle typedef lives in a third header.
  REQUIRE(r.spec.find_type("mq_context"));
  CHECK(r.spec.find_type("mq_context")->kind == remora::spec::TypeKind::Handle);
  CHECK(r.spec.find_function("mqRead")->find_param("data")->ann.size == "size");
}

TEST_CASE("a function declared twice is one, with the documentation and names either had",
          "[header][multi]") {
  InferOptions o;
  o.header = multi("mq_core.h");
  o.extra_headers = {multi("mq_extra.h")};
  InferResult r = infer(o);
  REQUIRE(r.ok);
  const auto* flush = r.spec.find_function("mqFlush");
  REQUIRE(flush);
  CHECK(flush->location.rfind("mq_core.h:", 0) == 0);  // the first declaration
  CHECK(flush->doc == "Writes out everything the context buffered.");
  REQUIRE(flush->params.size() == 1);
  CHECK(flush->params[0].name == "context");  // unnamed in mq_core.h
}

TEST_CASE("#define f f_v2 over an older declaration of f: one function, the new prototype",
          "[header][multi]") {
  InferOptions o;
  o.header = multi("mq_core.h");
  InferResult r = infer(o);
  REQUIRE(r.ok);
  CHECK(std::count_if(r.spec.functions.begin(), r.spec.functions.end(),
                      [](const auto& f) { return f.name.rfind("mqResize", 0) == 0; }) == 1);
  const auto* resize = r.spec.find_function("mqResize");
  REQUIRE(resize);
  CHECK(resize->symbol == "mqResize_v2");
  CHECK(resize->params[1].type == "size_t");
}

TEST_CASE("#define f WRAPPER(f_v2): a rename through a wrapper macro is a rename too",
          "[header][multi]") {
  InferOptions o;
  o.header = multi("mq_core.h");
  InferResult r = infer(o);
  REQUIRE(r.ok);
  CHECK_FALSE(r.spec.find_function("mqCopy_v2"));
  const auto* copy = r.spec.find_function("mqCopy");
  REQUIRE(copy);
  CHECK(copy->symbol == "mqCopy_v2");
  CHECK(copy->params.size() == 4);
}

TEST_CASE("an umbrella header stands for the headers it includes from its folder",
          "[header][multi]") {
  InferOptions o;
  o.header = multi("mq.h");
  InferResult r = infer(o);
  REQUIRE(r.ok);
  CHECK(names(r.spec) == kAll);  // and nothing from <string.h>
  CHECK(warned(r, "declares no functions itself"));
  CHECK(r.spec.api.headers == std::vector<std::string>{"mq.h"});
}

TEST_CASE("an umbrella elsewhere needs a filter, and says which", "[header][multi]") {
  InferOptions o;
  o.header = remora::test::headers_dir() + "umbrella/mq_elsewhere.h";
  InferResult none = infer(o);
  REQUIRE(none.ok);
  CHECK(none.spec.functions.empty());
  CHECK(warned(none, "--api-dir " + std::filesystem::canonical(multi("")).string()));
  CHECK(warned(none, "/multi/mq_core.h (6)"));

  o.filter.dirs = {multi("")};
  InferResult by_dir = infer(o);
  REQUIRE(by_dir.ok);
  CHECK(names(by_dir.spec) == kAll);  // nothing from <stdio.h>
  REQUIRE(by_dir.spec.find_type("mq_context"));

  o.filter.excludes = {"mq_extra.h"};
  InferResult excluded = infer(o);
  CHECK(names(excluded.spec) ==
        std::vector<std::string>{"mqCopy", "mqCreate", "mqDestroy", "mqFlush", "mqResize"});

  InferOptions glob;
  glob.header = o.header;
  glob.filter.globs = {"*/multi/mq_e*.h"};
  InferResult by_glob = infer(glob);
  CHECK(names(by_glob.spec) == std::vector<std::string>{"mqFlush", "mqRead"});
  // The selected header's neighbours lend it their types.
  REQUIRE(by_glob.spec.find_type("mq_context"));
}

TEST_CASE("a header with no functions and nothing to suggest says so", "[header][multi]") {
  InferOptions o;
  o.header = remora::test::headers_dir() + "empty.h";
  InferResult r = infer(o);
  REQUIRE(r.ok);
  CHECK(r.spec.functions.empty());
  CHECK(warned(r, "declares no functions"));
}
