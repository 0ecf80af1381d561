// Test fixtures of the shm: transport: a guest and a server connected over shm:PATH in
// this process, payload patterns, and a request read the way the worker reads it.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
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

}  // namespace remora::test
