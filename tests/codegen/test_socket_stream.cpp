// SocketStream::recv_vec: a request's fields and bulk trailer in one recvmsg, as the
// server's serve loop reads them. What must hold: the pieces fill in order however the
// bytes arrive, and not one byte of the next frame is taken.
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "remora_transport.h"

TEST_CASE("recv_vec fills fields and trailer across partial reads and leaves the next frame's bytes",
          "[codegen][transport]") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  remora::SocketStream reader(fds[0]), writer(fds[1]);
  const std::size_t fields = 13, trailer = 300 * 1024 + 7;  // more than the socket buffers
  std::vector<unsigned char> sent(fields + trailer + 5);
  for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<unsigned char>(i * 31 + 7);
  // Dribbled in odd sizes, so that recvmsg returns partly filled pieces.
  bool sent_all = true;  // Catch's assertions are not for other threads
  std::thread t([&] {
    for (std::size_t at = 0, step = 1; at < sent.size(); at += step, step = step * 3 % 65521 + 1)
      sent_all = sent_all && writer.send_all(sent.data() + at, std::min(step, sent.size() - at));
  });
  std::vector<unsigned char> f(fields), b(trailer), next(5);
  iovec parts[3] = {{nullptr, 0}, {f.data(), fields}, {b.data(), trailer}};  // an empty piece is skipped
  CHECK(reader.recv_vec(parts, 3));
  CHECK(reader.recv_all(next.data(), next.size()));
  t.join();
  CHECK(sent_all);
  CHECK(std::memcmp(f.data(), sent.data(), fields) == 0);
  CHECK(std::memcmp(b.data(), sent.data() + fields, trailer) == 0);
  CHECK(std::memcmp(next.data(), sent.data() + fields + trailer, next.size()) == 0);
}

TEST_CASE("recv_vec reports a peer that hangs up in the middle of a piece", "[codegen][transport]") {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  remora::SocketStream reader(fds[0]);
  unsigned char some[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  REQUIRE(::write(fds[1], some, sizeof some) == static_cast<ssize_t>(sizeof some));
  ::close(fds[1]);
  std::vector<unsigned char> f(4), b(100);
  iovec parts[2] = {{f.data(), f.size()}, {b.data(), b.size()}};
  CHECK_FALSE(reader.recv_vec(parts, 2));
}
