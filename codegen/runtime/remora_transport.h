// Remora runtime: transports. A transport is a blocking byte stream with
// send_all/recv_all; framing lives on top of it (send_frame/recv_frame).
// Implemented: unix:PATH, tcp:HOST:PORT, shm:PATH (shared-memory rings, see
// remora_shm_transport.h), vsock:CID:PORT (AF_VSOCK, see remora_vsock_transport.h) and
// virtio-serial:NAME|PATH (through remora-guestd, see remora_virtio_serial_transport.h).
// Test-only: delay:MICROSECONDS:ADDRESS (or REMORA_TEST_DELAY_US) makes the guest's
// link slow, see remora_delay_stream.h.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "remora_buffer_pool.h"
#include "remora_env.h"
#include "remora_wire.h"

namespace remora {

struct Address {
  enum class Kind { Unix, Tcp, Shm, Vsock, VirtioSerial } kind = Kind::Unix;
  std::string path;  // unix, shm (the unix socket the guest connects to); virtio-serial: the port
                     // NAME (guest) or the unix socket QEMU's chardev connects to (server)
  std::string host;  // tcp
  int port = 0;      // tcp
  unsigned vsock_cid = 0;   // vsock: the context id; 0xFFFFFFFF (VMADDR_CID_ANY) for vsock:ANY
  unsigned vsock_port = 0;  // vsock: a 32-bit port
  std::string text;  // as written
  long delay_us = 0; // delay:N: prefix (test only)
};

// "unix:/tmp/x.sock" | "tcp:127.0.0.1:7000" | "shm:/tmp/x.sock" | "vsock:2:7000" (guest: CID 2
// is the host) | "vsock:ANY:7000" or "vsock:-1:7000" (server: any CID) | "virtio-serial:org.remora.0"
// (guest: a port name) or "virtio-serial:/run/remora/vm0.serial" (server) | "delay:100:unix:/tmp/x.sock".
// False + error text on a bad spelling.
bool parse_address(const std::string& text, Address& out, std::string& error);

class Stream {
 public:
  virtual ~Stream() = default;
  virtual bool send_all(const void* p, std::size_t n) = 0;
  virtual bool recv_all(void* p, std::size_t n) = 0;
  // Sends the pieces in order, from where they are (no staging copy). The pieces may be
  // modified (advanced past what was sent). The default sends them one by one.
  virtual bool send_vec(iovec* pieces, int count);
  // Fills the pieces in order (a request's fields and its bulk trailer, whose lengths the
  // header gave). The pieces may be modified. The default fills them one by one.
  virtual bool recv_vec(iovec* pieces, int count);
  // Waits until data can be read; false on timeout. timeout_ms < 0: forever.
  virtual bool wait_readable(int timeout_ms) = 0;
  virtual int fd() const = 0;
  virtual void shutdown_both() = 0;
  // Reads what is there, at least one byte (waits for it), at most n; 0 when closed.
  virtual std::size_t recv_some(void* p, std::size_t n) { return n && recv_all(p, 1) ? 1 : 0; }

  // Payload placement, for transports whose peer maps the same memory (shm:). The
  // defaults are those of a byte stream: nothing is placed, everything is copied.
  //
  // send_vec where pieces [trailer_from, count) are a frame's bulk trailer: the transport
  // may place the trailer where the peer can use it in place (see recv_placed).
  virtual bool send_vec_trailer(iovec* pieces, int count, int /*trailer_from*/) { return send_vec(pieces, count); }
  // Memory for `bytes` that the peer can read in place: a frame whose trailer piece lies
  // in it is sent without copying that piece. Empty: none (use your own memory).
  // peer_waits: the peer is waiting for these bytes while they are written (a blocking
  // call's output); a transport may then prefer to stream large ones (ShmStream).
  virtual PooledBuffer placed_buffer(std::size_t /*bytes*/, bool /*peer_waits*/) { return {}; }
  // The next n bytes of the stream borrowed in place, when the peer placed exactly them
  // (a whole trailer) in shared memory; released when the buffer is destroyed. Empty:
  // read them with recv_all. The peer can still write that memory: use it only for
  // bytes whose contents this process does not check (see Worker::take_buffer).
  virtual PooledBuffer recv_placed(std::size_t /*n*/) { return {}; }
  // Whether recv_placed can ever lend memory: then a frame's fields must be read before
  // its trailer is asked for (recv_vec cannot take both at once).
  virtual bool places_payloads() const { return false; }
  // Guest: the next request's output lands at [p, p + n), or its input is there. A
  // transport that shares the program's pages with the server may get them ready
  // (ShmStream: remora_shared_pages.h). True: [p, p + n) lies in shared pages now.
  virtual bool prepare_shared(const void* /*p*/, std::size_t /*n*/) { return false; }
  // Guest: which of the next frame's large inputs may be read by the server where the
  // program keeps them, after the call has returned: all of them (`all`: a call that waits
  // for its reply), or those that start at one of `kept` (a non-blocking call's inputs the
  // API says the program leaves alone until its command completes: retain "command").
  virtual void share_next_inputs(bool /*all*/, std::span<const void* const> /*kept*/ = {}) {}
  // Server: the guest's own memory [guest_addr, guest_addr + bytes), where the transport
  // shares it: what the library writes there is in the program's buffer already. Null: none.
  virtual unsigned char* guest_window(std::uint64_t /*guest_addr*/, std::size_t /*bytes*/) { return nullptr; }
};

// SO_SNDBUF/SO_RCVBUF of a unix socket stream unless REMORA_SOCKET_BUFFER_BYTES says:
// large enough for a whole 4 MiB transfer piece (remora_transport.cpp says why).
inline constexpr std::uint64_t kUnixSocketBufferBytes = std::uint64_t{4} << 20;
// The socket buffer size asked for: REMORA_SOCKET_BUFFER_BYTES, else kUnixSocketBufferBytes
// (0: the kernel's). Read once; the bulk benchmark sizes its raw socket with it too.
inline std::uint64_t socket_buffer_bytes() {
  static const std::uint64_t bytes =
      env_number("REMORA_SOCKET_BUFFER_BYTES", kUnixSocketBufferBytes, {0, std::uint64_t{1} << 30, EnvUnit::Bytes});
  return bytes;
}

// A socket-backed stream (unix and tcp).
class SocketStream : public Stream {
 public:
  // Sizes a unix socket's buffers (kUnixSocketBufferBytes; REMORA_SOCKET_BUFFER_BYTES).
  explicit SocketStream(int fd);
  ~SocketStream() override;
  bool send_all(const void* p, std::size_t n) override;
  bool recv_all(void* p, std::size_t n) override;
  bool send_vec(iovec* pieces, int count) override;  // sendmsg: one system call for a frame
  bool recv_vec(iovec* pieces, int count) override;  // recvmsg: fields and trailer together
  bool wait_readable(int timeout_ms) override;
  int fd() const override { return fd_; }
  void shutdown_both() override;
  std::size_t recv_some(void* p, std::size_t n) override;

 private:
  void yield_until_readable() const;  // REMORA_SOCKET_YIELD_US (remora_transport.cpp)
  int fd_;
};

// Non-blocking connect of `fd` bounded by timeout_ms, then back to blocking mode; false +
// error text on failure (the caller closes fd). Shared by the socket transports.
bool connect_with_timeout(int fd, const sockaddr* sa, socklen_t len, int timeout_ms, std::string& error);

// Connects with a timeout (milliseconds). Null + error text on failure.
// REMORA_TEST_DELAY_US=N (or a delay:N: address) wraps the stream in a delayed link.
std::unique_ptr<Stream> connect_to(const Address& a, int timeout_ms, std::string& error);

// Listening socket; -1 + error text on failure. Replaces a stale unix socket (one
// nobody answers on); never a live server's socket or a file that is not a socket.
int listen_on(const Address& a, std::string& error);
std::unique_ptr<Stream> accept_from(int listen_fd);
// The same for the listener of `a`: over shm: it also sets up the guest's shared memory.
std::unique_ptr<Stream> accept_from(int listen_fd, const Address& a);

// Framing. A frame without a bulk trailer:
bool send_frame(Stream& s, std::uint32_t type, std::uint32_t request, std::uint32_t flags,
                const void* body, std::size_t n);
// A frame made of the writers' fields in order, then the trailer of all their bulk
// buffers in the same order; everything goes from where it is, in one sendmsg.
bool send_message(Stream& s, std::uint32_t type, std::uint32_t request, std::uint32_t flags,
                  std::initializer_list<const Writer*> parts);
// The same, preceded in the same sendmsg by `before` (whole frames already encoded, the
// guest's batch of calls sent without a reply), so the batch costs no extra system call.
bool send_message_after(Stream& s, const unsigned char* before, std::size_t before_len, std::uint32_t type,
                        std::uint32_t request, std::uint32_t flags, std::initializer_list<const Writer*> parts);
// Appends a whole frame without a bulk trailer (header, then the writer's fields) to `batch`.
void append_frame(Writer& batch, std::uint32_t type, std::uint32_t request, std::uint32_t flags, const Writer& fields);
// BadBulk: the header claims a trailer longer than the body.
enum class FrameResult { Ok, Closed, BadMagic, TooLarge, BadBulk };
// Reads a header and checks it (magic, body over max_message_bytes(), trailer within the
// body); the caller reads the body. TooLarge: the body is still in the stream.
FrameResult recv_header(Stream& s, FrameHeader& h);
// A whole frame (fields and trailer) into `body`, which grows as the bytes arrive.
// `limit` (0: the message limit) bounds this frame lower, e.g. a hello before the handshake.
FrameResult recv_frame(Stream& s, FrameHeader& h, std::vector<unsigned char>& body, std::uint64_t limit = 0);
// Reads and drops n bytes (a body nobody will use).
bool skip_bytes(Stream& s, std::uint64_t n);

}  // namespace remora
