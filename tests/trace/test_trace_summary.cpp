#include "remora/trace/trace_summary.h"
#include "trace_test_util.h"

using namespace trace_test;

TEST_CASE("trace-summary lists call counts and what each parameter saw") {
  std::string db = fresh_db("summary");
  REQUIRE(trace({TRACE_FORK}, db).ok);
  std::string out, error;
  REQUIRE(remora::trace::summarize_trace(db, out, error));
  INFO(out);
  CHECK(out.find("clGetPlatformInfo") != std::string::npos);
  CHECK(out.find("6 calls in 2 process(es)") != std::string::npos);
  // The same name rewritten into the same buffer changes no byte: only the first
  // call of each process shows a write.
  CHECK(out.find("param_value (void *): pointer, NULL in 0/5; written in 2/5 readable") != std::string::npos);
  CHECK(out.find("values from clGetPlatformIDs.platforms (5)") != std::string::npos);
  CHECK(out.find("param_name (cl_platform_info): scalar, 1 distinct value(s) = 2306") != std::string::npos);
}

TEST_CASE("trace-summary rejects a file that is not a trace") {
  std::string path = fresh_db("not-a-trace");
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("hello", f);
    std::fclose(f);
  }
  std::string out, error;
  CHECK_FALSE(remora::trace::summarize_trace(path, out, error));
  CHECK(!error.empty());
}
