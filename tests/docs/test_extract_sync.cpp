#include <catch2/catch.hpp>

#include "docs_test_support.h"

using namespace remora;
using namespace remora::docs_test;
using Mode = spec::Sync::Mode;

namespace {
spec::Spec queue_spec() {
  spec::Spec s;
  s.functions.push_back(function("qRead", "int", {param("q", "int"), param("blocking_read", "unsigned"), param("ptr", "void *")}));
  s.functions.push_back(function("qWrite", "int", {param("q", "int"), param("blocking_write", "unsigned"), param("ptr", "const void *")}));
  s.functions.push_back(function("qFinish", "int", {param("q", "int")}));
  s.functions.push_back(function("qLaunch", "int", {param("q", "int")}));
  return s;
}
template <class Pred>
const spec::Evidence* fn_claim(const spec::Spec& s, const char* fn, Pred p) {
  return find_docs_evidence(s.find_function(fn)->evidence, p);
}
}  // namespace

TEST_CASE("a boolean blocking switch gives async_if on the right function of a shared page") {
  auto s = queue_spec();
  std::string page =
      "[open,refpage='qRead',desc='Enqueue reads or writes.',type='protos',alias='qWrite']\n--\n"
      "  * _blocking_read_ and _blocking_write_ indicate if the operations are blocking.\n\n"
      "If _blocking_read_ is {Q_TRUE} i.e. the read is blocking, {qRead} does not return until done.\n\n"
      "If _blocking_write_ is {Q_FALSE}, the write is non-blocking.\n"
      "As the write is non-blocking the implementation can return immediately.\n--\n";
  mine(s, "s.adoc", page);
  auto* read = fn_claim(s, "qRead", [](const auto& says) { return says.sync && says.sync->mode == Mode::AsyncIf; });
  REQUIRE(read);
  CHECK(read->says.sync->condition == "blocking_read == Q_FALSE");
  auto* write = fn_claim(s, "qWrite", [](const auto& says) { return says.sync && says.sync->mode == Mode::AsyncIf; });
  REQUIRE(write);
  CHECK(write->says.sync->condition == "blocking_write == Q_FALSE");
  // The loose "return immediately" remark is outranked by the explicit switch.
  CHECK_FALSE(fn_claim(s, "qRead", [](const auto& says) { return says.sync && says.sync->mode == Mode::Async; }));
}

TEST_CASE("'blocks until all previously queued commands complete' is a synchronous barrier") {
  auto s = queue_spec();
  mine(s, "s.adoc",
       refpage("qFinish", "Blocks until all previously queued commands in a queue have completed.",
               "  * _q_ is the queue.") +
           refpage("qLaunch", "Enqueues a command to run a kernel.", "  * _q_ is the queue."));
  auto* e = fn_claim(s, "qFinish", [](const auto& says) { return says.barrier == true; });
  REQUIRE(e);
  CHECK(e->says.sync->mode == Mode::Sync);
  auto* launch = fn_claim(s, "qLaunch", [](const auto& says) { return says.sync.has_value(); });
  REQUIRE(launch);
  CHECK(launch->says.sync->mode == Mode::Async);
  CHECK_FALSE(fn_claim(s, "qLaunch", [](const auto& says) { return says.barrier == true; }));
}

TEST_CASE("a NULL-conditioned wait is not a blocking switch") {
  auto s = queue_spec();
  mine(s, "s.adoc",
       refpage("qLaunch", "Launch.", "If _q_ is 0, {qLaunch} does not return until the build has completed."));
  CHECK_FALSE(fn_claim(s, "qLaunch", [](const auto& says) { return says.sync.has_value(); }));
}

TEST_CASE("Doxygen-style pages: asynchronous with respect to the host and blocking device-wide waits") {
  spec::Spec s;
  s.functions.push_back(function("devMemsetAsync", "int", {param("ptr", "void *"), param("count", "size_t")}));
  s.functions.push_back(function("devSynchronize", "int", {}));
  s.functions.push_back(function("devMemcpy", "int", {param("dst", "void *"), param("count", "size_t")}));
  mine(s, "d.md",
       "## devMemsetAsync\n\nFills memory. This function is asynchronous with respect to the host.\n\n"
       "## devSynchronize\n\nBlocks until the device has completed all preceding requested tasks.\n\n"
       "## devMemcpy\n\nCopies data. This function may also return error codes from previous, asynchronous launches.\n");
  auto* a = fn_claim(s, "devMemsetAsync", [](const auto& x) { return x.sync.has_value(); });
  REQUIRE(a);
  CHECK(a->says.sync->mode == Mode::Async);
  auto* b = fn_claim(s, "devSynchronize", [](const auto& x) { return x.barrier == true; });
  REQUIRE(b);
  CHECK(b->says.sync->mode == Mode::Sync);
  CHECK_FALSE(fn_claim(s, "devMemcpy", [](const auto& x) { return x.sync && x.sync->mode == Mode::Async; }));
}

TEST_CASE("'returns immediately' says non-blocking only as the way the call returns, not the moment") {
  auto s = queue_spec();
  // zlib's inflate(): the moment it returns, with a condition; not an asynchronous call.
  mine(s, "s.adoc",
       refpage("qFinish",
               "Decodes a block. 256 is added to the flags when qFinish() returns immediately after reaching the "
               "end of the block header.",
               "  * _q_ is the queue.") +
           refpage("qLaunch", "Starts a kernel. qLaunch returns immediately; the kernel runs later.",
                   "  * _q_ is the queue."));
  CHECK_FALSE(fn_claim(s, "qFinish", [](const auto& says) { return says.sync && says.sync->mode == Mode::Async; }));
  auto* launch = fn_claim(s, "qLaunch", [](const auto& says) { return says.sync && says.sync->mode == Mode::Async; });
  CHECK(launch);
}
