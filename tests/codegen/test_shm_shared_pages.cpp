// Shared pages over shm: (remora_shared_pages.h): a large buffer of the program that
// requests keep using is adopted, the server then reads its input and writes its output in
// place (one copy), partial first and last pages travel with each transfer, a fork makes
// the child's pages private, an adoption the program unmapped is never used again, and a
// request sent without a reply shares only the inputs the program keeps until it completes.
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "remora_transport.h"
#include "shm_pair.h"

using namespace remora;
using namespace remora::test;

namespace {

std::uint64_t address_of(const void* p) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)); }

// Fresh anonymous memory for a buffer (memory an earlier test's connection adopted stays
// shared with that connection's file, and is not adopted again).
struct Fresh {
  std::size_t bytes;
  unsigned char* at;
  explicit Fresh(std::size_t n) : bytes(n) {
    void* m = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    at = static_cast<unsigned char*>(m);
  }
  ~Fresh() { ::munmap(at, bytes); }
  Fresh(const Fresh&) = delete;
  Fresh& operator=(const Fresh&) = delete;
};

// One round trip as the stack makes it: the guest gets `buf` ready (prepare_shared), sends
// it as the request's trailer, and receives the reply's trailer back into it. The server
// checks the request's bytes, then writes `reply` as its output: straight into the guest's
// pages when they are shared (guest_window), else into its own memory.
struct RoundTrip {
  bool shared_before = false;     // prepare_shared said so before the request went
  bool server_in_place = false;   // the server read the input where its output window is
  bool input_ok = false;          // the server saw the program's bytes
  bool output_before_reply = false;  // the output's interior was in the buffer before its bytes were read
};

RoundTrip round_trip(ShmPair& p, unsigned char* buf, std::size_t n, const std::vector<unsigned char>& reply) {
  RoundTrip t;
  const std::vector<unsigned char> sent(buf, buf + n);
  t.shared_before = p.guest->prepare_shared(buf, n);
  std::thread server([&] {
    Received r;
    if (!receive_request(*p.server, r)) return;
    const unsigned char* got = r.placed ? r.placed.data() : r.copied.data();
    t.input_ok = std::memcmp(got, sent.data(), n) == 0;
    unsigned char* window = p.server->guest_window(address_of(buf), n);
    t.server_in_place = window && r.placed && r.placed.data() == window;
    std::vector<unsigned char> own;
    unsigned char* out = window ? window : (own.resize(n), own.data());
    r.placed.reset();
    std::memcpy(out, reply.data(), n);
    Writer w;
    w.put_bulk(out, n);
    send_message(*p.server, kMsgReply, 1, 0, {&w});
  });
  Writer w;
  w.put_bulk(buf, n);
  p.guest->share_next_inputs(true);
  REQUIRE(send_message(*p.guest, 1, 1, 0, {&w}));
  FrameHeader h;
  REQUIRE(recv_header(*p.guest, h) == FrameResult::Ok);
  REQUIRE(h.bulk == n);
  // The page after the first partial one: in the program's buffer before its bytes are read
  // when the server wrote it there.
  const std::size_t probe = 8192;
  t.output_before_reply = std::memcmp(buf + probe, reply.data() + probe, 4096) == 0;
  REQUIRE(p.guest->recv_all(buf, n));
  server.join();
  return t;
}

}  // namespace

// Adoption after two requests instead of the default 16 (REMORA_SHM_SHARE_AFTER, read
// when the guest connects), for the tests about what happens once a buffer is shared.
struct AdoptAfterTwo {
  AdoptAfterTwo() { setenv("REMORA_SHM_SHARE_AFTER", "2", 1); }
  ~AdoptAfterTwo() { unsetenv("REMORA_SHM_SHARE_AFTER"); }
};

TEST_CASE("a buffer the 16th request uses is shared: the server then reads and writes it in place",
          "[codegen][shm][shared-pages]") {
  ShmPair p;
  // Not page aligned (as malloc returns), so the first and last pages are partial.
  const std::size_t n = (std::size_t{3} << 20) + 1000;
  Fresh storage(n + 8192);
  unsigned char* buf = storage.at + 100;
  for (unsigned i = 0; i < 18; ++i) {
    auto in = pattern(n, 10 + i), out = pattern(n, 20 + i);
    std::memcpy(buf, in.data(), n);
    INFO("transfer " << i);
    const RoundTrip t = round_trip(p, buf, n, out);
    CHECK(t.input_ok);
    CHECK(std::memcmp(buf, out.data(), n) == 0);  // partial pages included
    // The first 15 transfers only count; the 16th adopts the buffer before its request goes.
    CHECK(t.shared_before == (i >= 15));
    CHECK(t.server_in_place == (i >= 15));
    CHECK(t.output_before_reply == (i >= 15));
  }
  // Bytes around the buffer (the partial pages' other data) are the program's own.
  CHECK(std::all_of(storage.at, storage.at + 100, [](unsigned char c) { return c == 0; }));
  CHECK(std::all_of(storage.at + 100 + n, storage.at + storage.bytes, [](unsigned char c) { return c == 0; }));
}

TEST_CASE("small buffers, read-only memory and a server that offers no pages are never shared",
          "[codegen][shm][shared-pages]") {
  AdoptAfterTwo two;
  SECTION("below REMORA_SHM_SHARE_FROM") {
    ShmPair p;
    std::vector<unsigned char> small(512 * 1024, 7);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(p.guest->prepare_shared(small.data(), small.size()));
  }
  SECTION("read-only memory") {
    ShmPair p;
    const std::size_t n = std::size_t{2} << 20;
    void* ro = ::mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(ro != MAP_FAILED);
    for (int i = 0; i < 3; ++i) CHECK_FALSE(p.guest->prepare_shared(ro, n));
    ::munmap(ro, n);
  }
  SECTION("REMORA_SHM_SHARED_BYTES=0") {
    setenv("REMORA_SHM_SHARED_BYTES", "0", 1);
    ShmPair p;
    unsetenv("REMORA_SHM_SHARED_BYTES");
    const std::size_t n = std::size_t{2} << 20;
    Fresh buf(n);
    for (unsigned i = 0; i < 3; ++i) {
      auto in = pattern(n, i), out = pattern(n, 50 + i);
      std::memcpy(buf.at, in.data(), n);
      const RoundTrip t = round_trip(p, buf.at, n, out);
      CHECK_FALSE(t.shared_before);
      CHECK(t.input_ok);
      CHECK(std::memcmp(buf.at, out.data(), n) == 0);
    }
  }
}

TEST_CASE("a forked child's adopted pages are its own", "[codegen][shm][shared-pages]") {
  AdoptAfterTwo two;
  ShmPair p;
  const std::size_t n = std::size_t{2} << 20;
  Fresh fresh(n + 64);
  unsigned char* buf = fresh.at + 64;
  for (unsigned i = 0; i < 3; ++i) round_trip(p, buf, n, pattern(n, 30 + i));
  REQUIRE(p.guest->prepare_shared(buf, n));
  const std::vector<unsigned char> before(buf, buf + n);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child sees the parent's bytes, and what it writes stays in the child.
    const bool same = std::memcmp(buf, before.data(), n) == 0;
    std::memset(buf, 0x5a, n);
    ::_exit(same ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(std::memcmp(buf, before.data(), n) == 0);
  // And the server still sees the parent's pages (they stayed shared in the parent).
  const RoundTrip t = round_trip(p, buf, n, pattern(n, 90));
  CHECK(t.server_in_place);
  CHECK(t.input_ok);
}

namespace {
// A request sent without a reply (a non-blocking write) with one large input, read by
// the server as the worker reads it: whether the server's bytes are the guest's own pages.
bool sent_without_reply_in_place(ShmPair& p, unsigned char* buf, std::size_t n, bool all,
                                 std::initializer_list<const void*> kept) {
  const std::vector<unsigned char> sent(buf, buf + n);
  Writer w;
  w.put_bulk(buf, n);
  const std::vector<const void*> list(kept);
  p.guest->share_next_inputs(all, list);
  REQUIRE(send_message(*p.guest, 1, 1, kFlagAsync, {&w}));
  Received r;
  REQUIRE(receive_request(*p.server, r));
  const unsigned char* got = r.placed ? r.placed.data() : r.copied.data();
  CHECK(std::memcmp(got, sent.data(), n) == 0);
  return r.placed && r.placed.data() == p.server->guest_window(address_of(buf), n);
}
}  // namespace

TEST_CASE("a request sent without a reply reads in place only the inputs the program keeps until its command completes",
          "[codegen][shm][shared-pages]") {
  AdoptAfterTwo two;
  ShmPair p;
  const std::size_t n = (std::size_t{2} << 20) + 300;
  Fresh fresh(n + 8192);
  unsigned char* buf = fresh.at + 300;
  for (unsigned i = 0; i < 3; ++i) round_trip(p, buf, n, pattern(n, 110 + i));
  REQUIRE(p.guest->prepare_shared(buf, n));
  // Copied: the program may change it as soon as the call returns (retain: "").
  CHECK_FALSE(sent_without_reply_in_place(p, buf, n, false, {}));
  // Another input is the one kept: this one is still copied.
  std::vector<unsigned char> elsewhere(16);
  CHECK_FALSE(sent_without_reply_in_place(p, buf, n, false, {elsewhere.data()}));
  // Kept until the command completes (retain: "command"): read where the program keeps it.
  CHECK(sent_without_reply_in_place(p, buf, n, false, {buf}));
  // The choice is for one send only.
  CHECK_FALSE(sent_without_reply_in_place(p, buf, n, false, {}));
  CHECK(sent_without_reply_in_place(p, buf, n, true, {}));
}

TEST_CASE("an adoption the program unmapped is dropped: new memory there is sent as it is",
          "[codegen][shm][shared-pages]") {
  AdoptAfterTwo two;
  ShmPair p;
  const std::size_t n = std::size_t{4} << 20;
  auto* first = static_cast<unsigned char*>(::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  REQUIRE(first != MAP_FAILED);
  for (unsigned i = 0; i < 3; ++i) {
    auto in = pattern(n, 40 + i);
    std::memcpy(first, in.data(), n);
    round_trip(p, first, n, pattern(n, 60 + i));
  }
  REQUIRE(p.guest->prepare_shared(first, n));
  // The program frees it and gets new memory at the same address (as malloc often does).
  REQUIRE(::munmap(first, n) == 0);
  auto* again = static_cast<unsigned char*>(
      ::mmap(first, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  REQUIRE(again == first);
  for (unsigned i = 0; i < 3; ++i) {
    auto in = pattern(n, 70 + i), out = pattern(n, 80 + i);
    std::memcpy(again, in.data(), n);
    const RoundTrip t = round_trip(p, again, n, out);
    CHECK(t.input_ok);
    CHECK_FALSE(t.shared_before);  // never adopted again at these addresses
    CHECK_FALSE(t.server_in_place);
    CHECK(std::memcmp(again, out.data(), n) == 0);
  }
  ::munmap(again, n);
}

TEST_CASE("a window or adoption outside the shared pages breaks only the stream", "[codegen][shm][shared-pages]") {
  const std::uint64_t window = ~std::uint64_t{0}, adopt = ~std::uint64_t{1};
  ShmPair p(65536, "", std::size_t{1} << 20);
  SECTION("a window past the end of the file") {
    inject_guest_records(p, {std::uint64_t{1 << 20} << 1 | 1, std::uint64_t{64} << 30, window, 0});
  }
  SECTION("a window whose edges are larger than a page") {
    inject_guest_records(p, {std::uint64_t{1 << 20} << 1 | 1, 4096, window, std::uint64_t{8192}});
  }
  SECTION("an adoption of an unaligned address") {
    inject_guest_records(p, {std::uint64_t{1 << 20} << 1 | 1, 0, adopt, 12345});
  }
  SECTION("an adoption past the end of the file") {
    inject_guest_records(p, {std::uint64_t{1 << 20} << 1 | 1, (std::uint64_t{4} << 30) - 4096, adopt, 1 << 20});
  }
  char buf[64];
  CHECK_FALSE(p.server->recv_all(buf, sizeof buf));
}

TEST_CASE("shared pages the program moved elsewhere are still made private in a forked child",
          "[codegen][shm][shared-pages]") {
  AdoptAfterTwo two;
  ShmPair p;
  const std::size_t n = std::size_t{2} << 20;
  Fresh fresh(n);
  for (unsigned i = 0; i < 3; ++i) round_trip(p, fresh.at, n, pattern(n, 100 + i));
  REQUIRE(p.guest->prepare_shared(fresh.at, n));
  // As a realloc() of a large buffer does: the pages move to another address (mremap).
  Fresh target(n);
  void* moved = ::mremap(fresh.at, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, target.at);
  REQUIRE(moved == target.at);
  auto* again = static_cast<unsigned char*>(
      ::mmap(fresh.at, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
  REQUIRE(again == fresh.at);
  CHECK_FALSE(p.guest->prepare_shared(fresh.at, n));  // the adoption is gone from there
  const std::vector<unsigned char> before(target.at, target.at + n);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::memset(target.at, 0x33, n);
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(std::memcmp(target.at, before.data(), n) == 0);
}
