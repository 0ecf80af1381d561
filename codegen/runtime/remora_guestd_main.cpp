// remora-guestd: the guest-side relay of the virtio-serial:NAME transport. Started by the
// VM's init, it holds the virtio-serial port NAME (one byte stream that only one process
// may open) and relays every connection guest processes make to its unix socket over the
// port, one channel each (remora_mux.h); the API server gives each channel its own worker.
//
//   remora-guestd NAME [--socket PATH] [--device PATH | --device unix:PATH]
//
// The port is /dev/virtio-ports/NAME (udev's link) or, without udev, the /dev/vportNpM
// whose /sys/class/virtio-ports/vportNpM/name is NAME. The socket defaults to
// $REMORA_GUESTD_DIR/NAME.sock (/run/remora/NAME.sock), where the guest library looks
// for `virtio-serial:NAME`. `--device unix:PATH` relays over a unix socket instead of a
// port (tests on a host: the API server's virtio-serial:PATH listener stands for QEMU).
//
// When the host side is not connected (no server, or it restarted), every relayed
// connection is closed at once and new ones are refused (closed) until it is back: guest
// calls fail with the API's error instead of hanging.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "remora_mux.h"
#include "remora_transport.h"
#include "remora_virtio_serial_transport.h"

namespace {

volatile sig_atomic_t g_stop = 0;
void on_stop(int) {
  g_stop = 1;
}

// The port's device node: udev's /dev/virtio-ports/NAME, else the vport whose sysfs name is NAME.
std::string find_port(const std::string& name) {
  std::string link = "/dev/virtio-ports/" + name;
  if (::access(link.c_str(), F_OK) == 0) return link;
  DIR* d = ::opendir("/sys/class/virtio-ports");
  if (!d) return "";
  std::string found;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(std::string("/sys/class/virtio-ports/") + e->d_name + "/name");
    std::string n;
    if (std::getline(in, n) && n == name) {
      found = std::string("/dev/") + e->d_name;
      break;
    }
  }
  ::closedir(d);
  return found;
}

// Opens the link: the port (non-blocking) or, for unix:PATH, a connection to it. -1 when down.
int open_link(const std::string& device, std::string& error) {
  if (device.rfind("unix:", 0) == 0) {
    remora::Address a;
    if (!remora::parse_address(device, a, error)) return -1;
    auto s = remora::connect_to(a, 1000, error);
    if (!s) return -1;
    int fd = ::dup(s->fd());
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
  }
  int fd = ::open(device.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) error = device + ": " + std::strerror(errno);
  return fd;
}

int usage() {
  std::fprintf(stderr,
               "usage: remora-guestd NAME [--socket PATH] [--device PATH|unix:PATH]\n"
               "  Relays guest processes' connections (virtio-serial:NAME) over the virtio-serial "
               "port NAME.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name, socket_path, device;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--socket" || a == "--device") && i + 1 < argc)
      (a == "--socket" ? socket_path : device) = argv[++i];
    else if (a == "-h" || a == "--help")
      return usage(), 0;
    else if (name.empty() && a[0] != '-')
      name = a;
    else
      return usage();
  }
  if (name.empty()) return usage();
  if (socket_path.empty()) socket_path = remora::guestd_socket_path(name);
  if (device.empty()) device = find_port(name);
  if (device.empty()) {
    std::fprintf(
        stderr,
        "remora-guestd: no virtio-serial port named '%s' (neither /dev/virtio-ports/%s nor a "
        "/sys/class/virtio-ports/*/name says so): does the VM have "
        "`-device virtserialport,name=%s` and the virtio_console module?\n",
        name.c_str(), name.c_str(), name.c_str());
    return 1;
  }
  std::string dir = socket_path.substr(0, socket_path.rfind('/'));
  if (!dir.empty()) ::mkdir(dir.c_str(), 0755);
  remora::Address local;
  std::string error;
  if (!remora::parse_address("unix:" + socket_path, local, error)) {
    std::fprintf(stderr, "remora-guestd: %s\n", error.c_str());
    return 2;
  }
  int listen_fd = remora::listen_on(local, error);
  if (listen_fd < 0) {
    std::fprintf(stderr, "remora-guestd: %s\n", error.c_str());
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  std::fprintf(stderr, "remora-guestd: relaying %s over %s\n", socket_path.c_str(), device.c_str());
  std::vector<pollfd> extra{{listen_fd, POLLIN, 0}};
  std::string told;  // the last failure printed: a host that stays away is reported once
  while (!g_stop) {
    int link_fd = open_link(device, error);
    if (link_fd >= 0) {
      remora::mux::MuxLink link(link_fd, /*guest_side=*/true);
      while (!g_stop && link.step(extra, 500)) {
        if (!(extra[0].revents & POLLIN)) continue;
        int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) link.add_local(fd);
      }
      error = link.error();
    }
    if (g_stop) break;
    if (error != told)
      std::fprintf(stderr, "remora-guestd: the host side is not there (%s); retrying\n",
                   error.c_str());
    told = error;
    // Down: refuse (close) connections for a while, so guest calls fail at once, then retry.
    pollfd p{listen_fd, POLLIN, 0};
    if (::poll(&p, 1, 200) > 0) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) ::close(fd);
    }
  }
  ::close(listen_fd);
  ::unlink(socket_path.c_str());
  return 0;
}
