// RetainedMemory (remora_retained.h): what a released object kept outlives the release
// while queued work shares it (OpenCL: a buffer released with commands pending), stays
// counted against the per-guest bound until freed, and may outlive the RetainedMemory.
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>

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
