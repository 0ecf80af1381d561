// spec_score: what is labelled, predicted and correct, per field.
#include <catch2/catch.hpp>

#include "remora/spec/spec_score.h"
#include "rich_spec.h"

using namespace remora::spec;

namespace {

const FieldScore& field(const ScoreReport& r, const std::string& name) {
  for (const auto& f : r.fields)
    if (f.field == name) return f;
  FAIL("no field " << name);
  return r.overall;
}

Truth truth_of(const char* json) {
  SpecIssues issues;
  Truth t = truth_from_json(Json::parse(json), issues);
  INFO((issues.errors.empty() ? "" : format_issue(issues.errors[0])));
  REQUIRE(issues.errors.empty());
  return t;
}

}  // namespace

TEST_CASE("a spec scored against itself is perfect") {
  Spec s = testing::rich_spec();
  ScoreReport r = score_spec(s, truth_from_spec(s));
  CHECK(r.disagreements.empty());
  CHECK(r.missing_functions.empty());
  CHECK(r.functions_scored == 6);
  CHECK(r.overall.labelled > 0);
  CHECK(r.overall.correct == r.overall.labelled);
  CHECK(*r.overall.precision() == 1.0);
  CHECK(*r.overall.recall() == 1.0);
}

TEST_CASE("partial truth: only stated fields of listed functions are scored") {
  Spec inferred = testing::rich_spec();
  ScoreReport r = score_spec(inferred, truth_of(R"({"functions": [
      {"name": "clGetDeviceInfo", "params": [
         {"name": "param_value", "type": "void *", "direction": "out", "size": "1 * param_value_size"},
         {"name": "param_value_size_ret", "type": "size_t *", "direction": "in", "nullable": true}]}]})"));
  CHECK(r.functions_scored == 1);
  CHECK(r.params_scored == 2);
  CHECK(field(r, "direction").labelled == 2);
  CHECK(field(r, "direction").predicted == 2);
  CHECK(field(r, "direction").correct == 1);
  CHECK(*field(r, "direction").precision() == Approx(0.5));
  CHECK(field(r, "size").correct == 1);  // compared by meaning
  CHECK(field(r, "kind").labelled == 0);
  CHECK_FALSE(field(r, "kind").recall());
  CHECK(field(r, "sync").labelled == 0);
  CHECK(field(r, "nullable").correct == 1);
  REQUIRE(r.disagreements.size() == 1);
  const Disagreement& d = r.disagreements[0];
  CHECK(d.function == "clGetDeviceInfo");
  CHECK(d.param == "param_value_size_ret");
  CHECK(d.field == "direction");
  CHECK(d.inferred == "out");
  CHECK(d.truth == "in");
  CHECK(format_score_report(r).find(
            "clGetDeviceInfo.param_value_size_ret direction: inferred out, truth in") !=
        std::string::npos);
}

TEST_CASE("kind+direction counts a parameter right only when both fields are right") {
  // rich_spec: param_value is an out buffer, param_value_size_ret an out element.
  Spec inferred = testing::rich_spec();
  ScoreReport r = score_spec(inferred, truth_of(R"({"functions": [
      {"name": "clGetDeviceInfo", "params": [
         {"name": "param_value", "type": "void *", "direction": "out", "kind": "buffer"},
         {"name": "param_value_size_ret", "type": "size_t *", "direction": "out", "kind": "buffer"},
         {"name": "device", "type": "cl_device_id", "direction": "in"}]},
      {"name": "clNotThere", "params": [
         {"name": "p", "type": "int *", "direction": "out", "kind": "element"}]}]})"));
  CHECK(r.kind_direction.labelled == 3);   // `device` is not pointer-like: not an item
  CHECK(r.kind_direction.predicted == 2);  // clNotThere is missing from the inferred spec
  CHECK(r.kind_direction.correct == 1);    // the element/buffer mix-up counts as wrong
  CHECK(*r.kind_direction.recall() == Approx(1.0 / 3));
  CHECK(field(r, "direction").correct == 2);  // direction alone was right for both
  // The combined item stays out of the micro average.
  long long sum = 0;
  for (const auto& f : r.fields) sum += f.labelled;
  CHECK(r.overall.labelled == sum);
  CHECK(score_report_to_json(r)["kind_direction"]["correct"] == 1);
  CHECK(format_score_report(r).find("kind+direction") != std::string::npos);
}

TEST_CASE("fields the inferred spec does not state lower recall, not precision") {
  Spec inferred = testing::rich_spec();
  inferred.functions[0].params[3].ann.size.clear();
  ScoreReport r = score_spec(inferred, truth_of(R"({"functions": [
      {"name": "clGetDeviceInfo", "params": [
         {"name": "param_value", "type": "void *", "size": "param_value_size", "element": {"kind": "value"}}]}]})"));
  CHECK(field(r, "size").labelled == 1);
  CHECK(field(r, "size").predicted == 0);
  CHECK_FALSE(field(r, "size").precision());
  CHECK(*field(r, "size").recall() == 0.0);
  CHECK(field(r, "element_kind").predicted == 0);
  REQUIRE(r.disagreements.size() == 2);
  CHECK(r.disagreements[0].inferred == "(none)");
  CHECK(r.disagreements[0].truth == "param_value_size");
}

TEST_CASE("scope: pointer-like params, lifecycle everywhere, sync per function") {
  Spec inferred = testing::rich_spec();
  ScoreReport r = score_spec(inferred, truth_of(R"({"functions": [
      {"name": "clReleaseMemObject", "sync": "async", "params": [
         {"name": "memobj", "type": "cl_mem", "kind": "handle", "deallocates": true}]},
      {"name": "clCreateContext", "return": {"type": "cl_context", "allocates": true}, "params": [
         {"name": "num_devices", "type": "cl_uint", "direction": "out", "kind": "value"},
         {"name": "devices", "type": "const cl_device_id *", "element": {"kind": "handle"}}]},
      {"name": "clEnqueueReadBuffer", "sync": {"async_if": "blocking_read==CL_FALSE"}},
      {"name": "clNotThere", "sync": "sync", "params": [{"name": "p", "type": "int *", "direction": "in"}]}]})"));
  CHECK(r.functions_scored == 4);
  CHECK(r.params_scored == 3);  // memobj (kind handle), devices, clNotThere.p; not num_devices
  CHECK(field(r, "direction").labelled == 1);  // num_devices is out of scope
  CHECK(field(r, "direction").predicted == 0);
  CHECK(field(r, "deallocates").correct == 1);
  CHECK(field(r, "allocates").correct == 1);
  CHECK(field(r, "element_kind").correct == 1);
  CHECK(field(r, "sync").labelled == 3);
  CHECK(field(r, "sync").predicted == 2);
  CHECK(field(r, "sync").correct == 1);  // async_if compared without whitespace
  CHECK(r.missing_functions == std::vector<std::string>{"clNotThere"});
  bool sync_disagreement = false;
  for (const auto& d : r.disagreements) {
    CHECK(d.function != "clNotThere");  // reported once, as missing
    if (d.function == "clReleaseMemObject" && d.field == "sync") {
      sync_disagreement = true;
      CHECK(d.inferred == "sync");
      CHECK(d.truth == "async");
    }
  }
  CHECK(sync_disagreement);
}

TEST_CASE("the JSON report has the documented keys") {
  Spec s = testing::rich_spec();
  Json j = score_report_to_json(
      score_spec(s, truth_of(R"({"functions": [{"name": "clFinish", "sync": "sync"}]})")));
  CHECK(j["functions_scored"] == 1);
  CHECK(j["fields"]["sync"]["labelled"] == 1);
  CHECK(j["fields"]["sync"]["precision"] == 0.0);
  CHECK(j["fields"]["direction"]["precision"].is_null());
  CHECK(j["overall"]["recall"] == 0.0);
  CHECK(j["disagreements"][0]["field"] == "sync");
  CHECK(j["definition"].get<std::string>().find("precision = correct / predicted") !=
        std::string::npos);
}

TEST_CASE("malformed truths are reported") {
  SpecIssues issues;
  truth_from_json(
      Json::parse(
          R"({"functions": [{"params": []}, {"name": "f", "params": [{"name": "p", "direction": "sideways"}]}]})"),
      issues);
  REQUIRE(issues.errors.size() == 2);
  CHECK(format_issue(issues.errors[0]) == "functions[0]: a truth function needs a \"name\"");
  CHECK(issues.errors[1].message.find("unknown direction \"sideways\"") != std::string::npos);
  issues = {};
  truth_from_json(Json::parse("[]"), issues);
  CHECK(issues.errors.size() == 1);
}
