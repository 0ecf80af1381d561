// The shared-memory transport (shm:PATH) and the test-only delayed link, tested through
// the public transport functions the generated stack uses (listen_on, accept_from,
// connect_to, send_frame/recv_frame) with both ends in this process or in a forked one:
// wrap-around, back-pressure, messages larger than the ring, doorbells for pollers of
// fd(), peer death, a hostile guest, and a guest or server of the other transport; payloads
// placed in the data regions and used in place, and the fallback when a region is full;
// the waiting policy (remora_shm_wait.h).
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "remora_fd_passing.h"
#include "remora_parallel_copy.h"
#include "remora_shm_wait.h"
#include "remora_transport.h"
#include "shm_pair.h"
#include "stack_fixture.h"

using namespace remora;
using namespace remora::test;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

TEST_CASE("shm: and delay: addresses parse", "[codegen][shm]") {
  Address a;
  std::string err;
  REQUIRE(parse_address("shm:/tmp/x.sock", a, err));
  CHECK(a.kind == Address::Kind::Shm);
  CHECK(a.path == "/tmp/x.sock");
  REQUIRE(parse_address("delay:100:unix:/tmp/y.sock", a, err));
  CHECK(a.kind == Address::Kind::Unix);
  CHECK(a.delay_us == 100);
  CHECK(a.text == "delay:100:unix:/tmp/y.sock");
  CHECK_FALSE(parse_address("shm:", a, err));
  CHECK_FALSE(parse_address("delay:x:unix:/tmp/y", a, err));
  CHECK(err.find("delay:MICROSECONDS:ADDRESS") != std::string::npos);
}

TEST_CASE("shm rings carry frames of every size in order, wrapping around many times", "[codegen][shm]") {
  ShmPair p(65536);
  // Odd sizes make every frame straddle the end of the 64 KiB ring at a new offset.
  std::thread echo([&] {
    FrameHeader h;
    std::vector<unsigned char> body;
    while (recv_frame(*p.server, h, body) == FrameResult::Ok)
      if (!send_frame(*p.server, h.type, h.request, 0, body.data(), body.size())) break;
  });
  bool all_same = true;
  for (unsigned i = 0; i < 300; ++i) {
    std::size_t n = (i * 7919u) % 20000u;
    auto data = pattern(n, i);
    REQUIRE(send_frame(*p.guest, 7, i, 0, data.data(), data.size()));
    FrameHeader h;
    std::vector<unsigned char> back;
    REQUIRE(recv_frame(*p.guest, h, back) == FrameResult::Ok);
    all_same = all_same && h.request == i && back == data;
  }
  CHECK(all_same);
  p.guest->shutdown_both();  // the echo thread sees the end of the stream
  echo.join();
}

TEST_CASE("a message larger than the ring streams through it in both directions", "[codegen][shm]") {
  ShmPair p(65536);
  auto big = pattern(std::size_t{6} << 20, 3);  // 96 times the ring
  std::thread echo([&] {
    std::vector<unsigned char> in(big.size());
    if (p.server->recv_all(in.data(), in.size())) p.server->send_all(in.data(), in.size());
  });
  REQUIRE(p.guest->send_all(big.data(), big.size()));
  std::vector<unsigned char> back(big.size());
  REQUIRE(p.guest->recv_all(back.data(), back.size()));
  echo.join();
  CHECK(back == big);
}

TEST_CASE("large payloads are placed once in the shared region and read in place", "[codegen][shm]") {
  // A 1 MiB region per direction for 300 KiB payloads: 200 round trips only work if
  // each block is reused once the reader is done with it.
  ShmPair p(65536, "", std::size_t{1} << 20);
  const std::size_t n = 300 * 1024;
  int placed_requests = 0, placed_replies = 0;
  bool all_same = true;
  std::thread server([&] {
    for (unsigned i = 0; i < 200; ++i) {
      Received r;
      if (!receive_request(*p.server, r)) return;
      const unsigned char* got = r.placed ? r.placed.data() : r.copied.data();
      all_same = all_same && std::memcmp(got, pattern(n, i).data(), n) == 0;
      placed_requests += r.placed ? 1 : 0;
      // The reply's output as the worker makes it: written straight into placed memory.
      PooledBuffer out = p.server->placed_buffer(n, false);
      std::vector<unsigned char> fallback;
      unsigned char* dst = out ? out.data() : (fallback.resize(n), fallback.data());
      std::memcpy(dst, got, n);
      placed_replies += out ? 1 : 0;
      r.placed.reset();  // the call is over: the guest may reuse its block
      Writer w;
      w.put_u32(i);
      w.put_bulk(dst, n);
      if (!send_message(*p.server, kMsgReply, i, 0, {&w})) return;
    }
  });
  for (unsigned i = 0; i < 200; ++i) {
    auto data = pattern(n, i);
    Writer w;
    w.put_u32(i);
    w.put_bulk(data.data(), n);
    REQUIRE(send_message(*p.guest, 1, i, 0, {&w}));
    FrameHeader h;
    std::vector<unsigned char> back;
    REQUIRE(recv_frame(*p.guest, h, back) == FrameResult::Ok);
    REQUIRE(back.size() == 4 + n);  // the fields, then the trailer
    all_same = all_same && std::memcmp(back.data() + back.size() - n, data.data(), n) == 0;
  }
  server.join();
  CHECK(all_same);
  CHECK(placed_requests == 200);
  CHECK(placed_replies == 200);
}

TEST_CASE("a large copy split between threads moves every byte, also concurrently and after fork",
          "[codegen][shm]") {
  // Sizes around the threshold and the chunk size, and one not a multiple of anything.
  for (std::size_t n : {parallel_copy::kMinBytes - 1, parallel_copy::kMinBytes, parallel_copy::kMinBytes + 3,
                        parallel_copy::kMinBytes + 5 * parallel_copy::kChunkBytes + 12345}) {
    const auto src = pattern(n, static_cast<unsigned>(n));
    std::vector<unsigned char> dst(n + 1, 0xee);
    parallel_copy::copy(dst.data(), src.data(), n);
    CHECK(std::memcmp(dst.data(), src.data(), n) == 0);
    CHECK(dst[n] == 0xee);  // nothing past the end
  }
  // Two callers at once: one has the helpers, the other copies alone; both complete.
  const std::size_t n = parallel_copy::kMinBytes + 4096;
  bool ok[2] = {false, false};
  std::thread t[2];
  for (int k = 0; k < 2; ++k)
    t[k] = std::thread([&, k] {
      bool all = true;
      for (unsigned i = 0; i < 20; ++i) {
        const auto src = pattern(n, i * 2 + static_cast<unsigned>(k));
        std::vector<unsigned char> dst(n);
        parallel_copy::copy(dst.data(), src.data(), n);
        all = all && dst == src;
      }
      ok[k] = all;
    });
  for (auto& th : t) th.join();
  CHECK(ok[0]);
  CHECK(ok[1]);
  // A forked child has no helper threads of its parent: it starts its own.
  const pid_t child = fork();
  if (child == 0) {
    const auto src = pattern(n, 7);
    std::vector<unsigned char> dst(n);
    parallel_copy::copy(dst.data(), src.data(), n);
    _exit(dst == src ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}

TEST_CASE("payloads of MiBs placed in the shared region arrive whole both ways", "[codegen][shm]") {
  // Above parallel_copy::kMinBytes: the guest's copy into the region and the server's
  // copy out of it are split between threads; the server's reply, as large, streams
  // through the ring (the next test).
  ShmPair p(65536, "", std::size_t{32} << 20);
  const std::size_t n = parallel_copy::kMinBytes + 17;
  bool all_same = true;
  std::thread server([&] {
    for (unsigned i = 0; i < 10; ++i) {
      FrameHeader h;
      std::vector<unsigned char> got;
      if (recv_frame(*p.server, h, got) != FrameResult::Ok) return;
      all_same = all_same && got.size() == 4 + n && std::memcmp(got.data() + 4, pattern(n, i).data(), n) == 0;
      Writer w;
      w.put_u32(i);
      w.put_bulk(got.data() + 4, n);
      if (!send_message(*p.server, kMsgReply, i, 0, {&w})) return;
    }
  });
  for (unsigned i = 0; i < 10; ++i) {
    auto data = pattern(n, i);
    Writer w;
    w.put_u32(i);
    w.put_bulk(data.data(), n);
    REQUIRE(send_message(*p.guest, 1, i, 0, {&w}));
    FrameHeader h;
    std::vector<unsigned char> back;
    REQUIRE(recv_frame(*p.guest, h, back) == FrameResult::Ok);
    REQUIRE(back.size() == 4 + n);
    all_same = all_same && std::memcmp(back.data() + 4, data.data(), n) == 0;
  }
  server.join();
  CHECK(all_same);
}

TEST_CASE("a large output the guest waits for streams through the ring; one written in the background is placed",
          "[codegen][shm]") {
  // The bound (a core's L2 cache by default) as REMORA_SHM_STREAM_FROM sets it, read when
  // the server accepts.
  setenv("REMORA_SHM_STREAM_FROM", "1M", 1);
  ShmPair p(65536, "", std::size_t{32} << 20);
  unsetenv("REMORA_SHM_STREAM_FROM");
  const std::size_t big = std::size_t{1} << 20, small = big - 4096;
  // What the worker asks for a blocking call's output, and for a non-blocking one's.
  CHECK(p.server->placed_buffer(small, true));
  CHECK_FALSE(p.server->placed_buffer(big, true));
  PooledBuffer background = p.server->placed_buffer(big, false);
  REQUIRE(background);
  // Inputs go the other way: the server's library reads them in place at any size.
  CHECK(p.guest->placed_buffer(big, true));
  // A reply whose large trailer lies in the server's own memory (a blocking output from
  // its pool) streams; one in placed memory goes by reference; a smaller private one is
  // copied into a block. Each arrives whole.
  auto streamed = pattern(big + 3, 1), under = pattern(small, 2);
  auto placed = pattern(big, 3);
  std::memcpy(background.data(), placed.data(), big);
  std::thread server([&] {
    for (const auto* v : {&streamed, &under}) {
      Writer w;
      w.put_bulk(v->data(), v->size());
      if (!send_message(*p.server, kMsgReply, 1, 0, {&w})) return;
    }
    Writer w;
    w.put_bulk(background.data(), big);
    send_message(*p.server, kMsgReply, 2, 0, {&w});
  });
  Received a, b, c;
  REQUIRE(receive_request(*p.guest, a));
  REQUIRE(receive_request(*p.guest, b));
  REQUIRE(receive_request(*p.guest, c));
  server.join();
  CHECK_FALSE(a.placed);
  CHECK(a.copied == streamed);
  REQUIRE(b.placed);
  CHECK(std::memcmp(b.placed.data(), under.data(), small) == 0);
  REQUIRE(c.placed);
  CHECK(std::memcmp(c.placed.data(), placed.data(), big) == 0);
}

TEST_CASE("a full data region falls back to the ring, and the bytes still arrive", "[codegen][shm]") {
  ShmPair p(65536, "", std::size_t{1} << 20);
  const std::size_t n = 400 * 1024;
  std::vector<Received> held(4);  // the server keeps every request's trailer (a non-blocking call)
  std::thread server([&] {
    for (auto& r : held)
      if (!receive_request(*p.server, r)) return;
  });
  for (unsigned i = 0; i < held.size(); ++i) {
    auto data = pattern(n, i);
    Writer w;
    w.put_bulk(data.data(), n);
    REQUIRE(send_message(*p.guest, 1, i, 0, {&w}));
  }
  server.join();
  int placed = 0;
  for (unsigned i = 0; i < held.size(); ++i) {
    placed += held[i].placed ? 1 : 0;
    const unsigned char* got = held[i].placed ? held[i].placed.data() : held[i].copied.data();
    CHECK(std::memcmp(got, pattern(n, i).data(), n) == 0);
  }
  CHECK(placed == 2);  // two 400 KiB blocks fill the 1 MiB region; the rest streamed through the ring
  CHECK_FALSE(p.server->placed_buffer(std::size_t{2} << 20, false));  // larger than the region: none
}

TEST_CASE("a writer facing a full ring waits until the reader makes room", "[codegen][shm]") {
  ShmPair p(65536);
  auto data = pattern(65536 * 3 + 100, 5);
  std::atomic<bool> done{false};
  std::thread writer([&] {
    p.guest->send_all(data.data(), data.size());
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  CHECK_FALSE(done.load());  // nobody reads: three rings' worth cannot have gone
  std::vector<unsigned char> got(data.size());
  REQUIRE(p.server->recv_all(got.data(), got.size()));
  writer.join();
  CHECK(done.load());
  CHECK(got == data);
}

TEST_CASE("wait_readable and poll(fd()) tell a waiting guest that bytes arrived", "[codegen][shm]") {
  ShmPair p;
  CHECK_FALSE(p.guest->wait_readable(50));
  // Sent while the guest is not reading: a doorbell on the socket wakes a poller of fd().
  auto one = pattern(100, 1);
  REQUIRE(p.server->send_all(one.data(), one.size()));
  pollfd pfd{p.guest->fd(), POLLIN, 0};
  REQUIRE(::poll(&pfd, 1, 2000) == 1);
  CHECK(p.guest->wait_readable(0));
  std::vector<unsigned char> got(100);
  REQUIRE(p.guest->recv_all(got.data(), got.size()));
  CHECK(got == one);
  // Nothing left: fd() goes quiet again once a woken poller found nothing to read.
  CHECK_FALSE(p.guest->wait_readable(0));
  CHECK(::poll(&pfd, 1, 0) == 0);

  // A reply the guest waits for is taken without a doorbell (no syscall, no wake-up of a
  // poller for nothing).
  auto reply = pattern(200, 7);
  std::thread replier([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    p.server->send_all(reply.data(), reply.size());
  });
  std::vector<unsigned char> got_reply(200);
  REQUIRE(p.guest->recv_all(got_reply.data(), got_reply.size()));
  replier.join();
  CHECK(got_reply == reply);
  CHECK(::poll(&pfd, 1, 0) == 0);

  // Two messages sent while the guest waited for the first one: the guest takes the first
  // without a doorbell, and fd() must still show the second (the guest's callback thread
  // polls fd() for callbacks that follow a reply).
  auto a = pattern(64, 2), b = pattern(64, 3);
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    p.server->send_all(a.data(), a.size());
    p.server->send_all(b.data(), b.size());
  });
  std::vector<unsigned char> first(64);
  REQUIRE(p.guest->recv_all(first.data(), first.size()));
  late.join();
  CHECK(first == a);
  REQUIRE(::poll(&pfd, 1, 2000) == 1);
  CHECK(p.guest->wait_readable(0));
  std::vector<unsigned char> second(64);
  REQUIRE(p.guest->recv_all(second.data(), second.size()));
  CHECK(second == b);
  CHECK_FALSE(p.guest->wait_readable(0));
  CHECK(::poll(&pfd, 1, 0) == 0);
}

TEST_CASE("a blocked reader or writer notices a killed peer within a second and fails", "[codegen][shm]") {
  std::string err;
  Address addr;
  REQUIRE(parse_address("shm:" + temp_socket_path("shm-death"), addr, err));
  int lfd = listen_on(addr, err);
  REQUIRE(lfd >= 0);
  setenv("REMORA_SHM_RING_BYTES", "65536", 1);

  SECTION("the server's reader, when the guest process is killed") {
    pid_t child = fork();
    if (child == 0) {
      auto g = connect_to(addr, 2000, err);
      char byte = 1;
      if (g) g->send_all(&byte, 1);
      pause();
      _exit(0);
    }
    auto server = accept_from(lfd, addr);
    REQUIRE(server);
    char byte = 0;
    REQUIRE(server->recv_all(&byte, 1));  // the guest is attached
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kill(child, SIGKILL);
    });
    auto t = Clock::now();
    CHECK_FALSE(server->recv_all(&byte, 1));
    double waited = seconds_since(t);
    killer.join();
    waitpid(child, nullptr, 0);
    CHECK(waited < 1.1);  // 0.1 s before the kill, then at most one 100 ms sleep slice
  }
  SECTION("the guest's writer on a full ring, when the server process is killed") {
    pid_t child = fork();
    if (child == 0) {
      auto s = accept_from(lfd, addr);
      pause();
      _exit(0);
    }
    auto guest = connect_to(addr, 2000, err);
    REQUIRE(guest);
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      kill(child, SIGKILL);
    });
    auto big = pattern(65536 * 4, 9);  // more than fits: the writer waits for room
    auto t = Clock::now();
    CHECK_FALSE(guest->send_all(big.data(), big.size()));
    double waited = seconds_since(t);
    killer.join();
    waitpid(child, nullptr, 0);
    CHECK(waited < 1.1);
    // A reader fails at once now.
    char byte;
    CHECK_FALSE(guest->recv_all(&byte, 1));
  }
  unsetenv("REMORA_SHM_RING_BYTES");
  ::close(lfd);
  ::unlink(addr.path.c_str());
}

TEST_CASE("a peer's last words before it exits are still read", "[codegen][shm]") {
  ShmPair p;
  auto words = pattern(1000, 4);
  REQUIRE(p.server->send_all(words.data(), words.size()));
  p.server.reset();  // closes its socket, as a worker's exit does
  std::vector<unsigned char> got(words.size());
  REQUIRE(p.guest->recv_all(got.data(), got.size()));
  CHECK(got == words);
  char more;
  CHECK_FALSE(p.guest->recv_all(&more, 1));
}

TEST_CASE("a guest that scribbles over the shared control block only breaks its own stream", "[codegen][shm]") {
  std::string err;
  Address addr;
  std::string path = temp_socket_path("shm-hostile");
  REQUIRE(parse_address("shm:" + path, addr, err));
  int lfd = listen_on(addr, err);
  REQUIRE(lfd >= 0);
  std::unique_ptr<Stream> server;
  std::thread accept([&] { server = accept_from(lfd, addr); });
  // A hand-rolled guest: takes the memfd, maps it, overwrites every index and flag.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof(sa.sun_path) - 1);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  accept.join();
  REQUIRE(server);
  char msg[256];
  int mfd = -1;
  REQUIRE(recv_with_fd(fd, msg, sizeof msg, mfd) > 0);
  REQUIRE(mfd >= 0);
  struct stat st{};
  REQUIRE(::fstat(mfd, &st) == 0);
  CHECK(::ftruncate(mfd, 4096) != 0);  // sealed: the server's mapping cannot be cut short
  void* base = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  REQUIRE(base != MAP_FAILED);
  std::memset(static_cast<char*>(base) + 64, 0xff, 4096 - 64);  // all but the layout fields
  char buf[100];
  auto t = Clock::now();
  CHECK_FALSE(server->recv_all(buf, sizeof buf));  // an index past the ring: refused
  CHECK_FALSE(server->send_all(buf, sizeof buf));
  CHECK(seconds_since(t) < 1.1);
  ::munmap(base, static_cast<std::size_t>(st.st_size));
  ::close(mfd);
  ::close(fd);
  ::close(lfd);
  ::unlink(path.c_str());
}

TEST_CASE("a placed reference outside the data region breaks only the stream", "[codegen][shm]") {
  ShmPair p(65536, "", std::size_t{1} << 20);
  // A hostile guest's reference to 1 MiB at offset 512 KiB of the 1 MiB region.
  inject_guest_records(p, {(std::uint64_t{1} << 20) << 1 | 1, std::uint64_t{512} << 10, 0});
  char buf[64];
  auto t = Clock::now();
  CHECK_FALSE(p.server->recv_all(buf, sizeof buf));
  CHECK(seconds_since(t) < 1.1);
}

TEST_CASE("a guest of the other transport gets a clear failure, not a hang", "[codegen][shm]") {
  std::string err;
  SECTION("a unix: guest of an shm server reads a refusal naming shm:") {
    Address shm_addr, unix_addr;
    std::string path = temp_socket_path("shm-mismatch");
    REQUIRE(parse_address("shm:" + path, shm_addr, err));
    REQUIRE(parse_address("unix:" + path, unix_addr, err));
    int lfd = listen_on(shm_addr, err);
    REQUIRE(lfd >= 0);
    std::unique_ptr<Stream> server;
    std::thread accept([&] { server = accept_from(lfd, shm_addr); });
    auto guest = connect_to(unix_addr, 2000, err);
    accept.join();
    REQUIRE(guest);
    FrameHeader h;
    std::vector<unsigned char> body;
    REQUIRE(recv_frame(*guest, h, body) == FrameResult::Ok);
    CHECK(h.type == kMsgHelloFail);
    CHECK(std::string(body.begin(), body.end()).find("connect with shm:PATH") != std::string::npos);
    ::close(lfd);
    ::unlink(path.c_str());
  }
  SECTION("an shm: guest of a unix server times out with a hint") {
    Address shm_addr, unix_addr;
    std::string path = temp_socket_path("unix-mismatch");
    REQUIRE(parse_address("shm:" + path, shm_addr, err));
    REQUIRE(parse_address("unix:" + path, unix_addr, err));
    int lfd = listen_on(unix_addr, err);
    REQUIRE(lfd >= 0);
    auto guest = connect_to(shm_addr, 300, err);
    CHECK_FALSE(guest);
    CHECK(err.find("--listen shm:PATH") != std::string::npos);
    ::close(lfd);
    ::unlink(path.c_str());
  }
}

TEST_CASE("the delayed link adds its delay each way but never blocks the sender", "[codegen][shm][delay]") {
  for (std::string inner : {"", "unix"}) {
    Address addr;
    std::string err;
    std::string path = temp_socket_path("delay");
    // 50 ms each way: far above any scheduling noise.
    REQUIRE(parse_address("delay:50000:" + (inner.empty() ? "shm" : inner) + ":" + path, addr, err));
    int lfd = listen_on(addr, err);
    REQUIRE(lfd >= 0);
    std::unique_ptr<Stream> server;
    std::thread accept([&] { server = accept_from(lfd, addr); });
    auto guest = connect_to(addr, 2000, err);
    accept.join();
    REQUIRE(guest);
    REQUIRE(server);
    INFO("over " << (inner.empty() ? "shm" : inner));
    std::thread echo([&] {
      FrameHeader h;
      std::vector<unsigned char> body;
      while (recv_frame(*server, h, body) == FrameResult::Ok)
        if (!send_frame(*server, h.type, h.request, 0, body.data(), body.size())) break;
    });
    // Ten frames are queued at once (a link pipelines), then come back in order.
    auto t = Clock::now();
    for (unsigned i = 0; i < 10; ++i) {
      auto data = pattern(i == 5 ? (std::size_t{3} << 20) : 40, i);
      REQUIRE(send_frame(*guest, 1, i, 0, data.data(), data.size()));
    }
    double queued = seconds_since(t);
    bool in_order = true;
    for (unsigned i = 0; i < 10; ++i) {
      FrameHeader h;
      std::vector<unsigned char> body;
      REQUIRE(recv_frame(*guest, h, body) == FrameResult::Ok);
      in_order = in_order && h.request == i && body == pattern(i == 5 ? (std::size_t{3} << 20) : 40, i);
    }
    double round_trip = seconds_since(t);
    CHECK(in_order);
    CHECK(queued < 0.5);         // ten 50 ms waits would take 0.5 s
    CHECK(round_trip >= 0.1);    // out and back: at least twice the delay
    guest.reset();
    echo.join();
    server.reset();
    ::close(lfd);
    ::unlink(path.c_str());
  }
}

// The waiting policy (remora_shm_wait.h), with the peer simulated: no timing asserted.
TEST_CASE("a waiter spins only while its peer runs on another core and spinning pays",
          "[codegen][shm]") {
  shm_wait::SpinPolicy policy;
  for (int i = 0; i < 64; ++i) REQUIRE_FALSE(policy.should_spin(/*peer_elsewhere=*/false));
  REQUIRE(policy.should_spin(true));
  for (int i = 0; i < 8; ++i) policy.spun(false);  // no spin paid: stop spinning...
  int probes = 0;
  for (int i = 0; i < 64; ++i) probes += policy.should_spin(true);
  CHECK(probes == 4);  // ...except every 16th wait
  policy.spun(true);   // a probe that paid: spin again
  CHECK(policy.should_spin(true));
}

TEST_CASE("a waiter notes its core, returns once ready, and gives up at its deadline",
          "[codegen][shm]") {
  shm_wait::SpinPolicy policy;
  std::atomic<std::int32_t> mine{-1}, peers{-1};
  int polls = 0;
  auto start = shm_wait::Clock::now();
  CHECK(shm_wait::spin_then_yield([&] { return ++polls >= 5; }, policy, mine, peers, start,
                                  start + std::chrono::seconds(10)));
  CHECK(polls >= 5);
  CHECK(mine.load() >= 0);  // where it ran, for the peer's policy
  // Never ready: it returns false by the deadline (the caller then sleeps on the futex).
  start = shm_wait::Clock::now();
  CHECK_FALSE(shm_wait::spin_then_yield([] { return false; }, policy, mine, peers, start,
                                        start + std::chrono::milliseconds(1)));
}
