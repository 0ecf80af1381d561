// remora-spec/1 JSON: round trips, the documented field names, sparse
// defaults, files written atomically, syntax errors with line and column.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "remora/spec/json_fragments.h"
#include "remora/spec/json_io.h"
#include "rich_spec.h"

using namespace remora::spec;
namespace fs = std::filesystem;

namespace {

std::string issues_text(const SpecLoad& load) {
  std::string out;
  for (const auto& e : load.errors) out += "error: " + format_issue(e) + "\n";
  for (const auto& w : load.warnings) out += "warning: " + format_issue(w) + "\n";
  return out;
}

fs::path temp_dir() {
  auto dir = fs::temp_directory_path() / ("remora-spec-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// The example document of ARCHITECTURE.md, verbatim in structure.
const char* kArchitectureExample = R"({ "format": "remora-spec/1",
  "api": { "name": "OpenCL", "headers": ["CL/cl.h"], "include_dirs": [], "defines": ["CL_TARGET_OPENCL_VERSION=300"],
           "library": "libOpenCL.so.1", "sonames": ["libOpenCL.so.1", "libOpenCL.so"] },
  "types": [ { "name": "cl_mem", "kind": "handle" }, { "name": "cl_int", "success": "CL_SUCCESS" } ],
  "functions": [
    { "name": "clGetDeviceInfo", "return": { "type": "cl_int", "kind": "value" },
      "sync": "sync",
      "supported": true, "status": "inferred",
      "params": [
        { "name": "param_value_size", "type": "size_t", "direction": "in", "kind": "value" },
        { "name": "param_value", "type": "void *", "direction": "out", "kind": "buffer",
          "size": "param_value_size", "size_unit": "bytes", "nullable": true,
          "confidence": 0.97, "status": "inferred",
          "evidence": [ { "source": "header", "says": { "direction": "out" }, "weight": 0.6,
                          "why": "non-const void* followed by size_t param_value_size" },
                        { "source": "docs", "says": { "direction": "out", "size": "param_value_size" }, "weight": 0.8,
                          "why": "\"is a pointer to memory location where appropriate values ... will be returned\"" },
                        { "source": "trace", "says": { "direction": "out" }, "weight": 0.9,
                          "why": "written in 412/412 calls; never read" } ] } ] } ] })";

}  // namespace

TEST_CASE("a rich spec survives save and load unchanged") {
  Spec spec = testing::rich_spec();
  REQUIRE(validate_spec(spec).empty());
  std::string text = spec_to_json_text(spec);
  SpecLoad load = spec_from_json_text(text);
  INFO(issues_text(load));
  REQUIRE(load.ok());
  CHECK(load.warnings.empty());
  CHECK(load.spec == spec);
  CHECK(spec_to_json_text(load.spec) == text);  // stable output
}

TEST_CASE("the ARCHITECTURE.md example loads") {
  SpecLoad load = spec_from_json_text(kArchitectureExample);
  INFO(issues_text(load));
  REQUIRE(load.ok());
  const Function* f = load.spec.find_function("clGetDeviceInfo");
  REQUIRE(f);
  const Param* p = f->find_param("param_value");
  REQUIRE(p);
  CHECK(p->ann.direction == Direction::Out);
  CHECK(p->ann.kind == Kind::Buffer);
  CHECK(p->ann.size == "param_value_size");
  CHECK(p->ann.size_unit == SizeUnit::Bytes);
  CHECK(p->ann.nullable);
  CHECK(p->confidence == Approx(0.97));
  REQUIRE(p->evidence.size() == 3);
  CHECK(p->evidence[1].source == EvidenceSource::Docs);
  CHECK(p->evidence[1].says.size == std::optional<std::string>("param_value_size"));
  CHECK(p->evidence[2].weight == Approx(0.9));
  CHECK(load.spec.find_type("cl_mem")->kind == TypeKind::Handle);
  CHECK(load.spec.find_type("cl_int")->success == "CL_SUCCESS");
  CHECK(load.spec.api.sonames.size() == 2);
}

TEST_CASE("the writer uses the contract's field names and is sparse") {
  Json j = spec_to_json(testing::rich_spec());
  CHECK(j["format"] == "remora-spec/1");
  CHECK(j.begin().key() == "format");  // first, so `head` shows what the file is
  const Json& info = j["functions"][0];
  CHECK(info["name"] == "clGetDeviceInfo");
  CHECK(info["return"]["type"] == "cl_int");
  CHECK(info["return"]["kind"] == "value");
  CHECK_FALSE(info["return"].contains("direction"));
  CHECK(info["sync"] == "sync");
  CHECK(info["supported"] == true);
  CHECK(info["status"] == "confirmed");
  const Json& device = info["params"][0];
  CHECK(device["direction"] == "in");  // always stated for parameters
  CHECK(device["kind"] == "handle");
  CHECK_FALSE(device.contains("nullable"));
  CHECK_FALSE(device.contains("allocates"));
  CHECK_FALSE(device.contains("size"));
  CHECK_FALSE(device.contains("when"));
  CHECK_FALSE(device.contains("evidence"));
  const Json& value = info["params"][3];
  CHECK(value["size"] == "param_value_size");
  CHECK(value["size_unit"] == "bytes");
  CHECK(value["nullable"] == true);
  CHECK(value["evidence"][1]["says"]["nullable"] == false);  // claims keep false values
  CHECK(value["evidence"][0]["source"] == "header");
  const Json& read = j["functions"][2];
  CHECK(read["sync"]["async_if"] == "blocking_read == CL_FALSE");
  CHECK(read["params"][3]["when"][0]["if"] == "blocking_read == CL_TRUE");
  CHECK(read["params"][3]["when"][0]["direction"] == "inout");
  CHECK(read["params"][3]["when"][0]["element"]["kind"] == "value");
  const Json& create = j["functions"][1];
  CHECK(create["return"]["allocates"] == true);
  CHECK(create["params"][2]["element"]["kind"] == "handle");
  CHECK(create["params"][2]["element"]["element"]["direction"] == "inout");
  CHECK(j["functions"][4]["sync"] == "async");
  CHECK(j["functions"][4]["barrier"] == true);
  CHECK(j["types"][1]["constants"][2]["value"] == (1LL << 40));
}

TEST_CASE("claims accept element_kind as a spelling of element.kind") {
  SpecIssues issues;
  auto p = patch_from_json(Json::parse(R"({"element_kind": "string", "sync": {"async_if": "x"}})"),
                           "f.p", issues);
  CHECK(issues.errors.empty());
  CHECK(p.element_kind == Kind::String);
  REQUIRE(p.sync);
  CHECK(p.sync->mode == Sync::Mode::AsyncIf);
}

TEST_CASE("syntax errors report line and column") {
  SpecLoad load = spec_from_json_text("{\n  \"format\": \"remora-spec/1\",\n  \"api\": {,}\n}");
  REQUIRE_FALSE(load.ok());
  INFO(issues_text(load));
  CHECK(load.errors[0].message.find("line 3, column 11") != std::string::npos);
  load = spec_from_json_text("");
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("line 1") != std::string::npos);
  load = spec_from_json_text("{\"format\": \"remora-spec/1\"");
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("line 1, column 27") != std::string::npos);
}

TEST_CASE("wrong types are errors that say what was expected") {
  SpecLoad load = spec_from_json_text(R"({"format": "remora-spec/1", "api": [],
    "functions": [{"name": "f", "supported": "yes", "params": {"x": 1}},
                  {"name": "g", "params": [{"name": "p", "type": "int", "direction": "in", "kind": "value",
                                            "nullable": 1, "confidence": "high"}]}]})");
  INFO(issues_text(load));
  REQUIRE_FALSE(load.ok());
  std::string all = issues_text(load);
  CHECK(all.find("api: api must be a JSON object, found an array") != std::string::npos);
  CHECK(all.find("f: supported must be true or false, found a string") != std::string::npos);
  CHECK(all.find("f: params must be an array, found an object") != std::string::npos);
  CHECK(all.find("g.p: nullable must be true or false, found a number") != std::string::npos);
  CHECK(all.find("g.p: confidence must be a number, found a string") != std::string::npos);
}

TEST_CASE("unknown fields are warnings (typo guard)") {
  SpecLoad load = spec_from_json_text(R"({"format": "remora-spec/1",
    "functions": [{"name": "f", "params": [{"name": "p", "type": "int *", "diretion": "out", "direction": "in", "kind": "element"}]}]})");
  INFO(issues_text(load));
  REQUIRE(load.ok());
  REQUIRE(load.warnings.size() == 1);
  CHECK(format_issue(load.warnings[0]) == "f.p: unknown field \"diretion\" in parameter (ignored)");
}

TEST_CASE("files are saved atomically and load with the file name in issues") {
  auto dir = temp_dir();
  auto path = (dir / "api.json").string();
  Spec spec = testing::rich_spec();
  save_spec_file(spec, path);
  SpecLoad load = load_spec_file(path);
  INFO(issues_text(load));
  REQUIRE(load.ok());
  CHECK(load.spec == spec);
  // Overwrite: the new content replaces the old one, and no temporary is left.
  spec.functions.pop_back();
  save_spec_file(spec, path);
  CHECK(load_spec_file(path).spec == spec);
  int entries = 0;  // only api.json so far
  for (auto& e : fs::directory_iterator(dir)) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 1);
  CHECK((fs::status(path).permissions() & fs::perms::others_read) != fs::perms::none);

  std::ofstream(dir / "broken.json") << "{\"format\": 1}";
  load = load_spec_file((dir / "broken.json").string());
  REQUIRE_FALSE(load.ok());
  CHECK(format_issue(load.errors[0]).find((dir / "broken.json").string()) == 0);

  std::ofstream(dir / "empty.json") << "  \n";
  load = load_spec_file((dir / "empty.json").string());
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("is empty") != std::string::npos);
  load = load_spec_file(dir.string());
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("is a directory") != std::string::npos);

  load = load_spec_file((dir / "missing.json").string());
  REQUIRE_FALSE(load.ok());
  CHECK(load.errors[0].message.find("cannot open spec file") != std::string::npos);

  CHECK_THROWS_WITH(save_spec_file(spec, (dir / "no-such-dir" / "x.json").string()),
                    Catch::Contains("cannot save spec to"));
  fs::remove_all(dir);
}

TEST_CASE("cacheable: true, false or a predicate, on functions and in claims") {
  Spec spec = testing::rich_spec();
  spec.functions[0].cacheable = "param_name != CL_DEVICE_REFERENCE_COUNT";
  spec.functions[1].cacheable = "true";
  AnnotationPatch says;
  says.cacheable = "false";
  spec.functions[0].evidence.push_back(Evidence{EvidenceSource::Trace, says, 0.8, "answers differed", ""});
  Json j = spec_to_json(spec);
  CHECK(j["functions"][0]["cacheable"] == "param_name != CL_DEVICE_REFERENCE_COUNT");
  CHECK(j["functions"][1]["cacheable"] == true);
  CHECK_FALSE(j["functions"][2].contains("cacheable"));  // absent: not cacheable
  CHECK(j["functions"][0]["evidence"].back()["says"]["cacheable"] == false);
  SpecLoad load = spec_from_json_text(spec_to_json_text(spec));
  REQUIRE(load.ok());
  CHECK(load.spec.functions[0].cacheable == spec.functions[0].cacheable);
  CHECK(load.spec.functions[1].cacheable == "true");
  CHECK(load.spec.functions[0].evidence.back().says.cacheable == std::optional<std::string>("false"));
  SpecIssues issues;
  patch_from_json(Json::parse(R"({"cacheable": 3})"), "f", issues);
  CHECK_FALSE(issues.errors.empty());
}

TEST_CASE("a function's library (a spec over several libraries) round-trips and is checked") {
  Spec spec = testing::rich_spec();
  REQUIRE(spec.functions.size() >= 2);
  spec.functions[1].library = "libOpenCLExtras.so.2";
  Json j = spec_to_json(spec);
  CHECK(j["functions"][1]["library"] == "libOpenCLExtras.so.2");
  CHECK_FALSE(j["functions"][0].contains("library"));  // api.library's: absent
  SpecLoad load = spec_from_json_text(spec_to_json_text(spec));
  REQUIRE(load.ok());
  CHECK(load.spec == spec);
  CHECK(load.spec.library_of(load.spec.functions[0]) == spec.api.library);
  CHECK(load.spec.library_of(load.spec.functions[1]) == "libOpenCLExtras.so.2");
  CHECK(load.spec.libraries().back() == "libOpenCLExtras.so.2");
  // It becomes a file name in the generated project: nothing else is accepted.
  spec.functions[1].library = "../evil;rm";
  CHECK_FALSE(validate_spec(spec).empty());
}
