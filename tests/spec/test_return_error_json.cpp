// A return value's `error` (what a plain-integer function returns when it fails,
// docs/spec-format.md) round-trips through JSON, diffs, and is refused where it means
// nothing: on a parameter, or spelled as neither an integer nor a constant.
#include <catch2/catch.hpp>
#include <string>

#include "remora/spec/json_io.h"
#include "remora/spec/spec_diff.h"

using namespace remora::spec;

namespace {

std::string spec_with(const std::string& ret, const std::string& param_extra) {
  return R"({"format": "remora-spec/1", "api": {"name": "t"},
  "functions": [{"name": "tInit", "return": {"type": "int")" +
         ret + R"(},
     "params": [{"name": "n", "type": "int", "kind": "value")" +
         param_extra + R"(}]}]})";
}

}  // namespace

TEST_CASE("a return value's error round-trips through JSON and diffs") {
  SpecLoad a = spec_from_json_text(spec_with(R"(, "error": "-1")", ""));
  REQUIRE(a.ok());
  CHECK(a.spec.find_function("tInit")->ret.ann.error == "-1");
  SpecLoad b = spec_from_json_text(spec_to_json_text(a.spec));
  REQUIRE(b.ok());
  CHECK(b.spec == a.spec);
  Spec after = a.spec;
  after.find_function("tInit")->ret.ann.error = "T_ERROR";
  SpecDiff d = diff_specs(a.spec, after);
  CHECK(d.changed_functions() == 1);
  CHECK(format_spec_diff(d).find("error") != std::string::npos);
  CHECK(spec_from_json_text(spec_with(R"(, "error": "T_ERROR_2")", "")).ok());
}

TEST_CASE("an error value on a parameter, or one that is not a value, is refused") {
  SpecLoad on_param = spec_from_json_text(spec_with("", R"(, "error": "0")"));
  CHECK_FALSE(on_param.ok());
  SpecLoad expression = spec_from_json_text(spec_with(R"(, "error": "n - 1")", ""));
  CHECK_FALSE(expression.ok());
}
