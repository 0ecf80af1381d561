#include "remora_virtio_serial_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "remora_fd_passing.h"
#include "remora_mux.h"

namespace remora {

namespace {

// Passes fd to the server's accept loop (one SEQPACKET message per guest process).
bool send_fd(int control_fd, int fd) {
  const char byte = 'c';
  return send_with_fd(control_fd, &byte, 1, fd) == 1;
}

// One VM's connection: its channels become connections handed to the accept loop.
// Ends when QEMU closes the connection (the VM is gone) or the server is gone.
[[noreturn]] void run_link(int conn, int control_fd) {
  mux::MuxLink link(conn, /*guest_side=*/false);
  link.on_open = [control_fd](std::uint32_t) {
    int sp[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) return -1;
    bool sent = send_fd(control_fd, sp[1]);
    ::close(sp[1]);
    if (!sent) {
      ::close(sp[0]);
      return -1;
    }
    ::fcntl(sp[0], F_SETFL, ::fcntl(sp[0], F_GETFL) | O_NONBLOCK);
    return sp[0];
  };
  std::vector<pollfd> extra{{control_fd, POLLIN, 0}};
  while (link.step(extra, 1000))
    if (extra[0].revents) break;  // the server closed its end: it is gone
  if (!link.error().empty() && link.error() != "the peer closed the link")
    std::fprintf(stderr, "remora: a virtio-serial link ended: %s\n", link.error().c_str());
  ::_exit(0);
}

// Accepts QEMU's connections (one per VM and port) and forks a link process for each.
[[noreturn]] void run_acceptor(int listen_fd, int control_fd, const std::string& path) {
  signal(SIGCHLD, SIG_IGN);  // link processes are reaped by the kernel
  signal(SIGPIPE, SIG_IGN);
  signal(SIGINT, SIG_IGN);  // a terminal's ^C stops the server; we follow it through control_fd
  for (;;) {
    pollfd fds[2] = {{listen_fd, POLLIN, 0}, {control_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) break;  // the server never writes here: any event means it is gone
    if (!(fds[0].revents & POLLIN)) continue;
    int conn = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (conn < 0) continue;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(listen_fd);
      run_link(conn, control_fd);
    }
    if (pid < 0)
      std::fprintf(stderr, "remora: cannot serve a virtio-serial link: fork: %s\n",
                   std::strerror(errno));
    ::close(conn);
  }
  ::unlink(path.c_str());
  ::_exit(0);
}

}  // namespace

std::string guestd_socket_path(const std::string& name) {
  const char* dir = std::getenv("REMORA_GUESTD_DIR");
  return std::string(dir && *dir ? dir : "/run/remora") + "/" + name + ".sock";
}

std::unique_ptr<Stream> virtio_serial_connect(const Address& a, int timeout_ms,
                                              std::string& error) {
  std::string path = guestd_socket_path(a.path);
  sockaddr_un sa{};
  if (path.size() >= sizeof sa.sun_path) {
    error = a.text + ": remora-guestd's socket path " + path + " is too long";
    return nullptr;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::strerror(errno);
    return nullptr;
  }
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
  if (!connect_with_timeout(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa, timeout_ms, error)) {
    ::close(fd);
    error = a.text + ": cannot reach remora-guestd at " + path + ": " + error +
            " (the VM's init must start `remora-guestd " + a.path +
            "`; REMORA_GUESTD_DIR sets the folder)";
    return nullptr;
  }
  return std::make_unique<SocketStream>(fd);
}

int virtio_serial_listen(const Address& a, std::string& error) {
  Address unix_address = a;
  unix_address.kind = Address::Kind::Unix;
  int listen_fd = listen_on(unix_address, error);
  if (listen_fd < 0) return -1;
  int control[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, control) < 0) {
    error = std::string("cannot listen on ") + a.text + ": socketpair: " + std::strerror(errno);
    ::close(listen_fd);
    return -1;
  }
  std::fflush(stderr);
  pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("cannot listen on ") + a.text + ": fork: " + std::strerror(errno);
    ::close(listen_fd);
    ::close(control[0]);
    ::close(control[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(control[0]);
    run_acceptor(listen_fd, control[1], a.path);
  }
  ::close(listen_fd);
  ::close(control[1]);
  return control[0];
}

std::unique_ptr<Stream> virtio_serial_accept(int control_fd) {
  char byte;
  int fd = -1;
  const ssize_t k = recv_with_fd(control_fd, &byte, 1, fd, MSG_DONTWAIT);
  if (k == 1 && fd >= 0) return std::make_unique<SocketStream>(fd);
  if (fd >= 0) ::close(fd);
  if (k == 0) {
    // The acceptor died (killed): no VM can reach this server any more. Say so once and
    // keep the accept loop from spinning on the hangup.
    static bool told = false;
    if (!told)
      std::fprintf(stderr,
                   "remora: the virtio-serial acceptor process is gone; restart the server\n");
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return nullptr;
}

}  // namespace remora
