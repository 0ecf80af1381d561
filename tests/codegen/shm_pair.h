// Test fixtures of the shm: transport: a guest and a server connected over shm:PATH in
// this process, payload patterns, and a request read the way the worker reads it.
#pragma once

#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "remora_transport.h"
#include "stack_fixture.h"

namespace remora::test {

// A listener on shm:PATH with ring size `ring` (REMORA_SHM_RING_BYTES is read per accept).
struct ShmPair {
  Address addr;
  int lfd = -1;
  std::unique_ptr<Stream> guest, server;

  explicit ShmPair(std::size_t ring = 65536, const std::string& prefix = "", std::size_t data = 0) {
    std::string err;
    REQUIRE(parse_address(prefix + "shm:" + temp_socket_path("shm"), addr, err));
    lfd = listen_on(addr, err);
    REQUIRE(lfd >= 0);
    setenv("REMORA_SHM_RING_BYTES", std::to_string(ring).c_str(), 1);
    if (data) setenv("REMORA_SHM_DATA_BYTES", std::to_string(data).c_str(), 1);
    std::thread accept([&] { server = accept_from(lfd, addr); });
    guest = connect_to(addr, 2000, err);
    accept.join();
    unsetenv("REMORA_SHM_RING_BYTES");
    unsetenv("REMORA_SHM_DATA_BYTES");
    INFO(err);
    REQUIRE(guest);
    REQUIRE(server);
  }
  ~ShmPair() {
    guest.reset();
    server.reset();
    ::close(lfd);
    ::unlink(addr.path.c_str());
  }
};

inline std::vector<unsigned char> pattern(std::size_t n, unsigned seed) {
  std::vector<unsigned char> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<unsigned char>((i * 131 + seed * 7919) >> 3);
  return v;
}

// A request with a large trailer as the guest runtime sends it, read as the worker does:
// the fields, then the trailer in place when the transport placed it.
struct Received {
  std::vector<unsigned char> fields;
  PooledBuffer placed;
  std::vector<unsigned char> copied;
};
inline bool receive_request(Stream& s, Received& r) {
  FrameHeader h;
  if (recv_header(s, h) != FrameResult::Ok) return false;
  r.fields.resize(h.length - h.bulk);
  if (!r.fields.empty() && !s.recv_all(r.fields.data(), r.fields.size())) return false;
  r.placed = s.recv_placed(h.bulk);
  if (r.placed) return true;
  r.copied.resize(h.bulk);
  return s.recv_all(r.copied.data(), h.bulk);
}

// Words written straight into the guest -> server ring of a ShmPair(65536, "", 1 MiB), as
// a hostile guest could. Layout: a 4 KiB header (ring[0]'s head at byte 64), ring[0] data,
// ring[1] data, the g->s region, the s->g region; the server's first placed block starts
// the latter (its payload after a 64-byte header).
inline void inject_guest_records(ShmPair& p, std::initializer_list<std::uint64_t> words) {
  REQUIRE(p.guest->send_all("x", 1));
  char one;
  REQUIRE(p.server->recv_all(&one, 1));
  PooledBuffer mine = p.server->placed_buffer(65536, false);
  REQUIRE(mine);
  unsigned char* shm = mine.data() - 64 - (std::size_t{1} << 20) - 2 * 65536 - 4096;
  auto* head = reinterpret_cast<std::atomic<std::uint64_t>*>(shm + 64);
  const std::uint64_t at = head->load();
  std::memcpy(shm + 4096 + (at & 65535), words.begin(), words.size() * sizeof(std::uint64_t));
  head->store(at + words.size() * sizeof(std::uint64_t));
}

}  // namespace remora::test
