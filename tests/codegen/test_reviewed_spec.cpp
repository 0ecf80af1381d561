// specs/opencl.reviewed.json, the human-reviewed OpenCL spec the end-to-end test
// generates from: it loads without errors, covers every function the installed
// cl.h declares, and says why each function it leaves out is unsupported.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <set>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

const char* kHeader = "/usr/include/CL/cl.h";

// Function names cl.h declares for OpenCL 3.0, read from the preprocessed header
// (the compiler resolves the version guards), independent of remora's own parser.
std::set<std::string> declared_functions() {
  std::string cmd = std::string("cc -E -P -DCL_TARGET_OPENCL_VERSION=300 -x c ") + kHeader + " 2>/dev/null";
  std::string text;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    pclose(p);
  }
  std::set<std::string> names;
  // A declaration: "<return type> clName(" (function-pointer typedefs are "(*name)(", skipped).
  std::regex decl(R"((?:^|[\s*])(cl[A-Z][A-Za-z0-9_]*)\s*\()");
  for (std::sregex_iterator it(text.begin(), text.end(), decl), end; it != end; ++it) names.insert((*it)[1]);
  return names;
}

std::string reviewed_path() { return std::string(REMORA_SOURCE_DIR) + "/specs/opencl.reviewed.json"; }

}  // namespace

TEST_CASE("the reviewed OpenCL spec loads without errors", "[specs][opencl]") {
  auto load = spec::load_spec_file(reviewed_path());
  for (const auto& e : load.errors) UNSCOPED_INFO(spec::format_issue(e));
  REQUIRE(load.ok());
  CHECK(load.spec.api.name == "OpenCL");
  CHECK(load.spec.functions.size() > 100);
}

TEST_CASE("the reviewed OpenCL spec covers every function of the installed cl.h", "[specs][opencl]") {
  if (!fs::exists(kHeader)) {
    WARN("skipped: " << kHeader << " is not installed");
    return;
  }
  auto names = declared_functions();
  REQUIRE(names.size() > 100);  // the preprocessor ran and the pattern matched
  auto load = spec::load_spec_file(reviewed_path());
  REQUIRE(load.ok());
  int supported = 0, unsupported = 0;
  for (const auto& name : names) {
    const spec::Function* f = load.spec.find_function(name);
    INFO(name << " is declared by cl.h but missing from specs/opencl.reviewed.json");
    REQUIRE(f);
    if (f->supported) {
      ++supported;
    } else {
      ++unsupported;
      INFO(name << " is unsupported without a reason");
      CHECK_FALSE(f->unsupported_reason.empty());
    }
  }
  WARN("cl.h declares " << names.size() << " functions: " << supported << " supported, " << unsupported
                        << " unsupported (each with a reason)");
}

TEST_CASE("the generator remotes every function the reviewed spec calls supported", "[specs][opencl]") {
  auto load = spec::load_spec_file(reviewed_path());
  REQUIRE(load.ok());
  std::string dir = (fs::temp_directory_path() / ("remora-reviewed-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(load.spec, opt, report, error));
  std::set<std::string> stubbed;
  for (const auto& u : report.unsupported) stubbed.insert(u.substr(0, u.find(':')));
  for (const auto& f : load.spec.functions) {
    INFO(f.name << ": supported in the spec but stubbed by the generator");
    if (f.supported) CHECK(stubbed.count(f.name) == 0);
  }
  fs::remove_all(dir);
}
