// Calls that queue work without saying so in their names (inference/header/src/queued_work.cpp):
// on a fictional driver-style header with streams and a queue API
// (tests/data/headers/queued_work/acclib.h), and on the stream-bound library of
// tests/data/headers/stream_lib/randlib.h.
#include <catch2/catch.hpp>

#include "inferred_lookup.h"

using namespace remora::spec;

namespace {

const Function& function(const remora::inference::InferResult& r, const char* name) {
  return remora::test::function_named(r, name);
}

const remora::inference::InferResult& acclib() {
  return remora::test::inferred_header("queued_work/acclib.h", "libacclib.so.1");
}

Sync::Mode mode(const char* name) {
  return function(acclib(), name).sync.mode;
}

}  // namespace

TEST_CASE("queued work: calls on a stream or queue the host can wait for are asynchronous",
          "[idioms][sync]") {
  REQUIRE(acclib().ok);
  // acStreamSynchronize(ACstream) makes ACstream a work queue; acQueueWaitIdle, acQueue.
  CHECK(mode("acEventRecord") == Sync::Mode::Async);
  CHECK(mode("acStreamAddCallback") == Sync::Mode::Async);
  CHECK(mode("acQueueSubmit") == Sync::Mode::Async);
  bool says_why = false;
  for (const auto& e : function(acclib(), "acEventRecord").evidence)
    says_why |= e.why.find("work queue 'hStream'") != std::string::npos;
  CHECK(says_why);
  // The stream waits for the event, not the host: queued, and no barrier.
  const Function& wait = function(acclib(), "acStreamWaitEvent");
  CHECK(wait.sync.mode == Sync::Mode::Async);
  CHECK_FALSE(wait.barrier);
}

TEST_CASE("queued work: what stays synchronous", "[idioms][sync]") {
  REQUIRE(acclib().ok);
  // The host waits: barriers.
  CHECK(mode("acStreamSynchronize") == Sync::Mode::Sync);
  CHECK(function(acclib(), "acStreamSynchronize").barrier);
  CHECK(mode("acQueueWaitIdle") == Sync::Mode::Sync);
  CHECK(function(acclib(), "acQueueWaitIdle").barrier);
  // Managing or inspecting the queue.
  for (const char* name :
       {"acStreamCreate", "acStreamDestroy", "acStreamQuery", "acStreamBeginCapture"})
    CHECK(mode(name) == Sync::Mode::Sync);
  // Something handed back besides the status.
  CHECK(mode("acStreamGetPriority") == Sync::Mode::Sync);
  CHECK(mode("acStreamReadCounter") == Sync::Mode::Sync);
  // A device the host waits on is no queue; a stream nothing waits for neither.
  CHECK(mode("acBindMemory") == Sync::Mode::Sync);
  CHECK(mode("mediaStreamWrite") == Sync::Mode::Sync);
}

TEST_CASE("queued work: calls on a stream-bound object that hand nothing back are asynchronous",
          "[idioms][sync]") {
  const auto& r = remora::test::inferred_header("stream_lib/randlib.h", "librandlib.so.1");
  REQUIRE(r.ok);
  CHECK(function(r, "rlGenerateUniform").sync.mode == Sync::Mode::Async);
  CHECK(function(r, "rlAxpy").sync.mode == Sync::Mode::Async);  // alpha, x read; y a device array
  // A host buffer written, a version read back, the binder itself, an unbound object.
  CHECK(function(r, "rlCopyToHost").sync.mode == Sync::Mode::Sync);
  CHECK(function(r, "rlGetVersion").sync.mode == Sync::Mode::Sync);
  CHECK(function(r, "rlSetStream").sync.mode == Sync::Mode::Sync);
  CHECK(function(r, "hlFill").sync.mode == Sync::Mode::Sync);
}
