// Remora runtime: transports. A transport is a blocking byte stream with
// send_all/recv_all; framing lives on top of it (send_frame/recv_frame).
// Implemented: unix:PATH and tcp:HOST:PORT. The Stream interface is the seam
// for shm: (shared-memory rings + doorbell) and vsock:CID:PORT.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "remora_wire.h"

namespace remora {

struct Address {
  enum class Kind { Unix, Tcp } kind = Kind::Unix;
  std::string path;  // unix
  std::string host;  // tcp
  int port = 0;      // tcp
  std::string text;  // as written
};

// "unix:/tmp/x.sock" | "tcp:127.0.0.1:7000". False + error text on a bad spelling.
bool parse_address(const std::string& text, Address& out, std::string& error);

class Stream {
 public:
  virtual ~Stream() = default;
  virtual bool send_all(const void* p, std::size_t n) = 0;
  virtual bool recv_all(void* p, std::size_t n) = 0;
  // Waits until data can be read; false on timeout. timeout_ms < 0: forever.
  virtual bool wait_readable(int timeout_ms) = 0;
  virtual int fd() const = 0;
  virtual void shutdown_both() = 0;
};

// A socket-backed stream (unix and tcp).
class SocketStream : public Stream {
 public:
  explicit SocketStream(int fd) : fd_(fd) {}
  ~SocketStream() override;
  bool send_all(const void* p, std::size_t n) override;
  bool recv_all(void* p, std::size_t n) override;
  bool wait_readable(int timeout_ms) override;
  int fd() const override { return fd_; }
  void shutdown_both() override;

 private:
  int fd_;
};

// Connects with a timeout (milliseconds). Null + error text on failure.
std::unique_ptr<Stream> connect_to(const Address& a, int timeout_ms, std::string& error);

// Listening socket; -1 + error text on failure. Replaces a stale unix socket (one
// nobody answers on); never a live server's socket or a file that is not a socket.
int listen_on(const Address& a, std::string& error);
std::unique_ptr<Stream> accept_from(int listen_fd);

// Framing. recv_frame rejects a bad magic or a body over max_message_bytes().
bool send_frame(Stream& s, std::uint32_t type, std::uint32_t request, std::uint32_t flags,
                const void* body, std::size_t n);
enum class FrameResult { Ok, Closed, BadMagic, TooLarge };
// `limit` (0: the message limit) bounds this frame lower, e.g. a hello before the handshake.
FrameResult recv_frame(Stream& s, FrameHeader& h, std::vector<unsigned char>& body, std::uint64_t limit = 0);

}  // namespace remora
