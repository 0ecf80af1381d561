// The tracer must never change what the program does, and must leave a valid
// trace whatever the program does: crash, threads, fork, exit from a callback,
// pointers it cannot read.
#include <signal.h>

#include "remora/trace/interposer.h"
#include "trace_test_util.h"

using namespace trace_test;

TEST_CASE("the interposer for the header-only OpenCL spec builds and is cached", "[build]") {
  remora::trace::BuildOptions options;
  options.cache_dir = cache_dir();
  remora::spec::Diagnostics diagnostics;
  auto first = remora::trace::build_interposer(header_only_spec(), options, diagnostics);
  std::string messages;
  for (const auto& d : diagnostics) messages += remora::spec::format_diagnostic(d) + "\n";
  INFO(messages);
  REQUIRE(first.ok);
  CHECK(first.functions.size() > 100);  // every non-variadic function of cl.h
  auto second = remora::trace::build_interposer(header_only_spec(), options, diagnostics);
  REQUIRE(second.ok);
  CHECK(second.from_cache);
  CHECK(second.library == first.library);
  CHECK(second.functions == first.functions);
}

TEST_CASE("a program that raises SIGSEGV between calls leaves every call before the crash") {
  std::string db = fresh_db("crash-outside");
  auto r = trace({TRACE_CRASH, "outside"}, db);
  REQUIRE(r.ok);
  CHECK(r.signal == SIGSEGV);
  CHECK(r.exit_code == 128 + SIGSEGV);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM calls") == 6);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 1") == 6);
  CHECK(t.integer("SELECT value FROM meta WHERE key = 'signal'") == SIGSEGV);
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetPlatformInfo")) == 5);
  CHECK(t.column("PRAGMA integrity_check") == std::vector<std::string>{"ok"});
}

TEST_CASE("a crash inside an API call records that call as never returned") {
  std::string db = fresh_db("crash-inside");
  auto r = trace({TRACE_CRASH, "inside"}, db);
  REQUIRE(r.ok);
  CHECK(r.signal == SIGSEGV);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM calls") == 7);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 1") == 6);
  // The faulting call keeps the arguments it was entered with, including the bad pointer.
  auto last = t.rows("SELECT f.name, c.complete, a.value FROM calls c JOIN functions f ON f.id = c.function_id "
                     "JOIN args a ON a.call_id = c.id AND a.idx = 3 ORDER BY c.id DESC LIMIT 1");
  REQUIRE(last.size() == 1);
  CHECK(last[0] == std::vector<std::string>{"clGetPlatformInfo", "0", "16"});
}

TEST_CASE("calls from several threads are all recorded with their thread") {
  std::string db = fresh_db("threads");
  auto r = trace({TRACE_THREADS}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == 0);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetPlatformInfo")) == 200);
  CHECK(t.integer("SELECT COUNT(DISTINCT tid) FROM " + calls_of("clGetPlatformInfo")) == 4);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 0") == 0);
  // Every call saw its own size_ret written (24-ish bytes of version text).
  CHECK(t.integer("SELECT COUNT(*) FROM args a JOIN " + calls_of("clGetPlatformInfo") +
                  " ON a.call_id = c.id WHERE a.idx = 4 AND a.deref_after > 0") == 200);
  // Per-process sequence numbers are unique.
  CHECK(t.integer("SELECT COUNT(DISTINCT seq) FROM calls") == t.integer("SELECT COUNT(*) FROM calls"));
}

TEST_CASE("a forked child records under its own pid without disturbing the parent's records") {
  std::string db = fresh_db("fork");
  auto r = trace({TRACE_FORK}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == 0);
  CHECK(r.processes == 2);
  Db t(db);
  auto pids = t.column("SELECT pid FROM processes ORDER BY start_ns");
  REQUIRE(pids.size() == 2);
  CHECK(t.integer("SELECT ppid FROM processes WHERE pid = " + pids[1]) == std::stoll(pids[0]));
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetPlatformInfo") + " WHERE c.pid = " + pids[0]) == 2);
  CHECK(t.integer("SELECT COUNT(*) FROM " + calls_of("clGetPlatformInfo") + " WHERE c.pid = " + pids[1]) == 3);
  CHECK(t.integer("SELECT COUNT(*) FROM calls WHERE complete = 0") == 0);
  // The child's calls use the handle its parent obtained before the fork.
  CHECK(t.integer("SELECT COUNT(*) FROM flows fl JOIN calls c ON c.id = fl.to_call WHERE c.pid = " + pids[1]) == 3);
}

TEST_CASE("a program that exits inside a callback keeps its exit code and the callback is recorded") {
  std::string db = fresh_db("exit-in-callback");
  auto r = trace({TRACE_EXIT_IN_CALLBACK}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == 3);
  CHECK(r.callbacks == 1);
  Db t(db);
  CHECK(t.integer("SELECT COUNT(*) FROM callbacks cb JOIN functions f ON f.id = cb.function_id "
                  "WHERE f.name = 'clSetEventCallback' AND cb.param_idx = 2") == 1);
  // The callback got the user_data the program registered.
  auto user_data = t.integer("SELECT a.value FROM args a JOIN " + calls_of("clSetEventCallback") +
                             " ON a.call_id = c.id WHERE a.idx = 3");
  auto cb_args = t.column("SELECT args FROM callbacks");
  REQUIRE(cb_args.size() == 1);
  CHECK(cb_args[0].find(std::to_string(static_cast<unsigned long long>(user_data))) != std::string::npos);
}

TEST_CASE("unreadable, huge and interior pointers are recorded without crashing") {
  std::string db = fresh_db("odd-pointers");
  auto r = trace({TRACE_ODD_POINTERS}, db);
  REQUIRE(r.ok);
  CHECK(r.exit_code == 0);
  Db t(db);
  // PROT_NONE host_ptr: mapped but unreadable, no snapshot.
  auto guard = t.rows("SELECT a.region, a.readable FROM args a JOIN " + calls_of("clCreateBuffer") +
                      " ON a.call_id = c.id WHERE a.idx = 3 ORDER BY c.id LIMIT 1");
  REQUIRE(guard.size() == 1);
  CHECK(guard[0] == std::vector<std::string>{"anon", "0"});
  // 64 MiB heap buffer: exact extent known, comparison window capped at 1 MiB.
  auto huge = t.rows("SELECT a.extent >= 64 * 1048576, a.extent_exact, a.window, a.window_capped FROM args a JOIN " +
                     calls_of("clCreateBuffer") + " ON a.call_id = c.id WHERE a.idx = 3 ORDER BY c.id LIMIT 1 OFFSET 1");
  REQUIRE(huge.size() == 1);
  CHECK(huge[0] == std::vector<std::string>{"1", "1", "1048576", "1"});
  // block + 100 is not the start of an allocation: its extent is the rest of the mapping.
  auto interior = t.rows("SELECT a.region, a.extent_exact, a.written_count > 0 FROM args a JOIN " +
                         calls_of("clGetPlatformInfo") + " ON a.call_id = c.id WHERE a.idx = 3");
  REQUIRE(interior.size() == 1);
  CHECK(interior[0] == std::vector<std::string>{"heap", "0", "1"});
  // A pointer into read-only data is read as input.
  auto rodata = t.rows("SELECT a.region, a.readable, a.written_count FROM args a JOIN " + calls_of("clCreateBuffer") +
                       " ON a.call_id = c.id WHERE a.idx = 3 ORDER BY c.id LIMIT 1 OFFSET 2");
  REQUIRE(rodata.size() == 1);
  CHECK(rodata[0] == std::vector<std::string>{"file", "1", "0"});
}

TEST_CASE("a program that cannot be started is refused before any work, and leaves no trace") {
  std::string db = fresh_db("missing-program");
  for (const std::string program : {"/nonexistent/remora-test-program", "remora-no-such-program-on-path"}) {
    remora::trace::TraceOptions options;
    options.argv = {program};
    options.output = db;
    options.build.cache_dir = cache_dir();
    remora::spec::Diagnostics diagnostics;
    auto r = remora::trace::trace_program(header_only_spec(), options, diagnostics);
    CHECK_FALSE(r.ok);
    REQUIRE(diagnostics.size() == 1);
    CHECK(diagnostics[0].message.find("cannot run the program") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db));
  }
}
