// Remora runtime: many byte streams over one (virtio-serial). A virtio-serial port is a
// single byte stream that one guest process may open, so the guest's relay
// (remora-guestd) and the server's link process carry every guest process's connection
// over it as a numbered channel. Both ends run the same MuxLink.
//
// Link frames: a 16-byte header {magic, type, channel, value} then, for Data, `value`
// bytes. Hello (guest -> host, value = protocol version) starts a link session: the host
// drops everything before it (bytes a previous session left in the device queues) and a
// Hello in the middle of a session resets it (a restarted guestd). Open/Close create and
// end a channel (the guest side opens); Credit returns `value` bytes of window.
//
// Flow control is per channel: a side sends at most kMuxWindow bytes a channel's peer has
// not delivered to its local end yet, and the receiver returns credit as it delivers.
// So one guest process that stops reading stalls only its own channel, never the link,
// and each side queues at most a window per channel (a peer that sends more is cut off).
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace remora::mux {

constexpr std::uint32_t kMagic = 0x584d4d52;  // "RMMX"
constexpr std::uint32_t kVersion = 1;
enum Type : std::uint32_t { Hello = 1, Open = 2, Data = 3, Close = 4, Credit = 5 };
struct Header {
  std::uint32_t magic, type, channel, value;
};
static_assert(sizeof(Header) == 16);

constexpr std::uint32_t kWindow = 4u << 20;  // per channel and direction
constexpr std::uint32_t kChunk = 64u << 10;  // largest Data frame: channels take turns
constexpr std::size_t kMaxChannels = 256;    // per link: a VM's processes using the API at once

class MuxLink {
 public:
  // link_fd: the port (guest) or QEMU's chardev connection (host), non-blocking; owned.
  // guest_side: this end opens channels and starts the session with a Hello.
  MuxLink(int link_fd, bool guest_side);
  ~MuxLink();
  MuxLink(const MuxLink&) = delete;
  MuxLink& operator=(const MuxLink&) = delete;

  // Host side: a guest opened `channel`; return the local fd that serves it (owned by
  // the link from then on), or -1 to refuse (the guest's connection is closed).
  std::function<int(std::uint32_t channel)> on_open;

  // Guest side: a local connection (non-blocking, owned) becomes a new channel.
  void add_local(int fd);

  // One round of the event loop: polls the link, the channels and `extra` (whose revents
  // are filled in for the caller) for up to timeout_ms and moves what can be moved.
  // False once the link is down (closed by the peer, an error, or a protocol violation:
  // `error()` says which); every channel is closed then.
  bool step(std::vector<pollfd>& extra, int timeout_ms);

  const std::string& error() const { return error_; }
  std::size_t channel_count() const { return channels_.size(); }

 private:
  struct Channel {
    int fd = -1;
    std::vector<unsigned char> to_local;  // bytes from the peer not yet written locally
    std::size_t to_local_head = 0;
    std::uint64_t credit = kWindow;  // bytes this side may still send the peer
    std::uint64_t delivered = 0;     // written locally, not yet credited back
    bool peer_closed = false;        // close once to_local is written
  };
  void queue(std::uint32_t type, std::uint32_t channel, std::uint32_t value,
             const void* data = nullptr);
  bool read_link();
  bool parse_link();
  bool on_frame(const Header& h, const unsigned char* data);
  bool write_link();
  void read_local(std::uint32_t id, Channel& c);
  bool write_local(std::uint32_t id, Channel& c);
  void drop(std::uint32_t id, bool tell_peer);
  bool fail(const std::string& why);

  int link_fd_;
  bool guest_side_;
  bool session_ = false;  // host: a Hello has been seen
  std::uint32_t next_id_ = 1;
  std::vector<unsigned char> in_, out_;
  std::size_t out_head_ = 0;
  std::map<std::uint32_t, Channel> channels_;
  std::string error_;
};

}  // namespace remora::mux
