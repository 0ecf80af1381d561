#include "remora_server.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace remora::server {
namespace {

thread_local Worker* t_worker = nullptr;
volatile sig_atomic_t g_child_exited = 0;
volatile sig_atomic_t g_stop = 0;

void on_sigchld(int) { g_child_exited = 1; }
void on_stop(int) { g_stop = 1; }

void reap_children(const char* api) {
  for (;;) {
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    if (WIFSIGNALED(status))
      std::fprintf(stderr, "%s: worker %d crashed (signal %d); other guests are unaffected\n", api,
                   static_cast<int>(pid), WTERMSIG(status));
    else
      std::fprintf(stderr, "%s: guest disconnected (worker %d exited with %d)\n", api,
                   static_cast<int>(pid), WEXITSTATUS(status));
  }
}

std::string g_library_path;

void usage(const ApiInfo& api) {
  std::fprintf(stderr,
               "usage: %s --listen unix:PATH|shm:PATH|tcp:HOST:PORT --lib PATH-TO-REAL-LIBRARY\n"
               "Serves %s calls from guests using the generated remora guest library.\n",
               api.program_name, api.name);
}

}  // namespace

Worker* current_worker() { return t_worker; }

Worker::Worker(const ApiInfo& api, std::unique_ptr<Stream> stream) : api_(api), stream_(std::move(stream)) {}

bool Worker::fail(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (error_.empty()) error_ = buf;
  return false;
}

bool Worker::check_handle(std::uint64_t value, bool nullable, const char* what) {
  (void)nullable;  // NULL always goes through: the library reports a NULL it does not accept
  if (value == 0) return true;
  if (handles_.count(value)) return true;
  return fail("%s: unknown handle 0x%llx (not produced for this guest)", what,
              static_cast<unsigned long long>(value));
}

void Worker::add_handle(std::uint64_t value, std::uint32_t type, bool allocated) {
  if (value == 0) return;
  auto& e = handles_[value];
  if (!allocated) {
    if (e.live == 0) e.type = type;
    return;
  }
  // A new object (or the same address reused after a release): newest in release order.
  aliases_.forget_real(value);
  if (e.live == 0) e.order = next_order_++;
  e.type = type;
  e.live++;
}

// The handle stays known (a retained object may still be in use); only its count of
// references this guest owns goes down.
void Worker::drop_handle(std::uint64_t value) {
  auto it = handles_.find(value);
  if (it != handles_.end() && it->second.live > 0) it->second.live--;
  if (it != handles_.end() && it->second.live == 0) retained_.release(value);  // the object is gone
}

void* Worker::retain(const void* data, std::uint64_t bytes, std::uint64_t guest_addr, const char* what) {
  void* p = retained_.keep(data, bytes, guest_addr);
  if (!p) fail("%s: cannot keep %llu bytes for the object's lifetime", what, static_cast<unsigned long long>(bytes));
  return p;
}

bool Worker::count_call_bytes(std::uint64_t count, std::uint64_t esize, const char* what, std::uint64_t& bytes) {
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes())
    return fail("%s: %llu elements of %llu bytes exceed the message limit", what,
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(esize));
  // All of one call's buffers together are bounded too (a buffer of buffers has many).
  if (bytes > 2 * max_message_bytes() - scratch_bytes_)
    return fail("%s: the call's buffers together exceed twice the message limit", what);
  scratch_bytes_ += bytes;
  return true;
}

// Scratch buffers from this size up are lazy zero mappings (see scratch()).
constexpr std::uint64_t kLazyScratchBytes = std::uint64_t{1} << 20;

void* Worker::scratch(std::uint64_t count, std::uint64_t esize, const char* what) {
  std::uint64_t bytes;
  if (!count_call_bytes(count, esize, what, bytes)) return nullptr;
  // A large buffer is an untouched zero mapping: a capacity the guest announces costs
  // resident memory only for the bytes the library really writes.
  if (bytes >= kLazyScratchBytes) return zero_padded(nullptr, 0, bytes, what);
  scratch_.emplace_back(bytes ? bytes : 1, 0);
  return scratch_.back().data();
}

const void* Worker::take_buffer(Reader& in, std::uint64_t bytes, const char* what) {
  if (travels_as_bulk(bytes)) {
    const std::uint64_t at = bulk_align(bulk_cursor_);
    if (at > bulk_size_ || bytes > bulk_size_ - at) {
      fail("%s: request truncated (%llu bytes missing from its bulk trailer)", what, static_cast<unsigned long long>(bytes));
      return nullptr;
    }
    bulk_cursor_ = at + bytes;
    return request_bulk_.data() + at;
  }
  void* m = scratch(bytes, 1, what);
  if (!m) return nullptr;
  const unsigned char* b = in.take(bytes);
  if (!b) {
    fail("%s: request truncated", what);
    return nullptr;
  }
  if (bytes) std::memcpy(m, b, bytes);
  return m;
}

void* Worker::output_buffer(std::uint64_t count, std::uint64_t esize, const char* what) {
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || !travels_as_bulk(bytes)) return scratch(count, esize, what);
  if (!count_call_bytes(count, esize, what, bytes)) return nullptr;
  PooledBuffer b = pool_.get(bytes);
  if (!b) {
    fail("%s: cannot allocate %llu bytes", what, static_cast<unsigned long long>(bytes));
    return nullptr;
  }
  call_buffers_.push_back(std::move(b));
  return call_buffers_.back().data();
}

void* Worker::pending_output(std::uint64_t guest_addr, std::uint64_t count, std::uint64_t esize,
                             const char* what) {
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes()) {
    fail("%s: asynchronous output too large", what);
    return nullptr;
  }
  // Every pending output travels back in one reply: together they fit one message.
  std::uint64_t held = 0;
  for (const auto& q : pending_) held += q->size;
  if (bytes > max_message_bytes() - std::min(held, max_message_bytes())) {
    fail("%s: %llu bytes of asynchronous output on top of %llu pending exceed the message limit "
         "(call a barrier such as clFinish first)",
         what, static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(held));
    return nullptr;
  }
  auto p = std::make_unique<Pending>();
  p->guest_addr = guest_addr;
  p->size = bytes;
  p->data = pool_.get(bytes);  // not zeroed: a successful call writes it, a failed one drops it
  if (!p->data) {
    fail("%s: cannot allocate %llu bytes", what, static_cast<unsigned long long>(bytes));
    return nullptr;
  }
  void* r = p->data.data();
  pending_.push_back(std::move(p));
  return r;
}

void Worker::call_failed() {
  if (pending_.size() > pending_before_) pending_.resize(pending_before_);
  for (auto& b : call_buffers_) std::memset(b.data(), 0, b.capacity());
}

void Worker::add_mapping(void* real, std::uint64_t size) {
  if (!real) return;
  auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(real));
  mappings_[key] = size;
  if (deferred_) {
    View v{size, {}};
    v.last_sent.assign(static_cast<unsigned char*>(real), static_cast<unsigned char*>(real) + size);
    views_[key] = std::move(v);  // the map call's reply carries these bytes
  }
}

void Worker::add_persistent_mapping(void* real, std::uint64_t size, std::uint64_t owner) {
  if (!real) return;
  auto key = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(real));
  mappings_[key] = size;
  View v{size, {}, true};
  // The map call's own reply carries these bytes: later replies send only changes.
  v.last_sent.assign(static_cast<unsigned char*>(real), static_cast<unsigned char*>(real) + size);
  views_[key] = std::move(v);
  mapping_owners_.emplace(owner, key);
}

void Worker::drop_mappings_of(std::uint64_t owner) {
  auto [first, last] = mapping_owners_.equal_range(owner);
  for (auto it = first; it != last; ++it) {
    mappings_.erase(it->second);
    views_.erase(it->second);
  }
  mapping_owners_.erase(first, last);
}

bool Worker::apply_mapped_writes(Reader& in) {
  std::uint32_t count = 0;
  if (!in.get_u32(count)) return fail("mapped writes: request truncated");
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint64_t real = 0, offset = 0, len = 0;
    if (!in.get_u64(real) || !in.get_u64(offset) || !in.get_u64(len)) return fail("mapped writes: request truncated");
    auto view = views_.find(real);
    if (view == views_.end() || !view->second.persistent)
      return fail("mapped writes: 0x%llx is not a persistent mapping of this guest", static_cast<unsigned long long>(real));
    if (offset > view->second.size || len > view->second.size - offset || len > in.remaining())
      return fail("mapped writes: %llu bytes at offset %llu do not fit a mapping of %llu",
                  static_cast<unsigned long long>(len), static_cast<unsigned long long>(offset),
                  static_cast<unsigned long long>(view->second.size));
    const unsigned char* bytes = in.take(len);
    std::memcpy(reinterpret_cast<unsigned char*>(static_cast<std::uintptr_t>(real)) + offset, bytes, len);
    std::memcpy(view->second.last_sent.data() + offset, bytes, len);  // the guest has them already
  }
  return true;
}

void* Worker::take_mapping(std::uint64_t real, std::uint64_t len, const char* what) {
  auto it = mappings_.find(real);
  if (it == mappings_.end()) {
    fail("%s: 0x%llx is not a mapped region of this guest", what, static_cast<unsigned long long>(real));
    return nullptr;
  }
  if (len > it->second) {
    fail("%s: %llu bytes written back into a mapping of %llu", what, static_cast<unsigned long long>(len),
         static_cast<unsigned long long>(it->second));
    return nullptr;
  }
  mappings_.erase(it);
  views_.erase(real);
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(real));
}

CallbackRecord* Worker::callback_record(std::uint32_t signature, std::uint64_t fn, std::uint64_t user_data) {
  callbacks_.push_back(std::make_unique<CallbackRecord>(CallbackRecord{this, signature, fn, user_data}));
  return callbacks_.back().get();
}

bool Worker::get_value_bytes(Reader& in, void* out, std::size_t n, const char* what) {
  if (!in.get_raw(out, n)) return fail("%s: request truncated", what);
  return true;
}

bool Worker::get_handle_u64(Reader& in, std::uint64_t& v, bool nullable, const char* what) {
  if (!in.get_u64(v)) return fail("%s: request truncated", what);
  bool known = true;
  const std::uint64_t real = aliases_.to_real(v, known);
  if (!known)
    return fail("%s: unknown handle 0x%llx (not named by this guest)", what, static_cast<unsigned long long>(v));
  v = real;
  return check_handle(v, nullable, what);
}

bool Worker::get_guest_handle(Reader& in, std::uint64_t& v, const char* what) {
  if (!in.get_u64(v)) return fail("%s: request truncated", what);
  if (v != 0 && !is_guest_handle(v))
    return fail("%s: 0x%llx is not a guest-assigned handle value", what, static_cast<unsigned long long>(v));
  return true;
}

bool Worker::get_presence(Reader& in, bool& present, const char* what) {
  if (!in.get_presence(present)) return fail("%s: bad presence flag", what);
  return true;
}

bool Worker::get_count(Reader& in, std::uint64_t& count, std::uint64_t esize, const char* what) {
  if (!in.get_u64(count)) return fail("%s: request truncated", what);
  std::uint64_t bytes;
  if (!mul_size(count, esize, bytes) || bytes > max_message_bytes())
    return fail("%s: count %llu is too large", what, static_cast<unsigned long long>(count));
  return true;
}

bool Worker::get_string(Reader& in, const char*& s, const char* what) {
  bool present = false;
  if (!get_presence(in, present, what)) return false;
  if (!present) {
    s = nullptr;
    return true;
  }
  std::uint64_t n;
  if (!in.get_u64(n) || n > in.remaining()) return fail("%s: string length beyond the request", what);
  const unsigned char* src = in.take(n);
  if (std::memchr(src, 0, n)) return fail("%s: string contains a NUL byte", what);
  auto* dst = static_cast<char*>(scratch(n + 1, 1, what));
  if (!dst) return false;
  std::memcpy(dst, src, n);
  dst[n] = '\0';
  s = dst;
  return true;
}

void Worker::note_async_failure(std::uint64_t bits) {
  if (has_async_error_) return;
  has_async_error_ = true;
  async_error_fn_ = current_fn_;
  async_error_bits_ = bits;
}

Worker::Mapping::~Mapping() {
  if (at) ::munmap(at, bytes);
}

void* Worker::zero_padded(const void* data, std::uint64_t bytes, std::uint64_t total, const char* what) {
  if (total < bytes || total > max_message_bytes()) {
    fail("%s: a padded input of %llu bytes exceeds the message limit", what, static_cast<unsigned long long>(total));
    return nullptr;
  }
  void* at = ::mmap(nullptr, total ? total : 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (at == MAP_FAILED) {
    fail("%s: cannot map %llu bytes for a padded input", what, static_cast<unsigned long long>(total));
    return nullptr;
  }
  padded_.emplace_back(at, total ? total : 1);
  if (bytes) std::memcpy(at, data, bytes);
  return at;
}

void Worker::send_callback(const Writer& body) {
  std::lock_guard<std::mutex> lk(write_mutex_);
  if (stream_)
    send_frame(*stream_, kMsgCallback, 0, t_worker == this ? kFlagInCall : 0, body.data(), body.size());
}

void Worker::send_reply_error(std::uint32_t request, const std::string& why) {
  Writer w;
  w.put_u32(kReplyRejected);
  w.put_string(why.c_str());
  std::lock_guard<std::mutex> lk(write_mutex_);
  send_frame(*stream_, kMsgReply, request, 0, w.data(), w.size());
}

bool Worker::handshake() {
  FrameHeader h;
  std::vector<unsigned char> body;
  // A hello is a few bytes: nothing larger is read from a peer that has not said who it is.
  if (recv_frame(*stream_, h, body, 4096) != FrameResult::Ok) return false;
  Reader r(body.data(), body.size());
  std::uint32_t version = 0;
  std::uint64_t fingerprint = 0;
  std::string why;
  if (h.type != kMsgHello || !r.get_u32(version) || !r.get_u64(fingerprint)) {
    why = "expected a remora hello message";
  } else if (version != kProtocolVersion) {
    why = "protocol version " + std::to_string(version) + " is not " + std::to_string(kProtocolVersion);
  } else if (fingerprint != api_.fingerprint) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "the guest library and %s were generated from different %s specs "
                  "(fingerprint %016llx vs %016llx); regenerate and rebuild both from the same spec",
                  api_.program_name, api_.name, static_cast<unsigned long long>(fingerprint),
                  static_cast<unsigned long long>(api_.fingerprint));
    why = buf;
  }
  Writer w;
  if (!why.empty()) {
    std::fprintf(stderr, "%s: refused a guest: %s\n", api_.program_name, why.c_str());
    w.put_string(why.c_str());
    send_frame(*stream_, kMsgHelloFail, h.request, 0, w.data(), w.size());
    return false;
  }
  return send_frame(*stream_, kMsgHelloOk, h.request, 0, nullptr, 0);
}

namespace {

// Whether a pending output changed since it was sent: a hash instead of a copy of
// every byte (64-bit multiply-xorshift over 4 lanes; a change that collides would need
// crafted contents, and the contents are the guest's own data).
std::uint64_t content_hash(const unsigned char* p, std::size_t n) {
  std::uint64_t h[4] = {0x9e3779b97f4a7c15ull, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull, 0x27d4eb2f165667c5ull};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32)
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, p + i + 8 * k, 8);
      h[k] = (h[k] ^ w) * 0xff51afd7ed558ccdull;
      h[k] ^= h[k] >> 32;
    }
  for (; i < n; ++i) h[0] = (h[0] ^ p[i]) * 0x100000001b3ull;
  return (h[0] ^ (h[1] * 31) ^ (h[2] * 131) ^ (h[3] * 1031)) + n;
}

}  // namespace

void Worker::handle_call(const FrameHeader& h, const unsigned char* body, std::size_t n) {
  async_ = (h.flags & kFlagAsync) != 0;
  // Only a call that is non-blocking at the API level reads its inputs after it returns
  // (a setter sent without a reply is not one of them: nothing of it is held).
  deferred_ = (h.flags & kFlagDeferredOutputs) != 0;
  error_.clear();
  scratch_.clear();
  padded_.clear();
  scratch_bytes_ = 0;
  barrier_ = false;
  current_fn_ = h.type;
  pending_before_ = pending_.size();
  const std::size_t pending_before = pending_before_;
  out_.clear();
  bool ok;
  if (h.type >= api_.function_count) {
    ok = fail("unknown function id %u", h.type);
  } else {
    Reader in(body, n);
    t_worker = this;
    Handler handler = api_.functions[h.type].handler;
    ok = (h.flags & kFlagMappedWrites) == 0 || apply_mapped_writes(in);
    if (ok)
      ok = handler ? handler(*this, in, out_)
                   : fail("%s is not supported by this remoting stack", api_.functions[h.type].name);
    t_worker = nullptr;
  }
  // A rejected call wrote nothing: the outputs it reserved are not kept.
  if (!ok) pending_.resize(std::min(pending_.size(), pending_before));
  if (deferred_ && ok) {
    // A non-blocking call (a write, a kernel's argument list) may read its inputs after
    // this handler returns: keep them alive until a barrier call, as pending outputs are.
    for (auto& bytes : scratch_) held_inputs_.push_back(std::move(bytes));
    for (auto& m : padded_) held_padded_.push_back(std::move(m));
    scratch_.clear();
    if (request_bulk_) held_buffers_.push_back(std::move(request_bulk_));
    for (auto& b : call_buffers_) held_buffers_.push_back(std::move(b));
    call_buffers_.clear();
  }
  if (async_) {
    // Nobody waits for this reply: a rejected async call is reported later.
    if (!ok) {
      std::fprintf(stderr, "%s: rejected asynchronous %s: %s\n", api_.program_name,
                   h.type < api_.function_count ? api_.functions[h.type].name : "?", error_.c_str());
      note_async_failure(h.type < api_.function_count ? api_.functions[h.type].reject_status
                                                       : static_cast<std::uint64_t>(-1));
    }
    end_call();
    return;
  }
  if (!ok) {
    send_reply_error(h.request, error_);
    end_call();
    return;
  }
  Writer& w = reply_;
  w.clear();
  w.put_u32(kReplyOk);
  w.put_u8(has_async_error_);
  if (has_async_error_) {
    w.put_u32(async_error_fn_);
    w.put_u64(async_error_bits_);
  }
  // Pending outputs go back only when their bytes changed since they were last sent:
  // once a transfer is complete the program owns its memory again, and a stale resend
  // must not overwrite what it wrote there since. At a barrier they are final (and
  // retired after this reply), so one never sent goes without being hashed.
  // A pending output this call created is not sent with its reply: the API has not
  // finished writing it (the call's own reply carries none of its bytes).
  std::vector<Pending*> changed;
  for (std::size_t i = 0; i < pending_before && i < pending_.size(); ++i) {
    Pending* p = pending_[i].get();
    if (p->sent || !barrier_) {
      const std::uint64_t now = content_hash(p->data.data(), p->size);
      if (p->sent && now == p->sent_hash) continue;
      p->sent_hash = now;
    }
    p->sent = true;
    changed.push_back(p);
  }
  // The reply's bulk table: where each buffer of its trailer goes, in trailer order.
  w.put_u32(static_cast<std::uint32_t>(changed.size() + out_.bulk().size()));
  for (const Pending* p : changed) {
    w.put_u8(kBulkToAddress);
    w.put_u64(p->guest_addr);
    w.put_u64(p->size);
    w.put_bulk(p->data.data(), p->size);
  }
  for (const BulkSegment& b : out_.bulk()) {
    w.put_u8(kBulkToParameter);
    w.put_u64(b.tag);
    w.put_u64(b.size);
  }
  std::vector<std::uint64_t> changed_views;
  for (auto& [real, v] : views_) {
    const auto* now = reinterpret_cast<const unsigned char*>(static_cast<std::uintptr_t>(real));
    if (std::memcmp(v.last_sent.data(), now, v.size) == 0) continue;
    v.last_sent.assign(now, now + v.size);
    changed_views.push_back(real);
  }
  w.put_u32(static_cast<std::uint32_t>(changed_views.size()));
  for (std::uint64_t real : changed_views) {
    w.put_u64(real);
    w.put_u64(views_[real].size);
    w.put_raw(views_[real].last_sent.data(), views_[real].size);
  }
  const std::uint64_t total = w.size() + out_.size() + trailer_bytes({&w, &out_});
  if (total > max_message_bytes()) {
    // Too big to frame: the guest must get an answer, not wait for one that never comes.
    send_reply_error(h.request, "the reply (" + std::to_string(total) +
                                    " bytes) exceeds the message limit; raise REMORA_MAX_MESSAGE on both sides");
  } else {
    has_async_error_ = false;  // reported by this reply
    std::lock_guard<std::mutex> lk(write_mutex_);
    send_message(*stream_, kMsgReply, h.request, 0, {&w, &out_});
  }
  if (barrier_) {
    pending_.clear();
    for (auto it = views_.begin(); it != views_.end();) it = it->second.persistent ? std::next(it) : views_.erase(it);
    held_inputs_.clear();
    held_padded_.clear();
    held_buffers_.clear();
  }
  end_call();
}

// The reply is out: this call's pooled memory goes back to the pool for the next one.
void Worker::end_call() {
  retained_.bind(0);  // kept for an object the call did not create: freed
  call_buffers_.clear();
  request_bulk_.reset();
  bulk_size_ = bulk_cursor_ = 0;
  out_.clear();
  reply_.clear();
}

void Worker::serve() {
  if (!handshake()) return;
  for (;;) {
    FrameHeader h;
    FrameResult r = recv_header(*stream_, h);
    if (r == FrameResult::Closed) break;
    if (r == FrameResult::BadMagic || r == FrameResult::BadBulk) {
      // The byte stream can no longer be framed: say so and drop this guest.
      const char* why = r == FrameResult::BadMagic ? "bad frame magic" : "a bulk trailer longer than its frame";
      std::fprintf(stderr, "%s: %s from the guest; closing its connection\n", api_.program_name, why);
      send_reply_error(h.request, std::string(why) + "; connection closed");
      break;
    }
    if (r == FrameResult::TooLarge) {
      // Skip the oversized body without storing it, then keep serving.
      if (!skip_bytes(*stream_, h.length)) break;
      if (!(h.flags & kFlagAsync)) send_reply_error(h.request, "message larger than the limit");
      continue;
    }
    // The fields into a reused buffer, the trailer into pooled memory the handler uses in place.
    const std::size_t nfields = h.length - h.bulk;
    unsigned char* fields = fields_.prepare(nfields);
    if (nfields && !stream_->recv_all(fields, nfields)) break;
    if (h.bulk) {
      request_bulk_ = pool_.get(h.bulk);
      if (!request_bulk_) {
        if (!skip_bytes(*stream_, h.bulk)) break;
        if (!(h.flags & kFlagAsync)) send_reply_error(h.request, "the server cannot allocate the request's buffers");
        continue;
      }
      if (!stream_->recv_all(request_bulk_.data(), h.bulk)) break;
    }
    bulk_size_ = h.bulk;
    bulk_cursor_ = 0;
    handle_call(h, fields, nfields);
  }
  release_all();
}

void Worker::release_all() {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> owned;  // (order, value)
  for (const auto& [value, e] : handles_)
    if (e.live > 0) owned.emplace_back(e.order, value);
  std::sort(owned.begin(), owned.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::size_t released = 0;
  for (const auto& [order, value] : owned) {
    const HandleEntry& e = handles_[value];
    if (api_.release && e.type < api_.handle_type_count) {
      for (std::uint32_t i = 0; i < e.live; ++i) api_.release(e.type, value);
      ++released;
    }
  }
  // Then the stream states it never ended (newest first).
  if (api_.release_states) released += api_.release_states();
  if (released)
    std::fprintf(stderr, "%s: released %zu object(s) the guest left behind\n", api_.program_name, released);
  std::lock_guard<std::mutex> lk(write_mutex_);
  stream_.reset();
}

int run_main(int argc, char** argv, const ApiInfo& api) {
  std::string listen, lib;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> std::string {
      std::string prefix = std::string(name) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 < argc) return argv[++i];
      return "";
    };
    if (a == "--listen" || a.rfind("--listen=", 0) == 0) listen = value("--listen");
    else if (a == "--lib" || a.rfind("--lib=", 0) == 0) lib = value("--lib");
    else if (a == "-h" || a == "--help") {
      usage(api);
      return 0;
    } else {
      std::fprintf(stderr, "%s: unknown option '%s'\n", api.program_name, a.c_str());
      usage(api);
      return 2;
    }
  }
  if (listen.empty() || lib.empty()) {
    usage(api);
    return 2;
  }
  struct stat st{};
  if (::stat(lib.c_str(), &st) != 0) {
    std::fprintf(stderr, "%s: --lib %s: %s (give the path of the real %s library)\n", api.program_name,
                 lib.c_str(), std::strerror(errno), api.name);
    return 1;
  }
  g_library_path = lib;
  Address addr;
  std::string err;
  if (!parse_address(listen, addr, err)) {
    std::fprintf(stderr, "%s: %s\n", api.program_name, err.c_str());
    return 2;
  }
  int lfd = listen_on(addr, err);
  if (lfd < 0) {
    std::fprintf(stderr, "%s: %s\n", api.program_name, err.c_str());
    return 1;
  }
  struct sigaction sa{};
  sa.sa_handler = on_sigchld;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NOCLDSTOP;  // no SA_RESTART: accept() returns EINTR so we reap promptly
  sigaction(SIGCHLD, &sa, nullptr);
  struct sigaction st_sa{};
  st_sa.sa_handler = on_stop;
  sigemptyset(&st_sa.sa_mask);
  sigaction(SIGTERM, &st_sa, nullptr);
  sigaction(SIGINT, &st_sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::fprintf(stderr, "%s: serving %s from %s on %s\n", api.program_name, api.name, lib.c_str(),
               listen.c_str());
  while (!g_stop) {
    if (g_child_exited) {
      g_child_exited = 0;
      reap_children(api.program_name);
    }
    // Wake up at least twice a second so exited workers are reaped and logged promptly.
    pollfd pfd{lfd, POLLIN, 0};
    if (::poll(&pfd, 1, 500) <= 0) continue;
    auto stream = accept_from(lfd, addr);
    if (!stream) continue;
    pid_t pid = ::fork();
    if (pid < 0) {
      std::fprintf(stderr, "%s: fork failed: %s\n", api.program_name, std::strerror(errno));
      continue;
    }
    if (pid == 0) {
      ::close(lfd);
      signal(SIGCHLD, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
      signal(SIGINT, SIG_DFL);
      void* handle = ::dlopen(g_library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        std::fprintf(stderr, "%s: worker cannot load %s: %s\n", api.program_name, g_library_path.c_str(),
                     ::dlerror());
        Writer w;
        w.put_string(("the server cannot load the real library: " + g_library_path).c_str());
        FrameHeader h;
        std::vector<unsigned char> body;
        recv_frame(*stream, h, body);
        send_frame(*stream, kMsgHelloFail, 0, 0, w.data(), w.size());
        ::_exit(1);
      }
      std::vector<std::string> missing = api.resolve(handle);
      if (!missing.empty())
        std::fprintf(stderr, "%s: %zu function(s) not in %s (calls to them are rejected), first: %s\n",
                     api.program_name, missing.size(), g_library_path.c_str(), missing.front().c_str());
      // Never destroyed: API threads may still call a trampoline (which uses the worker)
      // until the process exits.
      auto* worker = new Worker(api, std::move(stream));
      worker->serve();
      std::fflush(stderr);
      ::_exit(0);  // the process exit frees everything else; skip static destructors
    }
    std::fprintf(stderr, "%s: guest connected (worker %d)\n", api.program_name, static_cast<int>(pid));
  }
  ::close(lfd);
  if (addr.kind == Address::Kind::Unix || addr.kind == Address::Kind::Shm) ::unlink(addr.path.c_str());
  reap_children(api.program_name);
  return 0;
}

}  // namespace remora::server
