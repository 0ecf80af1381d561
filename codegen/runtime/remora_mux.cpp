#include "remora_mux.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace remora::mux {

namespace {
// Bytes queued for the link beyond which channels stop reading their local ends for a
// round: a large transfer then shares the link with the others' small calls.
constexpr std::size_t kLinkBacklog = 256u << 10;
// Bytes of the link read per round (the rest waits for the next round).
constexpr std::size_t kReadRound = 1u << 20;

ssize_t write_some(int fd, const void* p, std::size_t n) {
  ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (k < 0 && errno == ENOTSOCK) k = ::write(fd, p, n);  // the guest's port is a character device
  return k;
}
bool would_block(int e) {
  return e == EAGAIN || e == EWOULDBLOCK || e == EINTR;
}
}  // namespace

MuxLink::MuxLink(int link_fd, bool guest_side) : link_fd_(link_fd), guest_side_(guest_side) {
  if (guest_side_) queue(Hello, 0, kVersion);
}

MuxLink::~MuxLink() {
  for (auto& [id, c] : channels_) ::close(c.fd);
  if (link_fd_ >= 0) ::close(link_fd_);
}

void MuxLink::queue(std::uint32_t type, std::uint32_t channel, std::uint32_t value,
                    const void* data) {
  Header h{kMagic, type, channel, value};
  std::size_t at = out_.size(), n = data ? value : 0;
  out_.resize(at + sizeof h + n);
  std::memcpy(out_.data() + at, &h, sizeof h);
  if (n) std::memcpy(out_.data() + at + sizeof h, data, n);
}

void MuxLink::add_local(int fd) {
  if (channels_.size() >= kMaxChannels) {
    ::close(fd);  // the guest process sees its connection closed: a clear failure, not a hang
    return;
  }
  std::uint32_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;
  channels_[id].fd = fd;
  queue(Open, id, 0);
}

bool MuxLink::fail(const std::string& why) {
  if (error_.empty()) error_ = why;
  return false;
}

void MuxLink::drop(std::uint32_t id, bool tell_peer) {
  auto it = channels_.find(id);
  if (it == channels_.end()) return;
  ::close(it->second.fd);
  channels_.erase(it);
  if (tell_peer) queue(Close, id, 0);
}

bool MuxLink::read_link() {
  std::size_t got = 0;
  while (got < kReadRound) {
    std::size_t at = in_.size();
    in_.resize(at + kChunk + sizeof(Header));
    ssize_t k = ::read(link_fd_, in_.data() + at, kChunk + sizeof(Header));
    in_.resize(at + (k > 0 ? static_cast<std::size_t>(k) : 0));
    if (k > 0) {
      // Read on to EAGAIN even after a short read: the guest's port hands out one
      // page-sized buffer per read, so a short read does not mean the queue is empty.
      got += static_cast<std::size_t>(k);
      continue;
    }
    if (k < 0 && would_block(errno)) return true;
    return fail(k == 0 ? "the peer closed the link"
                       : std::string("reading the link: ") + std::strerror(errno));
  }
  return true;
}

bool MuxLink::parse_link() {
  std::size_t at = 0;
  if (!guest_side_ && !session_) {
    // Skip to the first Hello: what came before belongs to an earlier session.
    for (; at + sizeof(Header) <= in_.size(); ++at) {
      Header h;
      std::memcpy(&h, in_.data() + at, sizeof h);
      if (h.magic == kMagic && h.type == Hello && h.channel == 0) break;
    }
    if (at + sizeof(Header) > in_.size()) {
      // Keep a possible partial Hello at the end.
      std::size_t keep = in_.size() < sizeof(Header) ? in_.size() : sizeof(Header) - 1;
      in_.erase(in_.begin(), in_.end() - static_cast<std::ptrdiff_t>(keep));
      return true;
    }
  }
  bool ok = true;
  while (ok && at + sizeof(Header) <= in_.size()) {
    Header h;
    std::memcpy(&h, in_.data() + at, sizeof h);
    if (h.magic != kMagic) return fail("bad frame on the link (not a remora-guestd peer?)");
    std::size_t data = h.type == Data ? h.value : 0;
    if (h.type == Data && h.value > kChunk) return fail("oversized data frame on the link");
    if (at + sizeof h + data > in_.size()) break;
    ok = on_frame(h, in_.data() + at + sizeof h);
    at += sizeof h + data;
  }
  in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(at));
  return ok;
}

bool MuxLink::on_frame(const Header& h, const unsigned char* data) {
  auto it = channels_.find(h.channel);
  switch (h.type) {
    case Hello:
      if (guest_side_) return fail("unexpected hello from the host");
      if (h.value != kVersion)
        return fail("remora-guestd speaks link version " + std::to_string(h.value) +
                    ", this server " + std::to_string(kVersion));
      // A new session (guestd restarted): the old one's channels are gone.
      while (!channels_.empty()) drop(channels_.begin()->first, false);
      session_ = true;
      return true;
    case Open: {
      if (guest_side_) return fail("the host opened a channel");
      if (it != channels_.end() || h.channel == 0)
        return fail("channel " + std::to_string(h.channel) + " opened twice");
      int fd = channels_.size() < kMaxChannels && on_open ? on_open(h.channel) : -1;
      if (fd < 0)
        queue(Close, h.channel, 0);
      else
        channels_[h.channel].fd = fd;
      return true;
    }
    case Data: {
      if (it == channels_.end()) return true;  // we closed it; the peer's Close is on its way
      Channel& c = it->second;
      if (c.to_local.size() - c.to_local_head + h.value > kWindow)
        return fail("the peer sent more than its window on channel " + std::to_string(h.channel));
      c.to_local.insert(c.to_local.end(), data, data + h.value);
      return true;
    }
    case Close:
      if (it == channels_.end()) return true;
      it->second.peer_closed = true;
      if (it->second.to_local.size() == it->second.to_local_head) drop(h.channel, false);
      return true;
    case Credit:
      if (it == channels_.end()) return true;
      it->second.credit += h.value;
      if (it->second.credit > kWindow)
        return fail("the peer returned more credit than it was sent");
      return true;
    default:
      return fail("unknown frame type " + std::to_string(h.type) + " on the link");
  }
}

bool MuxLink::write_link() {
  while (out_head_ < out_.size()) {
    ssize_t k = write_some(link_fd_, out_.data() + out_head_, out_.size() - out_head_);
    if (k > 0) {
      out_head_ += static_cast<std::size_t>(k);
      continue;
    }
    if (k < 0 && would_block(errno)) break;
    return fail(std::string("writing the link: ") + (k < 0 ? std::strerror(errno) : "no progress"));
  }
  if (out_head_ == out_.size()) {
    out_.clear();
    out_head_ = 0;
  } else if (out_head_ > (1u << 20)) {
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_head_));
    out_head_ = 0;
  }
  return true;
}

void MuxLink::read_local(std::uint32_t id, Channel& c) {
  std::size_t n = c.credit < kChunk ? static_cast<std::size_t>(c.credit) : kChunk;
  std::size_t at = out_.size();
  out_.resize(at + sizeof(Header) + n);
  ssize_t k = ::recv(c.fd, out_.data() + at + sizeof(Header), n, MSG_DONTWAIT);
  if (k <= 0) {
    out_.resize(at);
    if (k < 0 && would_block(errno)) return;
    drop(id, true);  // the local end closed (a guest process exited, a worker ended)
    return;
  }
  out_.resize(at + sizeof(Header) + static_cast<std::size_t>(k));
  Header h{kMagic, Data, id, static_cast<std::uint32_t>(k)};
  std::memcpy(out_.data() + at, &h, sizeof h);
  c.credit -= static_cast<std::uint64_t>(k);
}

bool MuxLink::write_local(std::uint32_t id, Channel& c) {
  while (c.to_local_head < c.to_local.size()) {
    ssize_t k =
        write_some(c.fd, c.to_local.data() + c.to_local_head, c.to_local.size() - c.to_local_head);
    if (k > 0) {
      c.to_local_head += static_cast<std::size_t>(k);
      c.delivered += static_cast<std::uint64_t>(k);
      continue;
    }
    if (k < 0 && would_block(errno)) break;
    drop(id, !c.peer_closed);
    return false;
  }
  if (c.delivered >= kWindow / 4) {
    queue(Credit, id, static_cast<std::uint32_t>(c.delivered));
    c.delivered = 0;
  }
  if (c.to_local_head == c.to_local.size()) {
    c.to_local.clear();
    c.to_local_head = 0;
    if (c.peer_closed) {
      drop(id, false);
      return false;
    }
  }
  return true;
}

bool MuxLink::step(std::vector<pollfd>& extra, int timeout_ms) {
  if (!error_.empty()) return false;
  std::vector<pollfd> fds;
  std::vector<std::uint32_t> ids;
  fds.push_back(
      {link_fd_, static_cast<short>(POLLIN | (out_head_ < out_.size() ? POLLOUT : 0)), 0});
  bool link_busy = out_.size() - out_head_ >= kLinkBacklog;
  for (auto& [id, c] : channels_) {
    short ev = 0;
    if (c.credit > 0 && !link_busy && !c.peer_closed) ev |= POLLIN;
    if (c.to_local_head < c.to_local.size()) ev |= POLLOUT;
    // A channel waiting for credit is left out altogether (negative fd): its hangup
    // would otherwise wake every round. It is looked at again once credit arrives.
    fds.push_back({ev ? c.fd : -1, ev, 0});
    ids.push_back(id);
  }
  std::size_t first_extra = fds.size();
  fds.insert(fds.end(), extra.begin(), extra.end());
  int n = ::poll(fds.data(), fds.size(), timeout_ms);
  if (n < 0 && errno != EINTR) return fail(std::string("poll: ") + std::strerror(errno));
  for (std::size_t i = 0; i < extra.size(); ++i)
    extra[i].revents = n > 0 ? fds[first_extra + i].revents : 0;
  if (n <= 0) return true;
  bool ok = true;
  if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ok = read_link() && parse_link();
  // A hangup with bytes still readable was handled by read_link (it reads to the end).
  for (std::size_t i = 0; ok && i < ids.size(); ++i) {
    short re = fds[1 + i].revents;
    if (!re) continue;
    auto it = channels_.find(ids[i]);
    if (it == channels_.end()) continue;
    if ((re & POLLOUT) && !write_local(ids[i], it->second)) continue;
    if ((re & (POLLIN | POLLHUP | POLLERR)) && (fds[1 + i].events & POLLIN))
      read_local(ids[i], it->second);
  }
  // Data that arrived this round for channels whose sockets have room goes out now
  // rather than after another poll (one call's latency is one round, not two).
  for (auto it = channels_.begin(); ok && it != channels_.end();) {
    auto next = std::next(it);
    if (it->second.to_local_head < it->second.to_local.size() || it->second.peer_closed)
      write_local(it->first, it->second);
    it = next;
  }
  if (ok) ok = write_link();
  if (!ok) {
    while (!channels_.empty()) drop(channels_.begin()->first, false);
    return false;
  }
  return true;
}

}  // namespace remora::mux
