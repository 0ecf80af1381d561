// `may_hold_handles` (raw bytes in which handles may travel among data, docs/spec-format.md)
// round-trips through JSON, in an annotation and in an evidence claim, and diffs.
#include <catch2/catch.hpp>

#include "remora/spec/json_io.h"
#include "remora/spec/spec_diff.h"

using namespace remora::spec;

namespace {

const char* kSpec = R"({"format": "remora-spec/1", "api": {"name": "t"},
  "types": [{"name": "t_obj", "kind": "handle"}],
  "functions": [
    {"name": "setArg", "return": {"type": "int"},
     "params": [{"name": "obj", "type": "t_obj", "kind": "handle"},
                {"name": "size", "type": "unsigned long", "kind": "value"},
                {"name": "value", "type": "const void *", "direction": "in", "kind": "buffer",
                 "size": "size", "size_unit": "bytes", "nullable": true, "may_hold_handles": true,
                 "evidence": [{"source": "docs", "says": {"may_hold_handles": true}, "weight": 0.7,
                               "why": "value must point to a memory object"}]}]}]})";

}  // namespace

TEST_CASE("may_hold_handles round-trips through JSON, in the annotation and in evidence") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  const Param& p = a.spec.find_function("setArg")->params[2];
  CHECK(p.ann.may_hold_handles);
  REQUIRE(p.evidence.size() == 1);
  CHECK(p.evidence[0].says.may_hold_handles == std::optional<bool>(true));
  CHECK_FALSE(a.spec.find_function("setArg")->params[1].ann.may_hold_handles);
  SpecLoad b = spec_from_json_text(spec_to_json_text(a.spec));
  REQUIRE(b.ok());
  CHECK(b.spec == a.spec);
}

TEST_CASE("remora diff reports a may_hold_handles edit") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  Spec after = a.spec;
  after.find_function("setArg")->params[2].ann.may_hold_handles = false;
  SpecDiff d = diff_specs(a.spec, after);
  CHECK(d.changed_functions() == 1);
  CHECK(format_spec_diff(d).find("may_hold_handles") != std::string::npos);
}
