// The annotations of memory the library keeps between calls (docs/spec-format.md):
// a stream-state struct (`types[].state`), a retained buffer (`retain`) and a
// coherence point (`functions[].coherence`) round-trip, validate and diff.
#include <catch2/catch.hpp>

#include "remora/spec/json_io.h"
#include "remora/spec/spec_diff.h"

using namespace remora::spec;

namespace {

const char* kSpec = R"({"format": "remora-spec/1", "api": {"name": "t"},
  "types": [{"name": "s_stream", "kind": "struct", "state": true,
             "fields": [{"name": "next_in", "type": "const unsigned char *", "direction": "in",
                         "kind": "buffer", "size": "avail_in"},
                        {"name": "avail_in", "type": "unsigned int"}]}],
  "functions": [
    {"name": "create", "return": {"type": "void *", "kind": "handle", "allocates": true},
     "params": [{"name": "host", "type": "void *", "direction": "inout", "kind": "buffer",
                 "size": "n", "size_unit": "bytes", "retain": "object"},
                {"name": "n", "type": "unsigned long", "direction": "in", "kind": "value"}]},
    {"name": "write", "return": {"type": "int"}, "sync": "async",
     "params": [{"name": "src", "type": "const void *", "direction": "in", "kind": "buffer",
                 "size": "n", "size_unit": "bytes", "retain": "command"},
                {"name": "n", "type": "unsigned long", "direction": "in", "kind": "value"}]},
    {"name": "finish", "return": {"type": "int"}, "coherence": "refresh", "params": []}]})";

std::string all_errors(const SpecLoad& l) {
  std::string out;
  for (const auto& e : l.errors) out += format_issue(e) + "\n";
  return out;
}

}  // namespace

TEST_CASE("state, retain and coherence round-trip through JSON") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  const Type* t = a.spec.find_type("s_stream");
  REQUIRE(t);
  CHECK(t->state);
  CHECK(a.spec.find_function("create")->params[0].ann.retain == "object");
  CHECK(a.spec.find_function("write")->params[0].ann.retain == "command");
  CHECK(a.spec.find_function("finish")->coherence == "refresh");
  SpecLoad b = spec_from_json_text(spec_to_json_text(a.spec));
  REQUIRE(b.ok());
  CHECK(b.spec == a.spec);
}

TEST_CASE("unknown retain and coherence values are errors naming the allowed ones") {
  std::string bad = kSpec;
  bad.replace(bad.find("\"object\""), 8, "\"forever\"");
  SpecLoad a = spec_from_json_text(bad);
  CHECK_FALSE(a.ok());
  CHECK(all_errors(a).find("unknown retain \"forever\" (allowed: object, command)") != std::string::npos);
  std::string bad2 = kSpec;
  bad2.replace(bad2.find("\"refresh\""), 9, "\"sometimes\"");
  SpecLoad b = spec_from_json_text(bad2);
  CHECK_FALSE(b.ok());
  CHECK(all_errors(b).find("unknown coherence \"sometimes\"") != std::string::npos);
}

TEST_CASE("remora diff counts retain and coherence edits") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  Spec after = a.spec;
  after.find_function("create")->params[0].ann.retain = "";
  after.find_function("finish")->coherence = "both";
  SpecDiff d = diff_specs(a.spec, after);
  CHECK(d.changed_functions() == 2);
  std::string text = format_spec_diff(d);
  CHECK(text.find("retain") != std::string::npos);
  CHECK(text.find("coherence") != std::string::npos);
}
