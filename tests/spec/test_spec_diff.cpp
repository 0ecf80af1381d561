// spec_diff: which annotation changes are reported, and how they are counted.
#include <catch2/catch.hpp>

#include "remora/spec/spec_diff.h"
#include "rich_spec.h"

using namespace remora::spec;

namespace {

bool has_change(const SpecDiff& d, const std::string& fn, const std::string& param,
                const std::string& field, const std::string& before, const std::string& after) {
  for (const auto& c : d.changes)
    if (c.function == fn && c.param == param && c.field == field && c.before == before &&
        c.after == after)
      return true;
  return false;
}

}  // namespace

TEST_CASE("identical specs have no differences") {
  Spec s = testing::rich_spec();
  SpecDiff d = diff_specs(s, s);
  CHECK(d.empty());
  CHECK(format_spec_diff(d) == "0 functions and 0 parameters changed\n");
}

TEST_CASE("size expressions are compared by meaning") {
  Spec a = testing::rich_spec();
  Spec b = a;
  b.functions[1].params[2].ann.size = "(num_devices) * 1";
  a.functions[2].params[3].when[0].overrides.size = "2 * cb";
  CHECK(diff_specs(a, b).empty());
  b.functions[1].params[2].ann.size = "num_devices + 1";
  SpecDiff d = diff_specs(a, b);
  CHECK(has_change(d, "clCreateContext", "devices", "size", "num_devices", "num_devices + 1"));
}

TEST_CASE("every annotation field change is listed") {
  Spec a = testing::rich_spec();
  Spec b = a;
  Function& info = b.functions[0];
  info.params[3].ann.direction = Direction::InOut;
  info.params[3].ann.kind = Kind::Element;
  info.params[3].ann.size_unit = SizeUnit::Elements;
  info.params[3].ann.nullable = false;
  info.params[3].status = ReviewStatus::Confirmed;
  info.params[4].ann.element = Box<Annotation>(Annotation{});
  b.functions[1].ret.ann.allocates = false;
  b.functions[3].params[0].ann.deallocates = false;
  b.functions[2].sync = Sync{};
  b.functions[2].params[3].when.clear();
  b.functions[4].barrier = false;
  b.functions[5].supported = true;
  SpecDiff d = diff_specs(a, b);
  INFO(format_spec_diff(d));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value", "direction", "out", "inout"));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value", "kind", "buffer", "element"));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value", "size_unit", "bytes", "elements"));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value", "nullable", "true", "false"));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value", "status", "edited", "confirmed"));
  CHECK(has_change(d, "clGetDeviceInfo", "param_value_size_ret", "element", "(none)", "value"));
  CHECK(has_change(d, "clCreateContext", "return", "allocates", "true", "false"));
  CHECK(has_change(d, "clReleaseMemObject", "memobj", "deallocates", "true", "false"));
  CHECK(has_change(d, "clEnqueueReadBuffer", "", "sync", "async_if(blocking_read == CL_FALSE)",
                   "sync"));
  CHECK(has_change(d, "clFinish", "", "barrier", "true", "false"));
  CHECK(has_change(d, "clLogMessagesToStdout", "", "supported", "false", "true"));
  bool when_changed = false;
  for (const auto& c : d.changes) when_changed |= c.field == "when" && c.after == "(none)";
  CHECK(when_changed);
  CHECK(d.changed_functions() == 6);
  CHECK(d.changed_params() == 4);  // param_value, param_value_size_ret, memobj, ptr
  CHECK(format_spec_diff(d).find("6 functions and 4 parameters changed") != std::string::npos);
}

TEST_CASE("added and removed functions and parameters") {
  Spec a = testing::rich_spec();
  Spec b = a;
  b.functions.erase(b.functions.begin() + 4);  // clFinish removed
  Function extra;
  extra.name = "clFlush";
  b.functions.push_back(extra);
  b.functions[0].params.pop_back();
  Param added;
  added.name = "new_param";
  added.type = "int";
  b.functions[0].params.push_back(added);
  SpecDiff d = diff_specs(a, b);
  CHECK(d.removed_functions == std::vector<std::string>{"clFinish"});
  CHECK(d.added_functions == std::vector<std::string>{"clFlush"});
  CHECK(has_change(d, "clGetDeviceInfo", "param_value_size_ret", "param", "size_t *", "(none)"));
  CHECK(has_change(d, "clGetDeviceInfo", "new_param", "param", "(none)", "int"));
  std::string text = format_spec_diff(d);
  CHECK(text.find("- clFinish (function removed)") != std::string::npos);
  CHECK(text.find("+ clFlush (function added)") != std::string::npos);
  CHECK(text.find("+ clGetDeviceInfo.new_param (parameter added: int)") != std::string::npos);
  CHECK(text.find("3 functions and 2 parameters changed") != std::string::npos);
  Json j = spec_diff_to_json(d);
  CHECK(j["changed_functions"] == 3);
  CHECK(j["changed_params"] == 2);
  CHECK(j["added_functions"][0] == "clFlush");
  CHECK(j["changes"].size() == 2);
}

TEST_CASE("review status changes can be left out") {
  Spec a = testing::rich_spec();
  Spec b = a;
  for (auto& f : b.functions) {
    f.status = ReviewStatus::Confirmed;
    for (auto& p : f.params) p.status = ReviewStatus::Confirmed;
  }
  b.functions[0].params[3].ann.nullable = false;
  DiffOptions options;
  options.include_status = false;
  SpecDiff d = diff_specs(a, b, options);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].field == "nullable");
  CHECK(diff_specs(a, b).changed_params() > 10);
}

TEST_CASE("struct member edits are listed and counted like parameter edits") {
  Spec a = testing::rich_spec();
  Type info;
  info.name = "ToyCreateInfo";
  info.kind = TypeKind::Struct;
  info.fields = {StructField("count", "uint32_t"), StructField("names", "const char *const *"),
                 StructField("next", "const void *")};
  a.types.push_back(info);
  Spec b = a;
  Type& t = b.types.back();
  t.find_field("names")->ann.size = "count";
  t.find_field("names")->ann.size_unit = SizeUnit::Elements;
  t.find_field("names")->status = ReviewStatus::Edited;
  t.find_field("next")->ann.nullable = true;
  t.fields.push_back(StructField("flags", "uint32_t"));
  SpecDiff d = diff_specs(a, b);
  INFO(format_spec_diff(d));
  auto member_change = [&](const std::string& member, const std::string& field) {
    for (const auto& c : d.changes)
      if (c.type == "ToyCreateInfo" && c.function.empty() && c.param == member && c.field == field) return true;
    return false;
  };
  CHECK(member_change("names", "size"));
  CHECK(member_change("names", "status"));
  CHECK(member_change("next", "nullable"));
  CHECK(member_change("flags", "member"));
  CHECK(d.changed_members() == 3);
  CHECK(d.changed_structs() == 1);
  // Member edits are not parameter or function edits.
  CHECK(d.changed_functions() == 0);
  CHECK(d.changed_params() == 0);
  std::string text = format_spec_diff(d);
  CHECK(text.find("  ToyCreateInfo.names: size (none) -> count") != std::string::npos);
  CHECK(text.find("+ ToyCreateInfo.flags (member added: uint32_t)") != std::string::npos);
  CHECK(text.find("0 functions and 0 parameters changed; 3 struct members in 1 struct changed\n") !=
        std::string::npos);
  Json j = spec_diff_to_json(d);
  CHECK(j["changed_members"] == 3);
  CHECK(j["changed_structs"] == 1);
  CHECK(j["changes"][0]["type"] == "ToyCreateInfo");
  // Without status, the status-only member change goes; the rest stays.
  DiffOptions no_status;
  no_status.include_status = false;
  CHECK(diff_specs(a, b, no_status).changed_members() == 3);
}
