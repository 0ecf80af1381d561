// The generator works from names and header prototypes alone, and leaves out
// what it cannot wrap instead of failing.
#include "remora/trace/interposer.h"
#include "trace_test_util.h"

using namespace trace_test;

TEST_CASE("functions the header does not declare, and variadic ones, are skipped with a reason") {
  remora::spec::Spec spec;
  spec.api = header_only_spec().api;
  for (const char* name : {"clGetPlatformIDs", "clGetPlatformInfo"})
    spec.functions.push_back(*header_only_spec().find_function(name));
  remora::spec::Function ghost;
  ghost.name = "clNoSuchFunctionInTheHeader";
  ghost.ret.type = "cl_int";
  spec.functions.push_back(ghost);
  remora::spec::Function vararg = ghost;
  vararg.name = "clVariadicThing";
  vararg.variadic = true;
  spec.functions.push_back(vararg);

  remora::trace::BuildOptions options;
  options.cache_dir = cache_dir();
  remora::spec::Diagnostics diagnostics;
  auto built = remora::trace::build_interposer(spec, options, diagnostics);
  std::string messages;
  for (const auto& d : diagnostics) messages += remora::spec::format_diagnostic(d) + "\n";
  INFO(messages);
  REQUIRE(built.ok);
  CHECK(built.functions == std::vector<std::string>{"clGetPlatformIDs", "clGetPlatformInfo"});
  REQUIRE(built.skipped.size() == 2);
  CHECK(built.skipped[0].rfind("clNoSuchFunctionInTheHeader:", 0) == 0);
  CHECK(built.skipped[1].rfind("clVariadicThing: variadic", 0) == 0);

  // The small interposer traces only what it wraps.
  std::string db = fresh_db("two-functions");
  auto r = trace({TRACE_FORK}, db, spec);
  CHECK(r.exit_code == 0);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM functions") == 2);
  CHECK(t.integer("SELECT COUNT(*) FROM calls") == 6);
}

TEST_CASE("a spec whose header cannot be found fails with a message saying what to pass") {
  remora::spec::Spec spec;
  spec.api.name = "Missing";
  spec.api.headers = {"remora/no-such-header.h"};
  remora::spec::Function f;
  f.name = "missingFunction";
  spec.functions.push_back(f);
  remora::trace::BuildOptions options;
  options.cache_dir = cache_dir();
  remora::spec::Diagnostics diagnostics;
  auto built = remora::trace::build_interposer(spec, options, diagnostics);
  CHECK_FALSE(built.ok);
  REQUIRE(!diagnostics.empty());
  CHECK(diagnostics.back().message.find("--header") != std::string::npos);
}

TEST_CASE("generated source names every wrapped function once and takes signatures from the header") {
  auto src = remora::trace::generate_interposer_source(header_only_spec());
  CHECK(src.text.find("decltype(::clGetDeviceInfo)") != std::string::npos);
  CHECK(src.text.find("#include <CL/cl.h>") != std::string::npos);
  CHECK(src.functions.size() + src.skipped.size() == header_only_spec().functions.size());
}

#ifdef TRACE_CUDA_RUNTIME
TEST_CASE("a spec for another API (CUDA runtime) traces with the same generator") {
  // Only names, prototypes as written and where the header is: what header
  // inference produces for any C API.
  auto load = remora::spec::spec_from_json_text(R"({
    "format": "remora-spec/1",
    "api": { "name": "cudart", "headers": ["cuda_runtime_api.h"], "include_dirs": ["/usr/local/cuda/include"] },
    "functions": [
      { "name": "cudaGetDeviceCount", "return": { "type": "cudaError_t" },
        "params": [ { "name": "count", "type": "int *" } ] },
      { "name": "cudaRuntimeGetVersion", "return": { "type": "cudaError_t" },
        "params": [ { "name": "runtimeVersion", "type": "int *" } ] },
      { "name": "cudaGetErrorString", "return": { "type": "const char *" },
        "params": [ { "name": "error", "type": "cudaError_t" } ] } ] })");
  std::string errors;
  for (const auto& e : load.errors) errors += remora::spec::format_issue(e) + "\n";
  INFO(errors);
  REQUIRE(load.ok());
  std::string db = fresh_db("cuda-runtime");
  auto r = trace({TRACE_CUDA_RUNTIME}, db, load.spec);
  CHECK(r.exit_code == 0);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 1") == 3);
  // The version out-parameter was written with the version the program printed.
  CHECK(t.integer("SELECT a.deref_after FROM args a JOIN " + calls_of("cudaRuntimeGetVersion") +
                  " ON a.call_id = c.id WHERE a.idx = 0") > 0);
}
#endif
