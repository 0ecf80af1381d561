// The real OpenCL header: every function, and the annotations the OpenCL stack needs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "remora/inference/header_parser.h"
#include "remora/spec/json_io.h"
#include "test_support.h"

using namespace remora::spec;

namespace {

bool have_opencl() { return std::filesystem::exists(remora::test::kOpenclHeader); }

// Names declared with "extern CL_API_ENTRY ... CL_API_CALL\n name(" in cl.h.
std::set<std::string> declared_entry_points() {
  std::ifstream in(remora::test::kOpenclHeader);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  std::set<std::string> names;
  std::regex decl(R"(extern\s+CL_API_ENTRY[^;]*?CL_API_CALL\s+(cl\w+)\s*\()");
  for (std::sregex_iterator it(s.begin(), s.end(), decl), end; it != end; ++it) names.insert((*it)[1]);
  return names;
}

const Param& param(const char* function, const char* name) {
  const Function* f = remora::test::opencl_result().spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("every CL_API_ENTRY function of cl.h is found", "[opencl]") {
  if (!have_opencl()) {
    WARN("skipped: /usr/include/CL/cl.h not installed (opencl-headers)");
    return;
  }
  std::set<std::string> declared = declared_entry_points();
  REQUIRE(declared.size() > 100);
  // With the 1.0 deprecated APIs enabled every declaration in the file is active.
  remora::inference::HeaderParse all = remora::inference::parse_header(
      {remora::test::kOpenclHeader, {}, {"CL_TARGET_OPENCL_VERSION=300", "CL_USE_DEPRECATED_OPENCL_1_0_APIS"}, "", {}, {}});
  REQUIRE(all.ok);
  std::set<std::string> found;
  for (const auto& f : all.header.functions) found.insert(f.name);
  CHECK(found == declared);
  CHECK(remora::test::opencl_result().spec.functions.size() == declared.size() - 1);
}

TEST_CASE("cl.h annotations the OpenCL stack depends on", "[opencl]") {
  if (!have_opencl()) {
    WARN("skipped: /usr/include/CL/cl.h not installed (opencl-headers)");
    return;
  }
  const auto& result = remora::test::opencl_result();
  REQUIRE(result.ok);
  CHECK(result.spec.api.headers == std::vector<std::string>{"CL/cl.h"});
  CHECK(result.spec.api.library == "libOpenCL.so.1");

  const Param& value = param("clGetDeviceInfo", "param_value");
  CHECK(value.ann.direction == Direction::Out);
  CHECK(value.ann.kind == Kind::Buffer);
  CHECK(value.ann.size == "param_value_size");
  CHECK(value.ann.size_unit == SizeUnit::Bytes);

  const Function* create = result.spec.find_function("clCreateBuffer");
  REQUIRE(create);
  CHECK(create->ret.ann.kind == Kind::Handle);
  CHECK(create->ret.ann.handle_type == "cl_mem");
  CHECK(create->ret.ann.allocates);
  const Param& err = param("clCreateBuffer", "errcode_ret");
  CHECK(err.ann.direction == Direction::Out);
  CHECK(err.ann.kind == Kind::Element);
  CHECK(err.ann.nullable);

  CHECK(param("clReleaseMemObject", "memobj").ann.deallocates);

  const Param& platforms = param("clGetPlatformIDs", "platforms");
  CHECK(platforms.ann.direction == Direction::Out);
  CHECK(platforms.ann.kind == Kind::Buffer);
  CHECK(platforms.ann.size == "num_entries");
  REQUIRE(platforms.ann.element);
  CHECK(platforms.ann.element->kind == Kind::Handle);

  const Function* read = result.spec.find_function("clEnqueueReadBuffer");
  REQUIRE(read);
  CHECK(read->sync.mode == Sync::Mode::AsyncIf);
  CHECK(read->sync.condition == "blocking_read == CL_FALSE");

  CHECK(param("clBuildProgram", "pfn_notify").ann.kind == Kind::Callback);
  CHECK(param("clBuildProgram", "user_data").ann.kind == Kind::Userdata);
  CHECK(param("clBuildProgram", "pfn_notify").ann.pointee == "void (cl_program, void *)");

  const Type* status = result.spec.find_type("cl_int");
  REQUIRE(status);
  CHECK(status->kind == TypeKind::Status);
  CHECK(status->success == "CL_SUCCESS");
  CHECK_FALSE(status->error.empty());
  const Type* mem = result.spec.find_type("cl_mem");
  REQUIRE(mem);
  CHECK(mem->kind == TypeKind::Handle);

  CHECK(param("clCreateContext", "properties").ann.size == "terminated(properties)");
  CHECK(result.spec.find_function("clFinish")->barrier);

  // A buffer of buffers: binaries[i] has lengths[i] bytes (lengths is counted like binaries).
  const Param& binaries = param("clCreateProgramWithBinary", "binaries");
  CHECK(binaries.ann.kind == Kind::Buffer);
  CHECK(binaries.ann.size == "num_devices");
  REQUIRE(binaries.ann.element);
  CHECK(binaries.ann.element->kind == Kind::Buffer);
  CHECK(binaries.ann.element->direction == Direction::In);
  CHECK(binaries.ann.element->size == "lengths[i]");
  CHECK(binaries.ann.element->size_unit == SizeUnit::Bytes);
  // The header alone does not size an array of strings by its lengths (its strings may be
  // NUL-terminated); the docs do (inference/docs/src/extract_optional_lengths.cpp).
  const Param& strings = param("clCreateProgramWithSource", "strings");
  REQUIRE(strings.ann.element);
  CHECK(strings.ann.element->size.empty());
}

TEST_CASE("the inferred cl.h spec validates and survives a JSON round trip", "[opencl][json]") {
  if (!have_opencl()) {
    WARN("skipped: /usr/include/CL/cl.h not installed (opencl-headers)");
    return;
  }
  const Spec& spec = remora::test::opencl_result().spec;
  auto issues = remora::spec::validate_spec(spec);
  for (const auto& issue : issues) UNSCOPED_INFO(remora::spec::format_issue(issue));
  CHECK(issues.empty());
  auto loaded = remora::spec::spec_from_json_text(remora::spec::spec_to_json_text(spec));
  REQUIRE(loaded.ok());
  CHECK(loaded.spec == spec);
}
