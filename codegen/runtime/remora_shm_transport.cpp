#include "remora_shm_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "remora_env.h"
#include "remora_fd_passing.h"
#include "remora_parallel_copy.h"
#include "remora_shared_pages.h"
#include "remora_shm_wait.h"

namespace remora {
namespace {

constexpr std::uint64_t kShmMagic = 0x4d48535f41524d52ull;  // "RMRA_SHM"
constexpr std::uint32_t kShmVersion = 4;  // 2: data regions and placed payloads; 3: writer_cpu; 4: shared pages
constexpr std::size_t kHeaderBytes = 4096;
constexpr std::size_t kMinRing = std::size_t{64} << 10;
constexpr std::size_t kMaxRing = std::size_t{1} << 30;
constexpr std::size_t kDefaultRing = std::size_t{4} << 20;  // stays in cache; what is not placed streams through it
// Each direction's data region (payloads placed once, used in place by the receiver).
// Address space only: pages are backed when first written and then reused (lowest free
// offset first), so a guest costs the memory of its largest transfers in flight.
constexpr std::size_t kDefaultData = std::size_t{512} << 20;
constexpr std::size_t kMaxData = std::size_t{16} << 30;
// Smaller payloads go through the ring: placing them saves nothing a round trip would show.
constexpr std::size_t kPlaceMinBytes = std::size_t{16} << 10;
constexpr std::size_t kBlockHeader = 64;  // a placed block's header (its `consumed` counter)
// A writer publishes at least this often, so the reader copies out while it copies in.
constexpr std::size_t kPublishChunk = std::size_t{256} << 10;

// From what size an output the guest waits for (a blocking call's: placed_buffer with
// peer_waits) streams through the ring instead of being placed: the size of a core's L2
// cache. A placed output is written whole by the library and only then copied out by the
// guest, from another core; once it is larger than the writer's L2, most of it has left
// that cache by then. Streamed, the guest copies each 256 KiB piece while the server
// writes the next. Blocking clEnqueueReadBuffer over shm on the 2-core host (1 MiB L2),
// the median read of each of six alternating runs, median of those: 512 / 896 KiB 88 /
// 97 us placed against 130 / 148 streamed; 1 / 2 / 4 MiB 252 / 490 / 494 us placed
// against 147 / 236 / 413 streamed; 16 / 64 MiB 2.50 / 9.1 ms against 1.71 / 7.2
// (bench/codegen/README.md). An output written in the background (a non-blocking read's,
// sent with a later reply) stays placed: streamed, a read + wait of 4 / 16 MiB took 353 us
// / 2.59 ms against 273 us / 2.41 ms placed (1 MiB: 146 us against 222). Inputs stay
// placed at every size: the server's library reads them where the guest put them.
// REMORA_SHM_STREAM_FROM=BYTES (server) moves the bound; 0 places every size.
// (Read per connection, as the ring and region sizes are.)
std::size_t stream_outputs_from() {
  const long l2 = ::sysconf(_SC_LEVEL2_CACHE_SIZE);  // 0 or -1 where the C library cannot tell
  const std::uint64_t cache = l2 > 0 ? static_cast<std::uint64_t>(l2) : std::uint64_t{1} << 20;
  const std::uint64_t v = env_number("REMORA_SHM_STREAM_FROM", cache, {0, kMaxData, EnvUnit::Bytes});
  return v == 0 ? SIZE_MAX : static_cast<std::size_t>(std::max<std::uint64_t>(v, kPlaceMinBytes));
}
// Longest futex sleep between liveness checks of the peer (the bound on noticing a SIGKILL).
constexpr int kSleepSliceMs = 100;

// What a ring's reader is doing, so the writer knows how to wake it (see wake_reader).
enum ReaderState : std::uint32_t {
  kIdle = 0,      // not reading
  kSpinning = 1,  // waiting, polling the ring index
  kSleeping = 2,  // waiting in a futex wait on data_seq
  kNotified = 3,  // was waiting; a writer has published since (and woken it if it slept)
};

struct alignas(64) RingControl {
  alignas(64) std::atomic<std::uint64_t> head;  // bytes ever written (the writer's)
  alignas(64) std::atomic<std::uint64_t> tail;  // bytes ever read (the reader's)
  alignas(64) std::atomic<std::uint32_t> data_seq;  // futex word of a sleeping reader
  std::atomic<std::uint32_t> reader_state;
  std::atomic<std::uint32_t> reader_polls;  // the reader's fd() may be polled: doorbells wanted
  std::atomic<std::uint32_t> bell_pending;  // a doorbell byte was sent and not yet drained
  alignas(64) std::atomic<std::uint32_t> space_seq;  // futex word of a writer facing a full ring
  std::atomic<std::uint32_t> writer_sleeping;
  alignas(64) std::atomic<std::int32_t> writer_cpu;  // where the writer last waited (note_cpu)
};

struct ShmHeader {
  std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t header_bytes;
  std::uint64_t ring_bytes;  // each direction; a power of two
  std::uint64_t data_bytes;  // each direction's data region; a multiple of 4096 (0: none)
  std::uint64_t total_bytes;
  std::atomic<std::uint32_t> closed;  // set by shutdown_both on either side
  RingControl ring[2];                // [0] guest -> server, [1] server -> guest
};
static_assert(sizeof(ShmHeader) <= kHeaderBytes);
static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<std::uint32_t>::is_always_lock_free,
              "the rings need address-free atomics (shared between processes)");

// Sent with the memfd; a well-formed hello-fail, so that a guest that speaks the plain
// socket protocol to an shm server gets a reason instead of a garbled stream.
constexpr char kNotUnixReason[] =
    "this server listens with the shared-memory transport; connect with shm:PATH instead of unix:PATH";

// Shared (not FUTEX_PRIVATE): the word lives in memory mapped by two processes.
long futex_wait(std::atomic<std::uint32_t>* word, std::uint32_t expected, int timeout_ms) {
  timespec ts{timeout_ms / 1000, static_cast<long>(timeout_ms % 1000) * 1000000L};
  return ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAIT, expected, &ts, nullptr, 0);
}

void futex_wake(std::atomic<std::uint32_t>* word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

using shm_wait::Clock;
using shm_wait::SpinPolicy;
using shm_wait::spin_then_yield;

// The header of a placed block, at its start in the data region. Only the receiver
// writes it (after it is done with a reference to the block); the sender only reads it,
// so a peer that scribbles over it can make its own transfers wrong, never ours unsafe.
struct BlockHeader {
  std::atomic<std::uint64_t> consumed;  // references to this block the receiver is done with
};
static_assert(sizeof(BlockHeader) <= kBlockHeader);

// The sender's side of its data region: a first-fit allocator whose bookkeeping stays
// in private memory. A block is free again when its owner gave it back (put) and the
// receiver is done with every reference sent to it (consumed >= sent).
class PlacedRegion final : public BufferLender {
 public:
  PlacedRegion(unsigned char* base, std::size_t bytes) : base_(base), bytes_(bytes) {}

  // A block for `bytes` of payload, owned by the caller; empty when the region is full.
  PooledBuffer get(std::size_t bytes) {
    std::lock_guard<std::mutex> lk(mutex_);
    unsigned char* p = allocate_locked(bytes);
    return p ? PooledBuffer(this, p, bytes) : PooledBuffer();
  }
  // A block the transport fills and sends itself (a trailer copied in): owned by no one,
  // free once the receiver is done with it. Null when the region is full.
  unsigned char* get_for_send(std::size_t bytes, std::uint64_t& block_off) {
    std::lock_guard<std::mutex> lk(mutex_);
    unsigned char* p = allocate_locked(bytes);
    if (!p) return nullptr;
    Block& b = blocks_[index_of_locked(p)];
    b.owned = false;
    ++b.sent;
    block_off = b.off;
    return p;
  }
  // Whether p lies in the region (memory from get()).
  bool contains(const void* p) const {
    const auto* c = static_cast<const unsigned char*>(p);
    return bytes_ && c >= base_ && c < base_ + bytes_;
  }
  // Whether [p, p + n) lies in one block's payload: then counts one more reference sent
  // and says where the block starts (the receiver reports on it there).
  bool reference(const void* p, std::size_t n, std::uint64_t& data_off, std::uint64_t& block_off) {
    const auto* c = static_cast<const unsigned char*>(p);
    if (!bytes_ || c < base_ || c >= base_ + bytes_) return false;
    std::lock_guard<std::mutex> lk(mutex_);
    const std::uint64_t at = static_cast<std::uint64_t>(c - base_);
    for (Block& b : blocks_)
      if (at >= b.off + kBlockHeader && at + n <= b.off + b.size) {
        ++b.sent;
        data_off = at;
        block_off = b.off;
        return true;
      }
    return false;
  }
  void put(unsigned char* data, std::size_t) override {
    std::lock_guard<std::mutex> lk(mutex_);
    std::size_t i = index_of_locked(data);
    if (i < blocks_.size()) blocks_[i].owned = false;
  }
  // Blocks still lent to their owner (the stream's memory must stay mapped for them).
  bool lent() {
    std::lock_guard<std::mutex> lk(mutex_);
    for (const Block& b : blocks_)
      if (b.owned) return true;
    return false;
  }

 private:
  struct Block {
    std::uint64_t off;   // of its header, from the region's start
    std::uint64_t size;  // header included, a multiple of kBlockHeader
    std::uint64_t sent = 0;
    bool owned = true;
  };
  BlockHeader* header(const Block& b) { return reinterpret_cast<BlockHeader*>(base_ + b.off); }

  std::size_t index_of_locked(const unsigned char* payload) {
    for (std::size_t i = 0; i < blocks_.size(); ++i)
      if (base_ + blocks_[i].off + kBlockHeader == payload) return i;
    return blocks_.size();
  }

  unsigned char* allocate_locked(std::size_t bytes) {
    if (!bytes_ || bytes == 0 || bytes > bytes_) return nullptr;
    std::erase_if(blocks_, [&](const Block& b) {
      return !b.owned && header(b)->consumed.load(std::memory_order_acquire) >= b.sent;
    });
    const std::uint64_t need = kBlockHeader + (bytes + kBlockHeader - 1) / kBlockHeader * kBlockHeader;
    std::uint64_t at = 0;  // the lowest gap that fits: the same warm pages serve again and again
    std::size_t i = 0;
    for (; i < blocks_.size() && blocks_[i].off - at < need; ++i) at = blocks_[i].off + blocks_[i].size;
    if (need > bytes_ - at) return nullptr;
    populate_locked(at + need);
    blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(i), Block{at, need});
    new (base_ + at) BlockHeader{};
    std::atomic_thread_fence(std::memory_order_release);
    return base_ + at + kBlockHeader;
  }

  // Memory first used: backed in one system call instead of one page fault per 4 KiB
  // page (shared memory gets no transparent huge pages here). Best effort: where the
  // kernel cannot, the pages fault in as they are written.
  void populate_locked(std::uint64_t end) {
    if (end <= populated_) return;
    const std::uint64_t page = 4096, from = populated_ / page * page, to = (end + page - 1) / page * page;
    shared_pages::populate(base_ + from, std::min<std::uint64_t>(to, bytes_) - from);
    populated_ = to;
  }

  unsigned char* base_;
  std::size_t bytes_;
  std::uint64_t populated_ = 0;  // bytes from the start already backed
  std::mutex mutex_;
  std::vector<Block> blocks_;  // by offset
};

// The receiver's side: payloads the peer placed, borrowed in place (recv_placed) until
// the borrower gives them back; then the peer may reuse their block.
class PlacedLeases final : public BufferLender {
 public:
  explicit PlacedLeases(unsigned char* base) : base_(base) {}
  PooledBuffer lend(unsigned char* data, std::size_t n, std::uint64_t block_off) {
    std::lock_guard<std::mutex> lk(mutex_);
    lent_.push_back({data, block_off});
    return PooledBuffer(this, data, n);
  }
  void put(unsigned char* data, std::size_t) override {
    std::lock_guard<std::mutex> lk(mutex_);
    for (std::size_t i = 0; i < lent_.size(); ++i)
      if (lent_[i].first == data) {
        consumed(lent_[i].second);
        lent_.erase(lent_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
  }
  void consumed(std::uint64_t block_off) {
    reinterpret_cast<BlockHeader*>(base_ + block_off)->consumed.fetch_add(1, std::memory_order_release);
  }
  bool lent() {
    std::lock_guard<std::mutex> lk(mutex_);
    return !lent_.empty();
  }

 private:
  unsigned char* base_;
  std::mutex mutex_;
  std::vector<std::pair<unsigned char*, std::uint64_t>> lent_;
};

class ShmStream : public Stream {
 public:
  // pages: the guest's or the server's side of the shared pages (null: none offered).
  ShmStream(int sock, void* base, std::size_t total, std::size_t ring_bytes, std::size_t data_bytes, bool server,
            std::unique_ptr<shared_pages::GuestPages> guest_pages, std::unique_ptr<shared_pages::ServerPages> server_pages)
      : sock_(sock), base_(base), total_(total), cap_(ring_bytes), data_bytes_(data_bytes),
        stream_from_(server ? stream_outputs_from() : SIZE_MAX), guest_pages_(std::move(guest_pages)),
        server_pages_(std::move(server_pages)) {
    auto* hdr = static_cast<ShmHeader*>(base);
    auto* data = static_cast<unsigned char*>(base) + kHeaderBytes;
    closed_ = &hdr->closed;
    out_ = &hdr->ring[server ? 1 : 0];
    in_ = &hdr->ring[server ? 0 : 1];
    out_data_ = data + (server ? ring_bytes : 0);
    in_data_ = data + (server ? 0 : ring_bytes);
    unsigned char* regions = data + 2 * ring_bytes;  // [0] guest -> server, [1] server -> guest
    in_region_ = regions + (server ? 0 : data_bytes);
    out_region_base_ = regions + (server ? data_bytes : 0);
    out_region_ = new PlacedRegion(out_region_base_, data_bytes);
    leases_ = new PlacedLeases(in_region_);
    // Only the guest runtime polls fd() (its callback thread); the server never does,
    // so a guest writing to a busy server costs no doorbell syscalls.
    if (!server) in_->reader_polls.store(1, std::memory_order_seq_cst);
  }

  // Passive: a forking server destroys its copy in the parent while the worker serves.
  // Placed memory still lent out (a worker torn down while the library may still read a
  // held input) keeps the mapping: the process is about to exit, a crash is not.
  ~ShmStream() override {
    if (out_region_->lent() || leases_->lent()) {
      ::close(sock_);
      return;
    }
    delete out_region_;
    delete leases_;
    ::munmap(base_, total_);
    ::close(sock_);
  }

  bool send_all(const void* p, std::size_t n) override {
    iovec one{const_cast<void*>(p), n};
    return send_vec_trailer(&one, 1, 1);
  }

  bool send_vec(iovec* pieces, int count) override { return send_vec_trailer(pieces, count, count); }

  // A frame goes into the ring as records: inline bytes (header, fields, small trailers)
  // and references to payloads in the data region. A trailer already in placed memory
  // (an output the library wrote there) is referenced where it is; any other large one
  // is copied into one block (the receiver then uses it in place); one that does not fit,
  // or a server's from stream_from_ up (the guest copies it out anyway), streams through
  // the ring. All of it is one publish (one doorbell decision) for a small frame.
  bool send_vec_trailer(iovec* pieces, int count, int trailer_from) override {
    // Members, not thread_local: a guest's exit handler flushes after thread-local
    // destructors ran (ASan saw the use after free); sends on one ring are serialized.
    auto& raw = send_raw_;
    auto& records = send_records_;
    raw.clear();
    records.clear();
    records.reserve(4 * static_cast<std::size_t>(count) + 3);  // iovecs point into it: no reallocation
    // Shared pages: the trailer's large inputs checked (and maybe adopted) first; what the
    // server must learn about adoptions goes before the frame that uses them.
    const bool share_all = std::exchange(share_inputs_, false);
    std::vector<const void*> kept = std::exchange(kept_inputs_, {});
    auto shareable = [&](const iovec& v) {
      return share_all || std::find(kept.begin(), kept.end(), v.iov_base) != kept.end();
    };
    if (guest_pages_) {
      for (int i = trailer_from; i < count; ++i)
        if (shareable(pieces[i])) guest_pages_->prepare(pieces[i].iov_base, pieces[i].iov_len);
      if (guest_pages_->take_records(send_control_))
        raw.push_back({send_control_.data(), send_control_.size() * sizeof(std::uint64_t)});
    }
    std::uint64_t run = 0;
    std::size_t run_at = 0;  // index in raw of the open inline run's length word
    auto add_inline = [&](const iovec& v) {
      if (v.iov_len == 0) return;
      if (run == 0) {
        records.push_back(0);
        run_at = raw.size();
        raw.push_back({&records.back(), sizeof(std::uint64_t)});
      }
      raw.push_back(v);
      run += v.iov_len;
      *static_cast<std::uint64_t*>(raw[run_at].iov_base) = run << 1;
    };
    auto add_ref = [&](std::uint64_t data_off, std::uint64_t n, std::uint64_t block_off) {
      run = 0;
      records.push_back(n << 1 | 1);
      records.push_back(data_off);
      records.push_back(block_off);
      raw.push_back({&records[records.size() - 3], 3 * sizeof(std::uint64_t)});
    };
    // A piece in shared pages goes as a window: where it lies in the file, and its bytes
    // outside the adopted interior (the receiver's copy of the rest is the program's own).
    auto window_of = [&](const iovec& v, shared_pages::Window& w) {
      if (v.iov_len < kPlaceMinBytes) return false;
      if (guest_pages_) return shareable(v) && guest_pages_->window(v.iov_base, v.iov_len, w);
      return server_pages_ && server_pages_->window_of(v.iov_base, v.iov_len, w);
    };
    auto add_window = [&](const iovec& v, const shared_pages::Window& w) {
      run = 0;
      records.push_back(w.bytes << 1 | 1);
      records.push_back(w.off);
      records.push_back(shared_pages::kWindowMark);
      records.push_back(w.head | w.tail << 32);
      raw.push_back({&records[records.size() - 4], 4 * sizeof(std::uint64_t)});
      auto* b = static_cast<unsigned char*>(v.iov_base);
      if (w.head) raw.push_back({b, static_cast<std::size_t>(w.head)});
      if (w.tail) raw.push_back({b + w.bytes - w.tail, static_cast<std::size_t>(w.tail)});
    };
    for (int i = 0; i < trailer_from; ++i) add_inline(pieces[i]);
    std::size_t trailer = 0;
    bool any_placed = false;
    shared_pages::Window w;
    for (int i = trailer_from; i < count; ++i) {
      trailer += pieces[i].iov_len;
      if (pieces[i].iov_len >= kPlaceMinBytes &&
          (out_region_->contains(pieces[i].iov_base) || window_of(pieces[i], w)))
        any_placed = true;
    }
    if (any_placed) {
      // Pieces already placed go by reference, pieces in shared pages as windows; the rest
      // (alignment padding, buffers from elsewhere) inline.
      for (int i = trailer_from; i < count; ++i) {
        std::uint64_t d, b;
        if (window_of(pieces[i], w))
          add_window(pieces[i], w);
        else if (pieces[i].iov_len >= kPlaceMinBytes &&
            out_region_->reference(pieces[i].iov_base, pieces[i].iov_len, d, b))
          add_ref(d, pieces[i].iov_len, b);
        else
          add_inline(pieces[i]);
      }
    } else if (trailer >= kPlaceMinBytes && trailer < stream_from_ && trailer_from < count) {
      std::uint64_t block_off = 0;
      unsigned char* block = out_region_->get_for_send(trailer, block_off);
      if (block) {
        unsigned char* at = block;
        for (int i = trailer_from; i < count; ++i) {
          if (pieces[i].iov_len) parallel_copy::copy(at, pieces[i].iov_base, pieces[i].iov_len);
          at += pieces[i].iov_len;
        }
        add_ref(static_cast<std::uint64_t>(block - out_region_base_), trailer, block_off);
      } else {
        for (int i = trailer_from; i < count; ++i) add_inline(pieces[i]);
      }
    } else {
      for (int i = trailer_from; i < count; ++i) add_inline(pieces[i]);
    }
    return write_pieces(raw.data(), static_cast<int>(raw.size()));
  }

  PooledBuffer placed_buffer(std::size_t bytes, bool peer_waits) override {
    if (bytes < kPlaceMinBytes || (peer_waits && bytes >= stream_from_)) return {};
    return out_region_->get(bytes);
  }

  bool places_payloads() const override { return true; }

  bool prepare_shared(const void* p, std::size_t n) override { return guest_pages_ && guest_pages_->prepare(p, n); }
  void share_next_inputs(bool all, std::span<const void* const> kept) override {
    share_inputs_ = all;
    kept_inputs_.assign(kept.begin(), kept.end());
  }
  unsigned char* guest_window(std::uint64_t guest_addr, std::size_t bytes) override {
    return server_pages_ && bytes >= kPlaceMinBytes ? server_pages_->window_for(guest_addr, bytes) : nullptr;
  }

  PooledBuffer recv_placed(std::size_t n) override {
    if (n == 0 || inline_left_ || ref_left_ || win_left_ || !next_record()) return {};
    if (ref_left_ != n) return {};  // not one placed piece: recv_all reads it
    unsigned char* p = ref_at_;
    ref_left_ = 0;
    if (ref_window_) return PooledBuffer(nullptr, p, n);  // the guest's pages: nothing to give back
    return leases_->lend(p, n, ref_block_);
  }

  bool recv_all(void* p, std::size_t n) override {
    auto* dst = static_cast<unsigned char*>(p);
    while (n > 0) {
      std::size_t k = read_stream(dst, n);
      if (k == 0) return false;
      dst += k;
      n -= k;
    }
    return true;
  }

  std::size_t recv_some(void* p, std::size_t n) override {
    return n ? read_stream(static_cast<unsigned char*>(p), n) : 0;
  }

  // True when bytes can be read, or when the stream is dead (the read then fails), as
  // poll() reports a hung-up socket readable.
  bool wait_readable(int timeout_ms) override {
    if (ref_left_ > 0 || win_left_ > 0 || available() > 0 || broken()) return true;
    if (timeout_ms == 0) {
      // A poller of fd() woke up and finds nothing to read: consume the doorbell bytes
      // first, then allow new ones, then look again (a writer that found a doorbell
      // pending published before we allowed new ones, so we see its bytes).
      if (!drain_socket()) return true;
      in_->bell_pending.exchange(0, std::memory_order_acq_rel);
      return available() > 0 || broken();
    }
    return await_data(timeout_ms) != 0;
  }

  int fd() const override { return sock_; }

  void shutdown_both() override {
    closed_->store(1, std::memory_order_seq_cst);
    for (RingControl* r : {in_, out_}) {
      r->data_seq.fetch_add(1, std::memory_order_seq_cst);
      futex_wake(&r->data_seq);
      r->space_seq.fetch_add(1, std::memory_order_seq_cst);
      futex_wake(&r->space_seq);
    }
    ::shutdown(sock_, SHUT_RDWR);
  }

 private:
  std::vector<iovec> send_raw_;               // send_vec_trailer's records, reused per send
  std::vector<std::uint64_t> send_records_;
  std::vector<std::uint64_t> send_control_;   // shared-pages announcements of the send
  // Reads the ring in full (a record's words); false when the stream is dead.
  bool read_ring_exact(void* p, std::size_t n) {
    auto* dst = static_cast<unsigned char*>(p);
    while (n > 0) {
      std::size_t k = read_ring(dst, n);
      if (k == 0) return false;
      dst += k;
      n -= k;
    }
    return true;
  }

  // The next record's header. A reference is checked against the data region: one that
  // does not fit marks the stream broken (a hostile peer cannot make us read elsewhere).
  bool next_record() {
    for (;;) {
      std::uint64_t word;
      if (!read_ring_exact(&word, sizeof word)) return false;
      if ((word & 1) == 0) {
        inline_left_ = word >> 1;
        if (inline_left_ == 0) return fail_stream();
        return true;
      }
      std::uint64_t where[2];  // data offset, block offset (or a shared-pages mark)
      if (!read_ring_exact(where, sizeof where)) return false;
      const std::uint64_t n = word >> 1;
      if (where[1] == shared_pages::kWindowMark) return next_window(n, where[0]);
      if (where[1] == shared_pages::kAdoptMark || where[1] == shared_pages::kReleaseMark) {
        if (!pages_record(n, where[0], where[1])) return false;
        continue;  // an announcement: the stream's next bytes follow it
      }
      return next_reference(n, where);
    }
  }

  // An adoption or release the guest announces (server side only).
  bool pages_record(std::uint64_t bytes, std::uint64_t file_off, std::uint64_t mark) {
    if (!server_pages_) return fail_stream();
    if (mark == shared_pages::kReleaseMark) {
      server_pages_->release(file_off);
      return true;
    }
    std::uint64_t addr;
    if (!read_ring_exact(&addr, sizeof addr)) return false;
    return server_pages_->adopt({addr, bytes, file_off}) || fail_stream();
  }

  // A window: its edge bytes follow in the ring. The server puts them around the interior
  // in its view of the file (the payload is then contiguous there, usable in place); the
  // guest serves them from edge_bytes_ and the rest from its own pages (read_window).
  bool next_window(std::uint64_t n, std::uint64_t off) {
    std::uint64_t edges;
    if (!read_ring_exact(&edges, sizeof edges)) return false;
    const shared_pages::Window w{off, n, edges & 0xffffffffu, edges >> 32};
    if (n == 0 || w.head >= shared_pages::kPage || w.tail >= shared_pages::kPage || w.head + w.tail >= n)
      return fail_stream();
    edge_bytes_.resize(static_cast<std::size_t>(w.head + w.tail));
    if (!edge_bytes_.empty() && !read_ring_exact(edge_bytes_.data(), edge_bytes_.size())) return false;
    if (server_pages_) {
      unsigned char* at = server_pages_->at(w);
      if (!at) return fail_stream();
      if (w.head) std::memcpy(at, edge_bytes_.data(), static_cast<std::size_t>(w.head));
      if (w.tail) std::memcpy(at + n - w.tail, edge_bytes_.data() + w.head, static_cast<std::size_t>(w.tail));
      ref_at_ = at;
      ref_left_ = n;
      ref_window_ = true;
      return true;
    }
    const unsigned char* interior = guest_pages_ ? guest_pages_->interior(w) : nullptr;
    if (!interior) return fail_stream();
    window_ = w;
    win_interior_ = interior;
    win_left_ = n;
    return true;
  }

  // Up to n bytes of a window the guest receives: edges from the record, the interior from
  // the program's pages (nothing to copy when dst is where they already are).
  std::size_t read_window(unsigned char* dst, std::size_t n) {
    const std::uint64_t k = std::min<std::uint64_t>(n, win_left_);
    const std::uint64_t pos = window_.bytes - win_left_, body_end = window_.bytes - window_.tail;
    for (std::uint64_t done = 0; done < k;) {
      const std::uint64_t at = pos + done;
      std::uint64_t c;
      if (at < window_.head) {
        c = std::min(k - done, window_.head - at);
        std::memcpy(dst + done, edge_bytes_.data() + at, static_cast<std::size_t>(c));
      } else if (at < body_end) {
        c = std::min(k - done, body_end - at);
        const unsigned char* src = win_interior_ + (at - window_.head);
        if (src != dst + done) parallel_copy::copy(dst + done, src, static_cast<std::size_t>(c));
      } else {
        c = k - done;
        std::memcpy(dst + done, edge_bytes_.data() + window_.head + (at - body_end), static_cast<std::size_t>(c));
      }
      done += c;
    }
    win_left_ -= k;
    return static_cast<std::size_t>(k);
  }

  bool next_reference(std::uint64_t n, const std::uint64_t* where) {
    if (n == 0 || data_bytes_ < kBlockHeader || where[0] > data_bytes_ || n > data_bytes_ - where[0] ||
        where[1] > data_bytes_ - kBlockHeader || where[1] % kBlockHeader != 0)
      return fail_stream();
    ref_at_ = in_region_ + where[0];
    ref_left_ = n;
    ref_block_ = where[1];
    ref_window_ = false;
    return true;
  }

  bool fail_stream() {
    broken_.store(true);
    return false;
  }

  // Up to n bytes of the stream, from the ring or from a placed payload; 0 when dead.
  std::size_t read_stream(unsigned char* dst, std::size_t n) {
    if (inline_left_ == 0 && ref_left_ == 0 && win_left_ == 0 && !next_record()) return 0;
    if (inline_left_ > 0) {
      std::size_t k = read_ring(dst, static_cast<std::size_t>(std::min<std::uint64_t>(n, inline_left_)));
      inline_left_ -= k;
      return k;
    }
    if (win_left_ > 0) return read_window(dst, n);
    std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, ref_left_));
    if (!ref_window_ || dst != ref_at_) parallel_copy::copy(dst, ref_at_, k);  // a large payload: with helper threads
    ref_at_ += k;
    ref_left_ -= k;
    if (ref_left_ == 0 && !ref_window_) leases_->consumed(ref_block_);  // the peer may reuse the block
    return k;
  }

  // Copies the pieces into the ring in order and publishes them once at the end (a frame
  // of header and body is one publish: see wake_reader), or every kPublishChunk bytes of
  // a large message so that the reader copies out while we copy in.
  bool write_pieces(const iovec* pieces, int count) {
    std::uint64_t pos = out_head_;  // written, not yet published from out_head_ on
    for (int i = 0; i < count; ++i) {
      const auto* src = static_cast<const unsigned char*>(pieces[i].iov_base);
      std::size_t n = pieces[i].iov_len;
      while (n > 0) {
        std::size_t room = room_from(pos, std::min(n, kPublishChunk));
        if (broken()) return false;
        if (room == 0) {
          publish(pos);
          if (!await_space()) return false;
          continue;
        }
        std::size_t k = std::min({n, room, kPublishChunk});
        std::size_t at = static_cast<std::size_t>(pos & (cap_ - 1));
        std::size_t first = std::min(k, cap_ - at);
        std::memcpy(out_data_ + at, src, first);
        if (k > first) std::memcpy(out_data_, src + first, k - first);
        pos += k;
        src += k;
        n -= k;
        if (pos - out_head_ >= kPublishChunk) publish(pos);
      }
    }
    publish(pos);
    return !broken();
  }

  void publish(std::uint64_t pos) {
    if (pos == out_head_) return;
    out_head_ = pos;
    out_->head.store(out_head_, std::memory_order_release);
    wake_reader();
  }

  // Copies up to n bytes out of the ring, waiting for the first; 0 when the stream is dead.
  std::size_t read_ring(unsigned char* dst, std::size_t n) {
    for (;;) {
      // Bytes already published are delivered even after the peer closed (its last words).
      std::size_t have = available();
      if (have > 0) {
        std::size_t k = std::min({n, have, kPublishChunk});
        std::size_t at = static_cast<std::size_t>(in_tail_ & (cap_ - 1));
        std::size_t first = std::min(k, cap_ - at);
        std::memcpy(dst, in_data_ + at, first);
        if (k > first) std::memcpy(dst + first, in_data_, k - first);
        in_tail_ += k;
        in_->tail.store(in_tail_, std::memory_order_release);
        wake_writer();
        return k;
      }
      if (broken() || await_data(-1) <= 0) return 0;
    }
  }

  bool broken() const {
    return broken_.load(std::memory_order_relaxed) || closed_->load(std::memory_order_relaxed) != 0;
  }

  // Bytes the peer published and we have not read. The peer's index is checked: a value
  // that does not fit the ring marks the stream broken instead of reading out of bounds.
  std::size_t available() {
    std::uint64_t head = in_->head.load(std::memory_order_acquire);
    std::uint64_t have = head - in_tail_;
    if (have > cap_) {
      broken_.store(true);
      return 0;
    }
    return static_cast<std::size_t>(have);
  }

  // Room from the published head on; reloads the reader's tail (and checks it).
  std::size_t free_space() {
    std::uint64_t tail = out_->tail.load(std::memory_order_acquire);
    std::uint64_t used = out_head_ - tail;
    if (used > cap_) {
      broken_.store(true);
      return 0;
    }
    tail_seen_ = tail;
    return cap_ - static_cast<std::size_t>(used);
  }

  // Room from `pos` (written, not yet published) on. The reader's tail lives in a cache
  // line the reader writes: it is read again only when the last value seen leaves less
  // than `want` bytes, so a small frame in a roomy ring costs no cache miss on it (and
  // the reader's next tail store none either). The tail only grows: a stale value is safe.
  std::size_t room_from(std::uint64_t pos, std::size_t want) {
    std::size_t room = cap_ - static_cast<std::size_t>(pos - tail_seen_);
    if (room >= want) return room;
    room = free_space();
    const std::size_t unpublished = static_cast<std::size_t>(pos - out_head_);
    return room > unpublished ? room - unpublished : 0;
  }

  // The peer is gone when its end of the socket is closed (process exit closes it).
  bool peer_alive() {
    if (broken()) return false;
    pollfd pfd{sock_, POLLRDHUP, 0};
    int r;
    do r = ::poll(&pfd, 1, 0);
    while (r < 0 && errno == EINTR);
    if (r > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL))) {
      broken_.store(true);
      return false;
    }
    return true;
  }

  // Reads doorbell bytes off the socket; false when it finds the peer's end closed.
  bool drain_socket() {
    char sink[64];
    for (;;) {
      ssize_t k = ::recv(sock_, sink, sizeof sink, MSG_DONTWAIT);
      if (k > 0) continue;
      if (k < 0 && errno == EINTR) continue;
      if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
      broken_.store(true);
      return false;
    }
  }

  // After publishing: the first publish a waiting reader sees needs no doorbell (it takes
  // it), a sleeping one needs a futex wake. Any other publish may be left in the ring
  // when the reader stops reading, so a poller of fd() gets a doorbell byte, as unread
  // bytes on a socket would wake it (one byte until a poller drains it).
  void wake_reader() {
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the reader's state store
    std::uint32_t state = out_->reader_state.load(std::memory_order_relaxed);
    for (;;) {
      if (state == kSpinning || state == kSleeping) {
        if (!out_->reader_state.compare_exchange_weak(state, kNotified)) continue;
        if (state == kSleeping) {
          out_->data_seq.fetch_add(1, std::memory_order_seq_cst);
          futex_wake(&out_->data_seq);
        }
        return;
      }
      if (out_->reader_polls.load(std::memory_order_relaxed) != 0 && out_->bell_pending.exchange(1) == 0) {
        char bell = 0;
        ::send(sock_, &bell, 1, MSG_DONTWAIT | MSG_NOSIGNAL);  // a full socket rings already
      }
      return;
    }
  }

  void wake_writer() {
    std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the writer's flag store
    if (in_->writer_sleeping.load(std::memory_order_relaxed) != 0 && in_->writer_sleeping.exchange(0) != 0) {
      in_->space_seq.fetch_add(1, std::memory_order_seq_cst);
      futex_wake(&in_->space_seq);
    }
  }

  // Waits for data: spin, yield (remora_shm_wait.h), then futex sleeps of at most
  // kSleepSliceMs with a liveness check after each. 1: data, 0: timeout, -1: dead.
  int await_data(int timeout_ms) {
    int r = await_data_inner(timeout_ms);
    in_->reader_state.store(kIdle, std::memory_order_seq_cst);
    return r;
  }

  int await_data_inner(int timeout_ms) {
    auto start = Clock::now();
    auto deadline = timeout_ms < 0 ? Clock::time_point::max() : start + std::chrono::milliseconds(timeout_ms);
    // Spinning and yielding count as awake: a writer publishes without a futex wake.
    in_->reader_state.store(kSpinning, std::memory_order_seq_cst);
    auto ready = [&] { return available() > 0 || broken(); };
    if (spin_then_yield(ready, read_spin_, out_->writer_cpu, in_->writer_cpu, start, deadline))
      return available() > 0 ? 1 : -1;
    return sleep_for_data(deadline);
  }

  int sleep_for_data(Clock::time_point deadline) {
    for (;;) {
      std::uint32_t seq = in_->data_seq.load(std::memory_order_seq_cst);
      if (available() > 0) return 1;  // (a writer marked us notified)
      in_->reader_state.store(kSleeping, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with the writer's fence
      if (available() > 0) return 1;
      if (broken()) return -1;
      auto now = Clock::now();
      if (now >= deadline) return 0;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1;
      int slice = static_cast<int>(std::min<long long>(left, kSleepSliceMs));
      if (futex_wait(&in_->data_seq, seq, slice) < 0 && errno == ETIMEDOUT && available() == 0 && !peer_alive())
        return -1;
    }
  }

  // Waits until the ring has room; false when the peer is gone.
  bool await_space() {
    auto start = Clock::now();
    auto ready = [&] { return free_space() > 0 || broken(); };
    if (spin_then_yield(ready, write_spin_, out_->writer_cpu, in_->writer_cpu, start,
                        Clock::time_point::max()))
      return !broken();
    return sleep_for_space();
  }

  bool sleep_for_space() {
    for (;;) {
      std::uint32_t seq = out_->space_seq.load(std::memory_order_seq_cst);
      out_->writer_sleeping.store(1, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (free_space() > 0) {
        out_->writer_sleeping.store(0, std::memory_order_relaxed);
        return true;
      }
      if (broken()) return false;
      if (futex_wait(&out_->space_seq, seq, kSleepSliceMs) < 0 && errno == ETIMEDOUT && free_space() == 0 &&
          !peer_alive())
        return false;
    }
  }

  int sock_;
  void* base_;
  std::size_t total_;
  std::size_t cap_;
  std::atomic<std::uint32_t>* closed_;
  RingControl* out_;
  RingControl* in_;
  unsigned char* out_data_;
  unsigned char* in_data_;
  std::uint64_t out_head_ = 0;  // our own copies of the indexes we own
  std::uint64_t in_tail_ = 0;
  std::uint64_t tail_seen_ = 0;  // the reader's tail as last read (room_from)
  std::size_t data_bytes_;
  std::size_t stream_from_;   // unplaced trailers this large stream through the ring (server only)
  unsigned char* in_region_;  // the peer's placed payloads
  unsigned char* out_region_base_;
  PlacedRegion* out_region_;  // ours (see ~ShmStream for why these are pointers)
  PlacedLeases* leases_;
  // The record being read: bytes left of an inline one, or of a placed payload.
  std::uint64_t inline_left_ = 0;
  std::uint64_t ref_left_ = 0;
  unsigned char* ref_at_ = nullptr;
  std::uint64_t ref_block_ = 0;
  bool ref_window_ = false;  // the reference is a window in the server's shared pages
  // Shared pages (remora_shared_pages.h): the guest's or the server's side, or neither.
  std::unique_ptr<shared_pages::GuestPages> guest_pages_;
  std::unique_ptr<shared_pages::ServerPages> server_pages_;
  bool share_inputs_ = false;  // share_next_inputs, for the next send only
  std::vector<const void*> kept_inputs_;
  // The window being read (guest side): bytes left, its edges, its interior here.
  shared_pages::Window window_;
  std::uint64_t win_left_ = 0;
  const unsigned char* win_interior_ = nullptr;
  std::vector<unsigned char> edge_bytes_;
  SpinPolicy read_spin_, write_spin_;
  std::atomic<bool> broken_{false};
};

std::size_t ring_bytes_setting() {
  return static_cast<std::size_t>(env_number("REMORA_SHM_RING_BYTES", kDefaultRing,
                                             {kMinRing, kMaxRing, EnvUnit::Bytes, true}));
}

// REMORA_SHM_DATA_BYTES: each direction's data region (0: none, every payload streams
// through the rings); rounded down to whole pages.
std::size_t data_bytes_setting() {
  return static_cast<std::size_t>(
             env_number("REMORA_SHM_DATA_BYTES", kDefaultData, {0, kMaxData, EnvUnit::Bytes})) /
         4096 * 4096;
}

// REMORA_SHM_SHARED_BYTES: the shared pages' file (remora_shared_pages.h; 0: none offered).
std::uint64_t shared_pages_setting() {
  return env_number("REMORA_SHM_SHARED_BYTES", shared_pages::kDefaultFileBytes,
                    {0, shared_pages::kMaxFileBytes, EnvUnit::Bytes}) /
         4096 * 4096;
}

// The shared pages' file, mapped whole (address space only until the guest adopts pages),
// or -1 with nothing mapped: then the guest shares no pages, which costs only speed.
int create_shared_pages(std::unique_ptr<shared_pages::ServerPages>& out) {
  const std::uint64_t bytes = shared_pages_setting();
  if (bytes < 4 * shared_pages::kPage) return -1;
  int pfd = ::memfd_create("remora-pages", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (pfd < 0) return -1;
  if (::ftruncate(pfd, static_cast<off_t>(bytes)) != 0 ||
      ::fcntl(pfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    ::close(pfd);
    return -1;
  }
  void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, pfd, 0);
  if (base == MAP_FAILED) {
    ::close(pfd);
    return -1;
  }
  out = std::make_unique<shared_pages::ServerPages>(static_cast<unsigned char*>(base), bytes);
  return pfd;
}

}  // namespace

std::unique_ptr<Stream> shm_serve(int fd, std::string& error) {
  std::size_t ring = ring_bytes_setting();
  std::size_t data = data_bytes_setting();
  std::size_t total = kHeaderBytes + 2 * ring + 2 * data;
  int mfd = ::memfd_create("remora-shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0 || ::ftruncate(mfd, static_cast<off_t>(total)) != 0 ||
      // The guest cannot shrink it under the server (which would turn reads into SIGBUS).
      ::fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    error = std::string("cannot create the shared memory: ") + std::strerror(errno);
    if (mfd >= 0) ::close(mfd);
    ::close(fd);
    return nullptr;
  }
  void* base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  if (base == MAP_FAILED) {
    error = std::string("cannot map the shared memory: ") + std::strerror(errno);
    ::close(mfd);
    ::close(fd);
    return nullptr;
  }
  auto* hdr = new (base) ShmHeader{};
  hdr->magic = kShmMagic;
  hdr->version = kShmVersion;
  hdr->header_bytes = kHeaderBytes;
  hdr->ring_bytes = ring;
  hdr->data_bytes = data;
  hdr->total_bytes = total;

  // The memfd travels with a hello-fail frame (see kNotUnixReason).
  Writer body;
  body.put_string(kNotUnixReason);
  FrameHeader h;
  h.type = kMsgHelloFail;
  h.length = static_cast<std::uint32_t>(body.size());
  unsigned char msg[sizeof h + sizeof kNotUnixReason + 16];
  std::memcpy(msg, &h, sizeof h);
  std::memcpy(msg + sizeof h, body.data(), body.size());
  const std::size_t len = sizeof h + body.size();
  std::unique_ptr<shared_pages::ServerPages> pages;
  const int fds[2] = {mfd, create_shared_pages(pages)};
  const ssize_t sent = send_with_fds(fd, msg, len, fds, fds[1] >= 0 ? 2 : 1, MSG_DONTWAIT);
  ::close(mfd);  // the mappings keep the memory alive
  if (fds[1] >= 0) ::close(fds[1]);
  if (sent != static_cast<ssize_t>(len)) {
    error = std::string("cannot pass the shared memory to the guest: ") + std::strerror(errno);
    ::munmap(base, total);
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<ShmStream>(fd, base, total, ring, data, true, nullptr, std::move(pages));
}

std::unique_ptr<Stream> shm_attach(int fd, int timeout_ms, std::string& error) {
  int pages_fd = -1;
  auto fail = [&](const std::string& why, int mfd = -1) -> std::unique_ptr<Stream> {
    error = why;
    if (mfd >= 0) ::close(mfd);
    if (pages_fd >= 0) ::close(pages_fd);
    ::close(fd);
    return nullptr;
  };
  pollfd pfd{fd, POLLIN, 0};
  int r;
  do r = ::poll(&pfd, 1, timeout_ms);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    return fail("the server offered no shared memory within " + std::to_string(timeout_ms) +
                " ms (is it listening with --listen shm:PATH?)");
  FrameHeader h;
  unsigned char msg[sizeof h + sizeof kNotUnixReason + 16];
  int fds[2];
  const ssize_t got = recv_with_fds(fd, msg, sizeof msg, fds, 2, MSG_DONTWAIT);
  const int mfd = fds[0];
  pages_fd = fds[1];
  if (got <= 0 || mfd < 0) return fail("the server closed the connection or sent no shared memory", mfd);
  if (static_cast<std::size_t>(got) < sizeof h) return fail("short shared-memory offer from the server", mfd);
  std::memcpy(&h, msg, sizeof h);
  struct stat st{};
  if (h.magic != kMagic || ::fstat(mfd, &st) != 0 || static_cast<std::size_t>(st.st_size) < kHeaderBytes)
    return fail("the server's shared-memory offer is malformed", mfd);
  std::size_t size = static_cast<std::size_t>(st.st_size);
  void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  ::close(mfd);
  if (base == MAP_FAILED) return fail(std::string("cannot map the shared memory: ") + std::strerror(errno));
  const auto* hdr = static_cast<const ShmHeader*>(base);
  std::uint64_t ring = hdr->ring_bytes, data = hdr->data_bytes;
  bool ok = hdr->magic == kShmMagic && hdr->version == kShmVersion && hdr->header_bytes == kHeaderBytes &&
            ring >= kMinRing && ring <= kMaxRing && (ring & (ring - 1)) == 0 && data <= kMaxData &&
            data % 4096 == 0 && hdr->total_bytes == kHeaderBytes + 2 * ring + 2 * data && hdr->total_bytes <= size;
  if (!ok) {
    ::munmap(base, size);
    return fail("the server's shared memory has an unknown layout (a different remora version?)");
  }
  // The shared pages (optional: a server with REMORA_SHM_SHARED_BYTES=0 offers none).
  std::unique_ptr<shared_pages::GuestPages> pages;
  struct stat pst{};
  if (pages_fd >= 0 && ::fstat(pages_fd, &pst) == 0 && pst.st_size > 0)
    pages = std::make_unique<shared_pages::GuestPages>(std::exchange(pages_fd, -1),
                                                       static_cast<std::uint64_t>(pst.st_size));
  if (pages_fd >= 0) ::close(pages_fd);
  return std::make_unique<ShmStream>(fd, base, size, static_cast<std::size_t>(ring), static_cast<std::size_t>(data),
                                     false, std::move(pages), nullptr);
}

}  // namespace remora
