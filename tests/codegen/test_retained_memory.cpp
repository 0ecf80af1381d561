// RetainedMemory (remora_retained.h): what a released object kept outlives the release
// while queued work shares it (OpenCL: a buffer released with commands pending), stays
// counted against the per-guest bound until freed, and may outlive the RetainedMemory.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>

#include "remora_queued_work.h"
#include "remora_retained.h"

using remora::server::RetainedMemory;

TEST_CASE("a released object's kept memory lives while queued work shares it, counted until freed",
          "[codegen][retained]") {
  std::vector<unsigned char> bytes(4096, 0x5a);
  std::shared_ptr<RetainedMemory::Kept> queued_on_q1, queued_on_q2;
  {
    RetainedMemory kept;
    auto* copy = static_cast<unsigned char*>(kept.keep(bytes.data(), bytes.size(), 0x1000));
    REQUIRE(copy);
    kept.bind(42);
    CHECK(kept.held_bytes() == 4096);
    CHECK(kept.guest_alias(copy + 16, 8) == 0x1000 + 16);

    // Released with work queued on two queues: both share it; the bytes stay readable.
    auto released = kept.release(42);
    REQUIRE(released);
    queued_on_q1 = released;
    queued_on_q2 = released;
    released.reset();
    CHECK(kept.guest_alias(copy + 16, 8) == 0);  // no longer the object's: no alias
    CHECK(kept.held_bytes() == 4096);            // still counted against the bound
    CHECK(copy[100] == 0x5a);
    queued_on_q1.reset();  // q1's barrier
    CHECK(kept.held_bytes() == 4096);
    CHECK(copy[4095] == 0x5a);

    // An object that kept nothing hands out nothing; a second release neither.
    CHECK_FALSE(kept.release(42));
    CHECK_FALSE(kept.release(7));
  }
  // The worker's RetainedMemory went first (member order): q2's share still frees safely.
  queued_on_q2.reset();
}

TEST_CASE("kept memory with nothing queued is freed at the release and leaves the bound",
          "[codegen][retained]") {
  RetainedMemory kept;
  std::vector<unsigned char> bytes(8192, 1);
  REQUIRE(kept.keep(bytes.data(), bytes.size(), 0x2000));
  kept.bind(9);
  REQUIRE(kept.keep(bytes.data(), 100, 0x9000));
  kept.bind(0);  // the call failed: freed now
  CHECK(kept.held_bytes() == 8192);
  kept.release(9);  // the Kept is dropped at once
  CHECK(kept.held_bytes() == 0);
}

// QueuedWork (remora_queued_work.h): a released object's memory stays with every object
// that had work queued since its last barrier, whether or not the spec marked those calls
// asynchronous, and goes when the last of them is retired.
TEST_CASE("a released object's kept memory lives until a barrier retires every queue that was busy",
          "[codegen][retained]") {
  using remora::server::QueuedWork;
  RetainedMemory kept;
  QueuedWork queued;
  std::vector<unsigned char> bytes(4096, 3);
  auto* copy = static_cast<unsigned char*>(kept.keep(bytes.data(), bytes.size(), 0x1000));
  REQUIRE(copy);
  kept.bind(42);
  CHECK(kept.keeps_any());
  const std::uint64_t q1 = 0x100, q2 = 0x200, q3 = 0x300;
  queued.note(q1);  // a sync-marked copy queued on q1
  queued.note(q2);
  queued.retire(q2);  // q2 finished before the release: it does not keep it
  queued.share(kept.release(42));
  CHECK_FALSE(kept.keeps_any());
  CHECK(kept.held_bytes() == 4096);
  queued.note(q3);  // queued after the release: cannot use it
  queued.retire(q3);
  CHECK(kept.held_bytes() == 4096);
  CHECK(copy[4095] == 3);  // still readable while q1's work may run
  queued.retire(q1);       // clFinish(q1)
  CHECK(kept.held_bytes() == 0);
}

TEST_CASE(
    "kept memory shared by several queues, by a queue released while busy and by unowned work",
    "[codegen][retained]") {
  using remora::server::QueuedWork;
  RetainedMemory kept;
  QueuedWork queued;
  std::vector<unsigned char> bytes(8192, 9);
  REQUIRE(kept.keep(bytes.data(), bytes.size(), 0x2000));
  kept.bind(7);
  REQUIRE(kept.keep(bytes.data(), 4096, 0x8000));
  kept.bind(8);
  queued.note(1);
  queued.note(2);
  queued.note_unowned();
  CHECK(queued.busy_count() == 3);
  queued.share(kept.release(7));
  queued.retire(1);
  queued.retire_unowned();
  CHECK(kept.held_bytes() == 8192 + 4096);  // queue 2 may still read object 7's copy
  // Queue 2 is released while busy: no barrier can name it, its share waits for one
  // that names no object (or the worker's end).
  queued.forget(2);
  CHECK_FALSE(queued.busy(2));
  queued.retire(2);
  CHECK(kept.held_bytes() == 8192 + 4096);
  queued.retire_all();
  CHECK(kept.held_bytes() == 4096);
  // Nothing busy at the release: freed at once.
  queued.share(kept.release(8));
  CHECK(kept.held_bytes() == 0);
  CHECK(queued.busy_count() == 0);
}
