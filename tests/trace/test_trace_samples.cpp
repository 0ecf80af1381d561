// Tracing the OpenCL samples under pocl: the program behaves as without the
// tracer, and the recorded facts agree with what the API is known to do.
#include <sys/wait.h>

#include <cstdio>

#include "trace_test_util.h"

using namespace trace_test;

namespace {

// Runs a program natively, returning its exit code and stdout.
std::pair<int, std::string> run_native(const std::string& program) {
  std::string out;
  FILE* p = popen((program + " 2>/dev/null").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

#ifdef OCL_01_INFO
TEST_CASE("tracing ocl-01-info records clGetDeviceInfo's written extent as *param_value_size_ret") {
  std::string db = fresh_db("ocl-01-info");
  auto r = trace({OCL_01_INFO}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == run_native(OCL_01_INFO).first);
  Db t(db);
  // In every call that passed both pointers, the bytes written into param_value end
  // exactly at *param_value_size_ret, give or take trailing bytes that were zero
  // already (the NUL of a string written into zeroed memory is invisible).
  auto rows = t.rows("SELECT v.written_end, v.zero_tail, s.deref_after FROM " + calls_of("clGetDeviceInfo") +
                     " JOIN args v ON v.call_id = c.id AND v.idx = 3 JOIN args s ON s.call_id = c.id AND s.idx = 4 "
                     "WHERE v.is_null = 0 AND s.is_null = 0 AND v.written_count > 0");
  for (const auto& row : rows) {
    long long end = std::stoll(row[0]), zeros = std::stoll(row[1]), ret = std::stoll(row[2]);
    INFO("written_end " << end << ", zero tail " << zeros << ", *param_value_size_ret " << ret);
    CHECK(end <= ret);
    CHECK(ret - end <= zeros);
  }
  // ... and never beyond param_value_size.
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetDeviceInfo") +
                  " JOIN args v ON v.call_id = c.id AND v.idx = 3 JOIN args n ON n.call_id = c.id AND n.idx = 2 "
                  "WHERE v.written_end > n.value") == 0);
  // Every device handle used came out of clGetDeviceIDs.
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetDeviceInfo") + " WHERE c.id NOT IN "
                  "(SELECT fl.to_call FROM flows fl JOIN " + calls_of("clGetDeviceIDs") +
                  " ON c.id = fl.from_call WHERE fl.to_arg = 0)") == 0);
}
#endif

#ifdef OCL_02_VECTOR_ADD
TEST_CASE("tracing ocl-02-vector-add keeps its output and records buffers, kernels and reads") {
  std::string db = fresh_db("ocl-02");
  auto native = run_native(OCL_02_VECTOR_ADD);
  auto r = trace({OCL_02_VECTOR_ADD}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == native.first);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 0") == 0);
  // Created memory objects flow into later calls and end in clReleaseMemObject.
  CHECK(t.integer("SELECT COUNT(*) FROM handles h JOIN " + calls_of("clCreateBuffer") +
                  " ON c.id = h.call_id WHERE h.role = 'out' AND h.arg_idx = -1") >= 2);
  CHECK(t.integer("SELECT COUNT(*) FROM flows fl JOIN " + calls_of("clReleaseMemObject") +
                  " ON c.id = fl.to_call") >= 2);
  // A blocking read writes exactly `size` bytes into ptr (or stops at unchanged zero bytes).
  auto reads = t.rows("SELECT p.written_end, p.zero_tail, s.value, b.value FROM " + calls_of("clEnqueueReadBuffer") +
                      " JOIN args p ON p.call_id = c.id AND p.idx = 5 JOIN args s ON s.call_id = c.id AND s.idx = 4 "
                      "JOIN args b ON b.call_id = c.id AND b.idx = 2 WHERE p.written_count > 0");
  REQUIRE(!reads.empty());
  for (const auto& row : reads) {
    CHECK(std::stoll(row[0]) <= std::stoll(row[2]));
    CHECK(std::stoll(row[2]) - std::stoll(row[0]) <= std::max(8LL, std::stoll(row[1])));
  }
}
#endif

#ifdef OCL_05_CALLBACKS
TEST_CASE("tracing ocl-05-callbacks records the callbacks pocl invoked, with their user data") {
  std::string db = fresh_db("ocl-05");
  auto native = run_native(OCL_05_CALLBACKS);
  auto r = trace({OCL_05_CALLBACKS}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == native.first);
  CHECK(r.callbacks >= 3);
  Db t(db);
  // Each invocation passed the user_data registered with it as one of its arguments.
  auto rows = t.rows("SELECT f.name, cb.args FROM callbacks cb JOIN functions f ON f.id = cb.function_id");
  for (const auto& row : rows) {
    INFO(row[0] << " callback args " << row[1]);
    auto user = t.column("SELECT DISTINCT a.value FROM args a JOIN " + calls_of(row[0]) +
                         " ON a.call_id = c.id WHERE a.class = 'pointer' AND a.is_null = 0");
    bool found = false;
    for (const auto& u : user)
      if (row[1].find(std::to_string(static_cast<unsigned long long>(std::stoll(u)))) != std::string::npos) found = true;
    CHECK(found);
  }
}
#endif
