#include "remora_vsock_transport.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>
// After sys/socket.h: linux/vm_sockets.h uses its types.
#include <linux/vm_sockets.h>

#include <cstring>

namespace remora {

namespace {

// socket(AF_VSOCK) fails with EAFNOSUPPORT where the kernel has no vsock support loaded
// (no virtio-vsock device in a guest, no vhost_vsock module on a host): say so, since
// "Address family not supported" alone does not tell a user what to install.
int vsock_socket(const Address& a, std::string& error) {
  int fd = ::socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = a.text + ": cannot create an AF_VSOCK socket (" + std::strerror(errno) + ")";
    if (errno == EAFNOSUPPORT)
      error +=
          ": this machine has no vsock support (a guest needs a virtio-vsock device and the "
          "vmw_vsock_virtio_transport module, a host the vhost_vsock module)";
  }
  return fd;
}

sockaddr_vm vsock_sockaddr(const Address& a) {
  sockaddr_vm sa{};
  sa.svm_family = AF_VSOCK;
  sa.svm_cid = a.vsock_cid;
  sa.svm_port = a.vsock_port;
  return sa;
}

}  // namespace

std::unique_ptr<Stream> vsock_connect(const Address& a, int timeout_ms, std::string& error) {
  int fd = vsock_socket(a, error);
  if (fd < 0) return nullptr;
  sockaddr_vm sa = vsock_sockaddr(a);
  if (!connect_with_timeout(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa, timeout_ms, error)) {
    bool no_route = error == std::strerror(ENODEV);
    error = a.text + ": " + error;
    // ENODEV: no vsock transport reaches that CID (the guest's own CID without a
    // loopback transport, a VM's CID on a host without vhost_vsock).
    if (no_route) error += " (no vsock transport reaches CID " + std::to_string(a.vsock_cid) + ")";
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<SocketStream>(fd);
}

int vsock_listen(const Address& a, std::string& error) {
  int fd = vsock_socket(a, error);
  if (fd < 0) return -1;
  sockaddr_vm sa = vsock_sockaddr(a);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 || ::listen(fd, 64) < 0) {
    error = "cannot listen on " + a.text + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace remora
