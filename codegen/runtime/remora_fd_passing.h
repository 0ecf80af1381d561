// Remora runtime: passing file descriptors over a unix socket (SCM_RIGHTS), one place
// for the shm: offer (its memfds), the virtio-serial acceptor (each channel's socket) and
// the listener's spare worker (its guest's socket).
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

namespace remora {

// The most descriptors one message carries (the shm: offer: its rings and its shared pages).
inline constexpr int kMaxPassedFds = 2;

// One message of one buffer with room for kMaxPassedFds descriptors (points into itself: not copied).
struct FdMessage {
  iovec iov;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
  msghdr m{};
  FdMessage(void* data, std::size_t len) : iov{data, len} {
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
  }
  FdMessage(const FdMessage&) = delete;
  FdMessage& operator=(const FdMessage&) = delete;
};

// Sends `len` bytes of `data` (at least one: a descriptor needs a byte to travel with)
// and `count` (1..kMaxPassedFds) descriptors, in one sendmsg; what sendmsg returned
// (retried on EINTR; never SIGPIPE).
inline ssize_t send_with_fds(int sock, const void* data, std::size_t len, const int* fds, int count, int flags = 0) {
  if (count < 1 || count > kMaxPassedFds) {
    errno = EINVAL;
    return -1;
  }
  FdMessage msg(const_cast<void*>(data), len);
  msg.m.msg_controllen = CMSG_SPACE(sizeof(int) * static_cast<std::size_t>(count));
  cmsghdr* c = CMSG_FIRSTHDR(&msg.m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int) * static_cast<std::size_t>(count));
  std::memcpy(CMSG_DATA(c), fds, sizeof(int) * static_cast<std::size_t>(count));
  ssize_t sent;
  do sent = ::sendmsg(sock, &msg.m, MSG_NOSIGNAL | flags);
  while (sent < 0 && errno == EINTR);
  return sent;
}

inline ssize_t send_with_fd(int sock, const void* data, std::size_t len, int fd, int flags = 0) {
  return send_with_fds(sock, data, len, &fd, 1, flags);
}

// Receives up to `len` bytes into `data` and up to `max` (<= kMaxPassedFds) descriptors,
// close-on-exec, into fds[0..) (-1 where none came; extra ones are closed); what recvmsg
// returned (retried on EINTR).
inline ssize_t recv_with_fds(int sock, void* data, std::size_t len, int* fds, int max, int flags = 0) {
  for (int i = 0; i < max; ++i) fds[i] = -1;
  FdMessage msg(data, len);
  ssize_t got;
  do got = ::recvmsg(sock, &msg.m, MSG_CMSG_CLOEXEC | flags);
  while (got < 0 && errno == EINTR);
  if (got < 0) return got;
  int taken = 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg.m); c; c = CMSG_NXTHDR(&msg.m, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len < CMSG_LEN(0)) continue;
    const std::size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < n; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (taken < max) fds[taken++] = fd;
      else ::close(fd);
    }
  }
  return got;
}

inline ssize_t recv_with_fd(int sock, void* data, std::size_t len, int& fd, int flags = 0) {
  return recv_with_fds(sock, data, len, &fd, 1, flags);
}

}  // namespace remora
