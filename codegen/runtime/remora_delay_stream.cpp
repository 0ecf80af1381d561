#include "remora_delay_stream.h"

#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace remora {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunk = std::size_t{1} << 20;       // pieces a bulk send is queued in
constexpr std::size_t kMaxQueued = std::size_t{64} << 20;  // back-pressure on the sender

struct Chunk {
  Clock::time_point due;
  std::vector<unsigned char> bytes;
  std::size_t taken = 0;
};

// A reader's timed wait ends this long before the due time and spins the rest (see spin_until).
constexpr auto kSpinLast = std::chrono::microseconds(60);

// Waits of 100 us must not be rounded up by the default 50 us timer slack.
void precise_timers() { ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0); }

class DelayStream : public Stream {
 public:
  DelayStream(std::unique_ptr<Stream> inner, long delay_us)
      : inner_(std::move(inner)), delay_(delay_us), event_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    forwarder_ = std::thread([this] { forward_loop(); });
    receiver_ = std::thread([this] { receive_loop(); });
    releaser_ = std::thread([this] { release_loop(); });
  }

  ~DelayStream() override {
    {
      std::lock_guard<std::mutex> lk(m_);
      stop_ = closed_ = true;
    }
    notify_all();
    inner_->shutdown_both();  // unblocks the receiver
    forwarder_.join();
    receiver_.join();
    releaser_.join();
    if (event_fd_ >= 0) ::close(event_fd_);
  }

  bool send_all(const void* p, std::size_t n) override {
    const auto* src = static_cast<const unsigned char*>(p);
    std::unique_lock<std::mutex> lk(m_);
    while (n > 0) {
      room_cv_.wait(lk, [&] { return closed_ || out_bytes_ < kMaxQueued; });
      if (closed_) return false;
      std::size_t k = std::min(n, kChunk);
      out_.push_back(Chunk{Clock::now() + delay_, std::vector<unsigned char>(src, src + k)});
      out_bytes_ += k;
      src += k;
      n -= k;
      forward_cv_.notify_one();
    }
    return true;
  }

  bool recv_all(void* p, std::size_t n) override {
    auto* dst = static_cast<unsigned char*>(p);
    while (n > 0) {
      std::size_t k = recv_some(dst, n);
      if (k == 0) return false;
      dst += k;
      n -= k;
    }
    return true;
  }

  std::size_t recv_some(void* p, std::size_t n) override {
    std::unique_lock<std::mutex> lk(m_);
    await_due(lk);
    std::size_t k = 0;
    auto* dst = static_cast<unsigned char*>(p);
    while (k < n && released_ > 0) {
      Chunk& c = in_.front();
      std::size_t take = std::min(n - k, c.bytes.size() - c.taken);
      std::memcpy(dst + k, c.bytes.data() + c.taken, take);
      c.taken += take;
      k += take;
      if (c.taken == c.bytes.size()) {
        in_.pop_front();
        --released_;
      }
    }
    if (released_ == 0 && !at_end_locked() && signaled_) {  // fd() readable only while bytes are due
      std::uint64_t v;
      [[maybe_unused]] ssize_t r = ::read(event_fd_, &v, sizeof v);
      signaled_ = false;
    }
    return k;
  }

  // Waits until the first received chunk is due (or the end). The reader times its own
  // wait rather than waiting to be woken by the releaser: one thread hop fewer, so the
  // link's delay is closer to what was asked.
  void await_due(std::unique_lock<std::mutex>& lk) {
    for (;;) {
      release_due_locked();
      if (released_ > 0 || at_end_locked()) return;
      if (in_.empty()) {
        read_cv_.wait(lk);
        continue;
      }
      auto due = in_.front().due;
      if (due - Clock::now() > kSpinLast) {
        read_cv_.wait_until(lk, due - kSpinLast);
        continue;
      }
      spin_until(lk, due);
    }
  }

  // The last stretch of a reader's wait: the caller's thread has the default timer slack
  // (its sleeps may end 50 us late), so it spins the rest instead.
  static void spin_until(std::unique_lock<std::mutex>& lk, Clock::time_point due) {
    lk.unlock();
    while (Clock::now() < due) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    lk.lock();
  }

  void release_due_locked() {
    auto now = Clock::now();
    while (released_ < in_.size() && in_[released_].due <= now) ++released_;
  }

  bool wait_readable(int timeout_ms) override {
    std::unique_lock<std::mutex> lk(m_);
    auto ready = [&] { return released_ > 0 || at_end_locked(); };
    if (timeout_ms < 0) {
      read_cv_.wait(lk, ready);
      return true;
    }
    return read_cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), ready);
  }

  int fd() const override { return event_fd_; }

  void shutdown_both() override {
    {
      std::lock_guard<std::mutex> lk(m_);
      closed_ = true;
      signal_locked();
    }
    notify_all();
    inner_->shutdown_both();
  }

 private:
  void notify_all() {
    forward_cv_.notify_all();
    release_cv_.notify_all();
    read_cv_.notify_all();
    room_cv_.notify_all();
  }

  void signal_locked() {
    if (!signaled_ && event_fd_ >= 0) {
      std::uint64_t one = 1;
      [[maybe_unused]] ssize_t r = ::write(event_fd_, &one, sizeof one);
      signaled_ = true;
    }
  }

  // Sends each queued chunk to the inner stream when its delay has passed.
  void forward_loop() {
    precise_timers();
    std::unique_lock<std::mutex> lk(m_);
    while (!stop_) {
      if (out_.empty()) {
        forward_cv_.wait(lk);
        continue;
      }
      if (Clock::now() < out_.front().due) {
        forward_cv_.wait_until(lk, out_.front().due);  // precise: this thread has no timer slack
        continue;
      }
      Chunk c = std::move(out_.front());
      out_.pop_front();
      lk.unlock();
      bool ok = inner_->send_all(c.bytes.data(), c.bytes.size());
      lk.lock();
      out_bytes_ -= c.bytes.size();
      room_cv_.notify_all();
      if (!ok) fail_locked();
    }
  }

  // Takes what the inner stream delivers and stamps it with when it may be read.
  void receive_loop() {
    std::vector<unsigned char> buf(kChunk);
    for (;;) {
      std::size_t k = inner_->recv_some(buf.data(), buf.size());
      std::lock_guard<std::mutex> lk(m_);
      if (k == 0 || stop_) {
        eof_ = true;  // what is still delayed stays readable (the peer's last words)
        release_cv_.notify_one();
        read_cv_.notify_all();
        if (in_.empty()) signal_locked();
        return;
      }
      in_.push_back(Chunk{Clock::now() + delay_, std::vector<unsigned char>(buf.begin(), buf.begin() + k)});
      release_cv_.notify_one();
      read_cv_.notify_all();
    }
  }

  // Makes received chunks readable once their delay has passed, and fd() with them (for
  // pollers; readers time their own waits, see await_due).
  void release_loop() {
    precise_timers();
    std::unique_lock<std::mutex> lk(m_);
    while (!stop_) {
      if (released_ == in_.size()) {
        release_cv_.wait(lk);
        continue;
      }
      auto due = in_[released_].due;
      if (Clock::now() < due) {
        release_cv_.wait_until(lk, due);
        continue;
      }
      release_due_locked();
      signal_locked();
      read_cv_.notify_all();
    }
  }

  // Nothing more will become readable.
  bool at_end_locked() const { return closed_ || (eof_ && in_.empty()); }

  void fail_locked() {
    closed_ = true;
    signal_locked();
    notify_all();
  }

  std::unique_ptr<Stream> inner_;
  std::chrono::microseconds delay_;
  int event_fd_;
  std::mutex m_;
  std::condition_variable forward_cv_, release_cv_, read_cv_, room_cv_;
  std::deque<Chunk> out_, in_;
  std::size_t out_bytes_ = 0;
  std::size_t released_ = 0;  // in_[0, released_) may be read
  bool closed_ = false;  // shut down here, or the inner stream refused a send
  bool eof_ = false;     // the inner stream delivered its last byte
  bool stop_ = false;
  bool signaled_ = false;  // event_fd_ holds a count
  std::thread forwarder_, receiver_, releaser_;
};

}  // namespace

std::unique_ptr<Stream> make_delay_stream(std::unique_ptr<Stream> inner, long delay_us) {
  return std::make_unique<DelayStream>(std::move(inner), delay_us);
}

}  // namespace remora
