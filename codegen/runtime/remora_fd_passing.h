// Remora runtime: passing a file descriptor over a unix socket (SCM_RIGHTS), one place
// for the shm: offer (the memfd), the virtio-serial acceptor (each channel's socket) and
// the listener's spare worker (its guest's socket).
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

namespace remora {

// One message of one buffer with room for one descriptor (points into itself: not copied).
struct OneFdMessage {
  iovec iov;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr m{};
  OneFdMessage(void* data, std::size_t len) : iov{data, len} {
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
  }
  OneFdMessage(const OneFdMessage&) = delete;
  OneFdMessage& operator=(const OneFdMessage&) = delete;
};

// Sends `len` bytes of `data` (at least one: a descriptor needs a byte to travel with)
// and `fd`, in one sendmsg; what sendmsg returned (retried on EINTR; never SIGPIPE).
inline ssize_t send_with_fd(int sock, const void* data, std::size_t len, int fd, int flags = 0) {
  OneFdMessage msg(const_cast<void*>(data), len);
  cmsghdr* c = CMSG_FIRSTHDR(&msg.m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  ssize_t sent;
  do sent = ::sendmsg(sock, &msg.m, MSG_NOSIGNAL | flags);
  while (sent < 0 && errno == EINTR);
  return sent;
}

// Receives up to `len` bytes into `data` and at most one descriptor, close-on-exec, into
// `fd` (-1 when none came); what recvmsg returned (retried on EINTR).
inline ssize_t recv_with_fd(int sock, void* data, std::size_t len, int& fd, int flags = 0) {
  fd = -1;
  OneFdMessage msg(data, len);
  ssize_t got;
  do got = ::recvmsg(sock, &msg.m, MSG_CMSG_CLOEXEC | flags);
  while (got < 0 && errno == EINTR);
  if (got < 0) return got;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg.m); c; c = CMSG_NXTHDR(&msg.m, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
      std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return got;
}

}  // namespace remora
