#include "remora_transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "remora_delay_stream.h"
#include "remora_env.h"
#include "remora_shm_transport.h"
#include "remora_virtio_serial_transport.h"
#include "remora_vsock_transport.h"

namespace remora {

std::uint64_t max_message_bytes() {
  // A frame's length is 32 bits: a message over 4 GiB could not be framed.
  static const std::uint64_t limit =
      env_number("REMORA_MAX_MESSAGE", std::uint64_t{1} << 30, {4096, UINT32_MAX, EnvUnit::Bytes});
  return limit;
}

bool parse_address(const std::string& text, Address& out, std::string& error) {
  out = Address{};
  out.text = text;
  if (text.rfind("delay:", 0) == 0) {
    char* end = nullptr;
    long us = std::strtol(text.c_str() + 6, &end, 10);
    if (end == text.c_str() + 6 || *end != ':' || us < 0 || us > 10000000) {
      error = "expected delay:MICROSECONDS:ADDRESS, got '" + text + "'";
      return false;
    }
    if (!parse_address(end + 1, out, error)) return false;
    out.delay_us = us;
    out.text = text;
    return true;
  }
  if (text.rfind("unix:", 0) == 0 || text.rfind("shm:", 0) == 0) {
    bool shm = text[0] == 's';
    out.kind = shm ? Address::Kind::Shm : Address::Kind::Unix;
    out.path = text.substr(shm ? 4 : 5);
    if (out.path.empty() || out.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
      error = std::string(shm ? "shm" : "unix") + " socket path is empty or too long in '" + text + "'";
      return false;
    }
    return true;
  }
  if (text.rfind("tcp:", 0) == 0) {
    out.kind = Address::Kind::Tcp;
    std::string rest = text.substr(4);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
      error = "expected tcp:HOST:PORT, got '" + text + "'";
      return false;
    }
    out.host = rest.substr(0, colon);
    char* end = nullptr;
    long port = std::strtol(rest.c_str() + colon + 1, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) {
      error = "bad TCP port in '" + text + "'";
      return false;
    }
    out.port = static_cast<int>(port);
    return true;
  }
  if (text.rfind("vsock:", 0) == 0) {
    out.kind = Address::Kind::Vsock;
    std::string rest = text.substr(6);
    auto colon = rest.find(':');
    std::string cid = rest.substr(0, colon);
    char* end = nullptr;
    unsigned long long c = std::strtoull(cid.c_str(), &end, 10);
    if (cid == "ANY" || cid == "any" || cid == "-1") {
      out.vsock_cid = 0xFFFFFFFFu;  // VMADDR_CID_ANY: a server accepting from every guest
    } else if (colon == std::string::npos || cid.empty() || *end != '\0' || c >= 0xFFFFFFFFull) {
      error = "expected vsock:CID:PORT (CID a number, 2 for the host, or ANY on a server), got '" + text + "'";
      return false;
    } else {
      out.vsock_cid = static_cast<unsigned>(c);
    }
    std::string port = colon == std::string::npos ? "" : rest.substr(colon + 1);
    unsigned long long p = std::strtoull(port.c_str(), &end, 10);
    // 0xFFFFFFFF is VMADDR_PORT_ANY, which names no port to meet at.
    if (port.empty() || port[0] == '-' || *end != '\0' || p == 0 || p >= 0xFFFFFFFFull) {
      error = "bad vsock port in '" + text + "' (expected 1 to 4294967294)";
      return false;
    }
    out.vsock_port = static_cast<unsigned>(p);
    return true;
  }
  if (text.rfind("virtio-serial:", 0) == 0) {
    out.kind = Address::Kind::VirtioSerial;
    out.path = text.substr(14);
    if (out.path.empty() || out.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
      error = "expected virtio-serial:NAME (guest: the port name) or virtio-serial:PATH (server: the socket "
              "QEMU's chardev connects to), got '" + text + "'";
      return false;
    }
    return true;
  }
  error = "unknown address '" + text +
          "' (expected unix:PATH, shm:PATH, tcp:HOST:PORT, vsock:CID:PORT or virtio-serial:NAME)";
  return false;
}

// SO_SNDBUF and SO_RCVBUF of a unix socket: 4 MiB by default (REMORA_SOCKET_BUFFER_BYTES=N
// on either side sets N bytes for every socket stream; 0 keeps the kernel's ~208 KiB). A
// transfer is one hand-off between the two processes per buffer-full; with a buffer that
// holds a whole 4 MiB piece the worker's send of piece k returns at once and the library's
// copy of piece k+1 overlaps the guest's copy-out of k. On an idle 2-core host that took
// blocking 16-64 MiB transfers from 49-65% to 66-82% of the raw socket (the faster of its
// default and 4 MiB buffers; bench/codegen/README.md, "Socket buffers sized for a piece"),
// 4 MiB from 61-65% to 70-72%, and 256 KiB-1 MiB alike; on a host whose cores were all
// busy it cost 10-40% (session 8): there =0 is the remedy.
// The kernel caps the size at net.core.wmem_max/rmem_max (212992 on a stock kernel: raise
// them to get the gain). TCP keeps its own sizing unless the variable is set: a fixed
// buffer turns its autotuning off.
SocketStream::SocketStream(int fd) : fd_(fd) {
  const std::uint64_t asked = socket_buffer_bytes();
  static const bool set_explicitly = std::getenv("REMORA_SOCKET_BUFFER_BYTES") != nullptr;
  if (asked == 0 || fd_ < 0) return;
  int domain = 0;
  socklen_t len = sizeof domain;
  const bool unix_socket = ::getsockopt(fd_, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 && domain == AF_UNIX;
  if (!unix_socket && !set_explicitly) return;
  const int bytes = static_cast<int>(asked);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);  // best effort: a refusal keeps the default
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

SocketStream::~SocketStream() {
  if (fd_ >= 0) ::close(fd_);
}

bool SocketStream::send_all(const void* p, std::size_t n) {
  const char* b = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t k = ::send(fd_, b, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    b += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

// REMORA_SOCKET_YIELD_US=N (opt-in, default 0): before a read would block, poll the
// socket between sched_yield() calls for up to N us (at most 1000), as the shm transport's
// waits do (remora_shm_wait.h). Where the peer answers within N us the waiter never sleeps:
// on a host whose idle cores sleep deeply every sleep is a slow wake-up (the idle-host
// figures in bench/codegen/README.md), and on a busy one a yield hands the CPU to the
// peer. Past N us it blocks as before.
void SocketStream::yield_until_readable() const {
  static const auto budget =
      std::chrono::microseconds(env_number("REMORA_SOCKET_YIELD_US", 0, {0, 1000}));
  if (budget.count() == 0) return;
  const auto end = std::chrono::steady_clock::now() + budget;
  pollfd pfd{fd_, POLLIN, 0};
  while (::poll(&pfd, 1, 0) == 0 && std::chrono::steady_clock::now() < end) ::sched_yield();
}

bool SocketStream::recv_all(void* p, std::size_t n) {
  char* b = static_cast<char*>(p);
  if (n > 0) yield_until_readable();
  while (n > 0) {
    ssize_t k = ::recv(fd_, b, n, 0);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    b += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool Stream::send_vec(iovec* pieces, int count) {
  for (int i = 0; i < count; ++i)
    if (!send_all(pieces[i].iov_base, pieces[i].iov_len)) return false;
  return true;
}

bool Stream::recv_vec(iovec* pieces, int count) {
  for (int i = 0; i < count; ++i)
    if (pieces[i].iov_len && !recv_all(pieces[i].iov_base, pieces[i].iov_len)) return false;
  return true;
}

namespace {

// Advances the pieces past `done` bytes that went through; a partly done piece continues
// where it stopped. Returns the number of pieces left.
int advance_pieces(iovec*& pieces, int count, std::size_t done) {
  while (count > 0 && done >= pieces->iov_len) {
    done -= pieces->iov_len;
    ++pieces;
    --count;
  }
  if (count > 0) {
    pieces->iov_base = static_cast<char*>(pieces->iov_base) + done;
    pieces->iov_len -= done;
  }
  return count;
}

}  // namespace

// One sendmsg per frame: header, fields and bulk buffers go from where they are (socket
// buffers: the constructor).
bool SocketStream::send_vec(iovec* pieces, int count) {
  while (count > 0) {
    msghdr m{};
    m.msg_iov = pieces;
    m.msg_iovlen = static_cast<std::size_t>(count < IOV_MAX ? count : IOV_MAX);
    ssize_t k = ::sendmsg(fd_, &m, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    count = advance_pieces(pieces, count, static_cast<std::size_t>(k));  // skip what went out
  }
  return true;
}

// One recvmsg fills the fields and the trailer as they come: a request with bulk bytes
// costs one system call less than reading its fields first (each ~1 us on a loaded host,
// a tenth of a small transfer's round trip). Only the pieces the header announced are
// asked for, so no byte of the next frame is taken.
bool SocketStream::recv_vec(iovec* pieces, int count) {
  while (count > 0 && pieces->iov_len == 0) ++pieces, --count;
  if (count > 0) yield_until_readable();
  while (count > 0) {
    msghdr m{};
    m.msg_iov = pieces;
    m.msg_iovlen = static_cast<std::size_t>(count < IOV_MAX ? count : IOV_MAX);
    ssize_t k = ::recvmsg(fd_, &m, 0);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    count = advance_pieces(pieces, count, static_cast<std::size_t>(k));
  }
  return true;
}

bool SocketStream::wait_readable(int timeout_ms) {
  if (timeout_ms != 0) yield_until_readable();
  pollfd pfd{fd_, POLLIN, 0};
  for (;;) {
    int r = ::poll(&pfd, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

void SocketStream::shutdown_both() { ::shutdown(fd_, SHUT_RDWR); }

std::size_t SocketStream::recv_some(void* p, std::size_t n) {
  for (;;) {
    ssize_t k = ::recv(fd_, p, n, 0);
    if (k < 0 && errno == EINTR) continue;
    return k > 0 ? static_cast<std::size_t>(k) : 0;
  }
}

// Non-blocking connect bounded by timeout_ms, then back to blocking mode.
bool connect_with_timeout(int fd, const sockaddr* sa, socklen_t len, int timeout_ms, std::string& error) {
  int flags = ::fcntl(fd, F_GETFL, 0);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  int r = ::connect(fd, sa, len);
  if (r < 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    return false;
  }
  if (r < 0) {
    pollfd pfd{fd, POLLOUT, 0};
    int pr;
    do pr = ::poll(&pfd, 1, timeout_ms);
    while (pr < 0 && errno == EINTR);
    if (pr == 0) {
      error = "connection timed out";
      return false;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (pr < 0 || soerr != 0) {
      error = std::strerror(soerr ? soerr : errno);
      return false;
    }
  }
  ::fcntl(fd, F_SETFL, flags);
  return true;
}

namespace {
std::unique_ptr<Stream> connect_direct(const Address& a, int timeout_ms, std::string& error);
}

std::unique_ptr<Stream> connect_to(const Address& a, int timeout_ms, std::string& error) {
  auto s = connect_direct(a, timeout_ms, error);
  long delay_us = a.delay_us;
  if (delay_us == 0)
    delay_us = static_cast<long>(env_number("REMORA_TEST_DELAY_US", 0, {0, 10'000'000}));
  if (s && delay_us > 0) return make_delay_stream(std::move(s), delay_us);
  return s;
}

namespace {
std::unique_ptr<Stream> connect_direct(const Address& a, int timeout_ms, std::string& error) {
  if (a.kind == Address::Kind::Vsock) return vsock_connect(a, timeout_ms, error);
  if (a.kind == Address::Kind::VirtioSerial) return virtio_serial_connect(a, timeout_ms, error);
  if (a.kind != Address::Kind::Tcp) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = std::strerror(errno);
      return nullptr;
    }
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, a.path.c_str(), sizeof(sa.sun_path) - 1);
    auto start = std::chrono::steady_clock::now();
    if (!connect_with_timeout(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa, timeout_ms, error)) {
      ::close(fd);
      return nullptr;
    }
    if (a.kind == Address::Kind::Shm) {
      auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      return shm_attach(fd, std::max(1, timeout_ms - static_cast<int>(spent.count())), error);
    }
    return std::make_unique<SocketStream>(fd);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(a.port);
  if (int rc = ::getaddrinfo(a.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    error = ::gai_strerror(rc);
    return nullptr;
  }
  error = "no address";
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect_with_timeout(fd, ai->ai_addr, ai->ai_addrlen, timeout_ms, error)) {
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(res);
      return std::make_unique<SocketStream>(fd);
    }
    ::close(fd);
  }
  ::freeaddrinfo(res);
  return nullptr;
}
}  // namespace

int listen_on(const Address& a, std::string& error) {
  if (a.kind == Address::Kind::Vsock) return vsock_listen(a, error);
  if (a.kind == Address::Kind::VirtioSerial) return virtio_serial_listen(a, error);
  if (a.kind != Address::Kind::Tcp) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      error = std::strerror(errno);
      return -1;
    }
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    if (a.path.size() >= sizeof(sa.sun_path)) {
      error = "cannot listen on " + a.text + ": the path is longer than " +
              std::to_string(sizeof(sa.sun_path) - 1) + " bytes";
      ::close(fd);
      return -1;
    }
    std::strncpy(sa.sun_path, a.path.c_str(), sizeof(sa.sun_path) - 1);
    int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    if (bound < 0 && errno == EADDRINUSE) {
      // Something is at the path. Only a socket nobody answers on (a crashed
      // server's leftover) is replaced: a live server keeps its socket, and a
      // file that is not a socket is never deleted.
      struct stat st{};
      bool is_socket = ::lstat(a.path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
      int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      bool live = probe >= 0 && ::connect(probe, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
      if (probe >= 0) ::close(probe);
      if (live || !is_socket) {
        error = "cannot listen on " + a.text + ": " +
                (live ? std::string("another server is already listening there (stop it, or choose another path)")
                      : std::string("the path exists and is not a socket (remove it, or choose another path)"));
        ::close(fd);
        return -1;
      }
      ::unlink(a.path.c_str());
      bound = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    }
    if (bound < 0 || ::listen(fd, 64) < 0) {
      error = "cannot listen on " + a.text + ": " + std::strerror(errno);
      ::close(fd);
      return -1;
    }
    return fd;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  std::string port = std::to_string(a.port);
  if (int rc = ::getaddrinfo(a.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    error = ::gai_strerror(rc);
    return -1;
  }
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 64) == 0) {
      ::freeaddrinfo(res);
      return fd;
    }
    error = "cannot listen on " + a.text + ": " + std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(res);
  return -1;
}

std::unique_ptr<Stream> accept_from(int listen_fd) {
  for (;;) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0 && errno == EINTR) return nullptr;  // let the caller reap children
    if (fd < 0) return nullptr;
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // fails harmlessly on unix
    return std::make_unique<SocketStream>(fd);
  }
}

std::unique_ptr<Stream> accept_from(int listen_fd, const Address& a) {
  if (a.kind == Address::Kind::VirtioSerial) return virtio_serial_accept(listen_fd);
  if (a.kind != Address::Kind::Shm) return accept_from(listen_fd);
  int fd;
  do fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  while (fd < 0 && errno == ECONNABORTED);
  if (fd < 0) return nullptr;
  std::string error;
  auto s = shm_serve(fd, error);
  if (!s) std::fprintf(stderr, "remora: a guest could not be served over %s: %s\n", a.text.c_str(), error.c_str());
  return s;
}

bool send_frame(Stream& s, std::uint32_t type, std::uint32_t request, std::uint32_t flags,
                const void* body, std::size_t n) {
  FrameHeader h;
  h.length = static_cast<std::uint32_t>(n);
  h.type = type;
  h.request = request;
  h.flags = flags;
  if (n > max_message_bytes()) return false;
  iovec parts[2] = {{&h, sizeof h}, {const_cast<void*>(body), n}};
  return s.send_vec(parts, n ? 2 : 1);
}

bool send_message(Stream& s, std::uint32_t type, std::uint32_t request, std::uint32_t flags,
                  std::initializer_list<const Writer*> parts) {
  return send_message_after(s, nullptr, 0, type, request, flags, parts);
}

void append_frame(Writer& batch, std::uint32_t type, std::uint32_t request, std::uint32_t flags, const Writer& fields) {
  FrameHeader h;
  h.type = type;
  h.request = request;
  h.flags = flags;
  h.length = static_cast<std::uint32_t>(fields.size());
  batch.put_raw(&h, sizeof h);
  batch.put_raw(fields.data(), fields.size());
}

bool send_message_after(Stream& s, const unsigned char* before, std::size_t before_len, std::uint32_t type,
                        std::uint32_t request, std::uint32_t flags, std::initializer_list<const Writer*> parts) {
  static const unsigned char kZeros[kBulkAlign] = {};
  thread_local std::vector<iovec> pieces;
  FrameHeader h;
  h.type = type;
  h.request = request;
  h.flags = flags;
  pieces.clear();
  if (before_len) pieces.push_back({const_cast<unsigned char*>(before), before_len});
  pieces.push_back({&h, sizeof h});
  std::uint64_t fields = 0, trailer = 0;
  for (const Writer* w : parts) {
    if (w->size()) pieces.push_back({const_cast<unsigned char*>(w->data()), w->size()});
    fields += w->size();
  }
  const int trailer_from = static_cast<int>(pieces.size());
  for (const Writer* w : parts)
    for (const BulkSegment& b : w->bulk()) {
      std::uint64_t at = bulk_align(trailer);
      if (at > trailer) pieces.push_back({const_cast<unsigned char*>(kZeros), static_cast<std::size_t>(at - trailer)});
      if (b.size) pieces.push_back({const_cast<void*>(b.data), static_cast<std::size_t>(b.size)});
      trailer = at + b.size;
    }
  if (fields + trailer > max_message_bytes() || fields + trailer > UINT32_MAX) return false;
  h.length = static_cast<std::uint32_t>(fields + trailer);
  h.bulk = static_cast<std::uint32_t>(trailer);
  return s.send_vec_trailer(pieces.data(), static_cast<int>(pieces.size()), trailer_from);
}

FrameResult recv_header(Stream& s, FrameHeader& h) {
  if (!s.recv_all(&h, sizeof h)) return FrameResult::Closed;
  if (h.magic != kMagic) return FrameResult::BadMagic;
  if (h.length > max_message_bytes()) return FrameResult::TooLarge;
  if (h.bulk > h.length) return FrameResult::BadBulk;
  return FrameResult::Ok;
}

FrameResult recv_frame(Stream& s, FrameHeader& h, std::vector<unsigned char>& body, std::uint64_t limit) {
  FrameResult r = recv_header(s, h);
  if (r != FrameResult::Ok) return r;
  if (limit && h.length > limit) return FrameResult::TooLarge;
  // Memory follows the bytes that arrived, never the length the peer announced:
  // a 24-byte header claiming 1 GiB costs nothing until the bytes are sent.
  constexpr std::size_t kFirstChunk = std::size_t{1} << 20;
  std::size_t have = 0;
  body.clear();
  while (have < h.length) {
    std::size_t next = std::min<std::size_t>(h.length, have == 0 ? kFirstChunk : have * 2);
    body.resize(next);
    if (!s.recv_all(body.data() + have, next - have)) return FrameResult::Closed;
    have = next;
  }
  return FrameResult::Ok;
}

bool skip_bytes(Stream& s, std::uint64_t n) {
  unsigned char sink[65536];
  while (n) {
    std::size_t k = n < sizeof sink ? static_cast<std::size_t>(n) : sizeof sink;
    if (!s.recv_all(sink, k)) return false;
    n -= k;
  }
  return true;
}

}  // namespace remora
