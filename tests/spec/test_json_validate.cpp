// Validation of a spec, as run by load: every error names where it is, the
// bad value, and what is allowed.
#include <catch2/catch.hpp>

#include "remora/spec/json_io.h"
#include "rich_spec.h"

using namespace remora::spec;

namespace {

// A one-function document whose single parameter carries `param_fields`.
std::string doc_with_param(const std::string& param_fields, const std::string& extra_params = "") {
  return R"({"format": "remora-spec/1", "functions": [{"name": "f", "params": [
      {"name": "n", "type": "size_t", "direction": "in", "kind": "value"},)" +
         extra_params + R"({"name": "p", "type": "void *", )" + param_fields + "}]}]}";
}

std::string all_errors(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += format_issue(e) + "\n";
  return out;
}

void expect_error(const std::string& text, const std::string& expected) {
  SpecLoad load = spec_from_json_text(text);
  std::string errors = all_errors(load);
  INFO("errors:\n" << errors);
  CHECK_FALSE(load.ok());
  CHECK(errors.find(expected) != std::string::npos);
}

}  // namespace

TEST_CASE("unknown enumeration spellings name the param, the value and the choices") {
  expect_error(doc_with_param(R"("direction": "outt", "kind": "buffer", "size": "n")"),
               "f.p: unknown direction \"outt\" (allowed: in, out, inout)");
  expect_error(doc_with_param(R"("direction": "out", "kind": "array", "size": "n")"),
               "f.p: unknown kind \"array\" (allowed: value, handle, buffer, element, string, "
               "callback, userdata, opaque, chain)");
  expect_error(
      doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n", "size_unit": "words")"),
      "unknown size_unit \"words\" (allowed: bytes, elements)");
  expect_error(doc_with_param(R"("direction": "out", "kind": "element", "status": "done")"),
               "unknown status \"done\" (allowed: inferred, confirmed, edited, unsupported)");
  expect_error(doc_with_param(R"("direction": "out", "kind": "element",
                                  "evidence": [{"source": "oracle", "says": {}, "weight": 0.5}])"),
               "f.p.evidence[0]: unknown source \"oracle\" (allowed: header, docs, trace, human)");
  expect_error(
      R"({"format": "remora-spec/1", "types": [{"name": "t", "kind": "class"}]})",
      "types[0]: unknown kind \"class\" (allowed: handle, status, enum, struct, callback, alias)");
}

TEST_CASE("size expressions must parse and name existing parameters") {
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n *")"),
               "f.p: size \"n *\" does not parse at offset 3: expression ends where an operand was "
               "expected");
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "count * 4")"),
               "f.p: size \"count * 4\" refers to missing parameter 'count' (parameters: n, p)");
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n",
                                  "element": {"kind": "buffer", "size": "m"})"),
               "f.p.element: size \"m\" refers to missing parameter 'm'");
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n",
                                  "when": [{"if": "n > 0", "size": "len"}])"),
               "f.p.when[0]: size \"len\" refers to missing parameter 'len'");
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n",
                                  "evidence": [{"source": "docs", "says": {"size": "(n"}, "weight": 0.5}])"),
               "f.p.evidence[0].says: size \"(n\" does not parse");
  // ret and sizeof are not parameters.
  SpecLoad ok = spec_from_json_text(doc_with_param(
      R"J("direction": "out", "kind": "buffer", "size": "ret * sizeof(unsigned int)")J"));
  INFO(all_errors(ok));
  CHECK(ok.ok());
}

TEST_CASE("conditions, duplicates and ranges are checked") {
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "n",
                                  "when": [{"if": "  ", "direction": "in"}])"),
               "f.p.when[0]: when clause has an empty \"if\" condition");
  expect_error(
      doc_with_param(R"("direction": "in", "kind": "value")",
                     R"({"name": "p", "type": "int", "direction": "in", "kind": "value"},)"),
      "f.p: parameter \"p\" appears more than once");
  expect_error(R"({"format": "remora-spec/1", "functions": [{"name": "f"}, {"name": "f"}]})",
               "f: function \"f\" is declared more than once");
  expect_error(doc_with_param(R"("direction": "in", "kind": "value", "confidence": 1.5)"),
               "f.p: confidence 1.500000 is outside [0, 1]");
  expect_error(doc_with_param(R"("direction": "in", "kind": "value",
                                  "evidence": [{"source": "docs", "says": {}, "weight": -0.1}])"),
               "f.p.evidence[0]: weight -0.100000 is outside [0, 1]");
  expect_error(
      R"({"format": "remora-spec/1", "functions": [{"name": "f", "sync": {"async_if": ""}}]})",
      "f: sync {\"async_if\": ...} has an empty condition");
  expect_error(
      R"({"format": "remora-spec/1", "functions": [{"name": "f", "sync": "maybe"}]})",
      "f: sync must be \"sync\", \"async\" or {\"async_if\": \"<C condition>\"}, found \"maybe\"");
  expect_error(doc_with_param(R"("direction": "in", "kind": "handle", "shadow": "mirror")"),
               "f.p: unknown shadow \"mirror\" (allowed: map, unmap, persistent)");
  // A buffer an object lends is a return value; a parameter says so through its element.
  expect_error(doc_with_param(R"("direction": "out", "kind": "buffer", "size": "8", "shadow": "persistent")"),
               "f.p: shadow \"persistent\" describes a returned pointer");
}

TEST_CASE("the format string is required") {
  expect_error(R"({"functions": []})", "missing \"format\": \"remora-spec/1\"");
  expect_error(R"({"format": "remora-spec/2"})",
               "format is \"remora-spec/2\"; this version reads \"remora-spec/1\"");
  expect_error(R"([1, 2])", "must be a JSON object, found an array");
}

TEST_CASE("suspicious but usable annotations are warnings") {
  SpecLoad load = spec_from_json_text(doc_with_param(R"("direction": "out", "kind": "buffer")"));
  REQUIRE(load.ok());
  REQUIRE(load.warnings.size() == 1);
  CHECK(format_issue(load.warnings[0]) ==
        "f.p: buffer has no size expression; generated code cannot copy it");
}

TEST_CASE("validate_spec checks in-memory specs the same way") {
  Spec spec = testing::rich_spec();
  CHECK(validate_spec(spec).empty());
  spec.functions[0].params[3].ann.size = "param_size";
  spec.functions[0].params[3].ann.kind = static_cast<Kind>(99);
  spec.functions[1].confidence = std::nan("");
  auto errors = validate_spec(spec);
  std::string text;
  for (const auto& e : errors) text += format_issue(e) + "\n";
  INFO(text);
  CHECK(text.find("clGetDeviceInfo.param_value: size \"param_size\" refers to missing parameter "
                  "'param_size'") != std::string::npos);
  CHECK(text.find("clGetDeviceInfo.param_value: kind has a value outside its enumeration") !=
        std::string::npos);
  CHECK(text.find("clCreateContext: confidence nan is outside [0, 1]") != std::string::npos);
}

TEST_CASE("hostile documents give issues, never exceptions") {
  const char* documents[] = {
      "null",
      "42",
      "\"text\"",
      "{\"format\": null}",
      "{\"format\": \"remora-spec/1\", \"functions\": [null, 1, \"x\", []]}",
      "{\"format\": \"remora-spec/1\", \"functions\": [{\"params\": [null, {\"name\": 5}]}]}",
      "{\"format\": \"remora-spec/1\", \"types\": [{\"constants\": [{\"value\": 1e400}]}]}",
      "{\"format\": \"remora-spec/1\", \"types\": [{\"name\": \"t\", \"constants\": [{\"name\": "
      "\"c\", \"value\": 18446744073709551615}]}]}",
      "{\"format\": \"remora-spec/1\", \"functions\": [{\"name\": \"f\", \"params\": [{\"name\": "
      "\"p\", \"element\": {\"element\": {\"element\": 3}}}]}]}",
      "\xff\xfe{}",
      "{\"a\": \"\\ud800\"}"};
  for (const char* doc : documents) {
    INFO(doc);
    SpecLoad load;
    REQUIRE_NOTHROW(load = spec_from_json_text(doc));
    CHECK_FALSE(load.ok());
  }
}
