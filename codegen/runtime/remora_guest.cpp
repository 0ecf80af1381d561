#include "remora_guest.h"

#if defined(__SANITIZE_ADDRESS__)
#define REMORA_GUEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REMORA_GUEST_ASAN 1
#endif
#endif
#ifndef REMORA_GUEST_ASAN
#define REMORA_GUEST_ASAN 0
#endif
#if REMORA_GUEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <thread>
#include <unordered_map>

#include "remora_auth.h"
#include "remora_env.h"
#include "remora_handle_ids.h"
#include "remora_mappings.h"
#include "remora_result_cache.h"
#include "remora_transport.h"

namespace remora::guest {
namespace {

const ApiInfo* g_api = nullptr;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Where the server is, and how the user chose it (for messages).
std::string server_address(std::string& source) {
  if (const char* e = std::getenv("REMORA_SERVER"); e && *e) {
    source = "REMORA_SERVER";
    return e;
  }
  std::string api = lower(g_api->name);
  std::vector<std::string> files;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    files.push_back(std::string(x) + "/remora/" + api + ".conf");
  else if (const char* h = std::getenv("HOME"); h && *h)
    files.push_back(std::string(h) + "/.config/remora/" + api + ".conf");
  files.push_back("/etc/remora/" + api + ".conf");
  for (const auto& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("server=", 0) == 0) {
        source = f;
        return line.substr(7);
      }
    }
  }
  source = "default";
  return "unix:/tmp/remora-" + api + ".sock";
}

int connect_timeout_ms() {
  static const int v =
      static_cast<int>(env_number("REMORA_CONNECT_TIMEOUT_MS", 3000, kPositiveInt));
  return v;
}

// How long a call waits without hearing anything from the server (a reply, a callback,
// a heartbeat) before it gives the worker up as stopped or hung. The worker sends a
// heartbeat every second (REMORA_HEARTBEAT_MS) while a call runs, so a slow call never
// reaches it; keep it well above the server's heartbeat interval.
int liveness_timeout_ms() {
  static const int v =
      static_cast<int>(env_number("REMORA_LIVENESS_TIMEOUT_MS", 10000, kPositiveInt));
  return v;
}

// The key this guest proves it holds when a server asks (tcp:, vsock:): REMORA_KEY_FILE,
// else `key=PATH` in the config file that named the server, else the default key path
// (the same user on the same host as the server).
std::string key_file_path(const std::string& api_lower, const std::string& config_file) {
  if (const char* e = std::getenv("REMORA_KEY_FILE"); e && *e) return e;
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    std::string line;
    while (std::getline(in, line))
      if (line.rfind("key=", 0) == 0) return line.substr(4);
  }
  return auth::default_key_path(api_lower);
}

// Per nesting depth of calls: the request being built and the reply's fields.
struct CallBuffers {
  Writer args;
  ByteBuffer body;
};

// What REMORA_STATS=1 prints at exit.
struct Stats {
  std::atomic<std::uint64_t> calls{0}, round_trips{0}, frames{0}, bytes{0}, sends{0}, cached{0};
};
Stats g_stats;

void print_stats() {
  std::fprintf(stderr, "remora: %llu calls, %llu round trips, %llu frames, %llu bytes, %llu sends, %llu cached\n",
               static_cast<unsigned long long>(g_stats.calls.load()),
               static_cast<unsigned long long>(g_stats.round_trips.load()),
               static_cast<unsigned long long>(g_stats.frames.load()),
               static_cast<unsigned long long>(g_stats.bytes.load()),
               static_cast<unsigned long long>(g_stats.sends.load()),
               static_cast<unsigned long long>(g_stats.cached.load()));
}

void count_frame_sent(std::uint64_t bytes) {
  g_stats.frames.fetch_add(1, std::memory_order_relaxed);
  g_stats.bytes.fetch_add(sizeof(FrameHeader) + bytes, std::memory_order_relaxed);
}
void count_received(std::uint64_t bytes) {
  g_stats.bytes.fetch_add(sizeof(FrameHeader) + bytes, std::memory_order_relaxed);
}

// The process-wide connection. Never destroyed: the OS closes it at exit, which
// tells the server worker to release this guest's objects.
struct Connection {
  std::recursive_mutex mutex;
  std::unique_ptr<Stream> stream;
  bool lost = false;             // was connected, then the server went away
  bool reported = false;         // the "cannot reach the server" line was printed
  std::chrono::steady_clock::time_point next_attempt{};
  std::uint32_t next_request = 1;
  std::string address;
  bool callback_thread_started = false;
  // An earlier async failure reported to an internal call (a size query): kept for
  // the program's next call, which is where the program looks for it.
  bool carried_async_error = false;
  std::uint32_t carried_fn = 0;
  std::uint64_t carried_bits = 0;
  std::vector<std::unique_ptr<CallBuffers>> buffers;  // index: nesting depth
  std::size_t depth = 0;
  // Calls sent without a reply wait here, as whole frames, until the next call that
  // waits for one (they go in its sendmsg), the size threshold, the flusher's time
  // threshold, or exit: consecutive setters and enqueues cost one write.
  Writer batch;
  std::chrono::steady_clock::time_point batch_since{};
  ResultCache results;  // answers of cacheable calls
  // Read without the lock by the callback thread, to stay off the socket while the
  // program's calls read their own replies (see callback_thread_main).
  std::atomic<std::uint64_t> calls_started{0};
  std::atomic<int> calls_running{0};
  // Pieces of a split read sent with a reply wanted, whose replies come next, in order
  // (Call::pipeline); and the first failure among those read so far, for the last piece.
  struct Outstanding {
    std::uint32_t request;
    std::uint32_t function;
    std::vector<ReplyDestination> destinations;
    PipelinedPiece how;
  };
  std::deque<Outstanding> outstanding;
  bool piece_failed = false;
  std::uint32_t piece_fn = 0;
  std::uint64_t piece_bits = 0;
};

thread_local int t_internal_calls = 0;

// query() answers for the program call being prepared (see query_cache_get).
std::map<std::vector<std::uint64_t>, long long>& query_cache() {
  static std::map<std::vector<std::uint64_t>, long long> cache;
  return cache;
}

std::vector<std::uint64_t> query_key(const char* helper, const std::uint64_t* key, std::size_t n) {
  std::vector<std::uint64_t> k(key, key + n);
  k.push_back(reinterpret_cast<std::uintptr_t>(helper));  // one string literal per helper
  return k;
}

Connection* g_conn = nullptr;

// A forked child must not share its parent's connection (their requests and replies
// would interleave): it starts with none and connects on its first call, to a worker
// of its own. Objects the parent created are not valid there.
void start_flusher_once(bool reset);

void reset_connection_in_child() {
  start_flusher_once(/*reset=*/true);  // the parent's flusher thread does not exist here
  Connection* old = g_conn;
  g_conn = new Connection;  // the old one (and its mutex) is abandoned, not destroyed
  if (old && old->stream) ::close(old->stream->fd());
  g_stats.calls = g_stats.round_trips = g_stats.frames = g_stats.bytes = g_stats.sends = g_stats.cached = 0;  // the child counts its own
}

void flush_at_exit();

Connection& conn() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_conn = new Connection;
    pthread_atfork(nullptr, nullptr, reset_connection_in_child);
    if (const char* e = std::getenv("REMORA_STATS"); e && std::strcmp(e, "1") == 0) std::atexit(print_stats);
    std::atexit(flush_at_exit);  // registered last, so it runs before the stats are printed
  });
  return *g_conn;
}

// The address the server listens on for a guest's address: the same, except that a vsock
// guest names the host's CID while the host's server listens on any CID, and a
// virtio-serial guest names its port while the host's server listens on QEMU's chardev socket.
std::string server_listen_address(const std::string& guest_address) {
  Address a;
  std::string err;
  if (parse_address(guest_address, a, err) && a.kind == Address::Kind::VirtioSerial)
    return "virtio-serial:/PATH/OF/THE/QEMU/CHARDEV.sock";
  if (!parse_address(guest_address, a, err) || a.kind != Address::Kind::Vsock) return guest_address;
  return "vsock:ANY:" + std::to_string(a.vsock_port);
}

void report_unreachable(Connection& c, const std::string& why) {
  if (c.reported) return;
  c.reported = true;
  std::fprintf(stderr,
               "remora: cannot reach the %s API server at %s (%s). Start it with "
               "`%s --listen %s --lib /path/to/the/real/library` or set "
               "REMORA_SERVER=unix:PATH|shm:PATH|tcp:HOST:PORT|vsock:CID:PORT|virtio-serial:NAME. "
               "%s calls fail until then.\n",
               g_api->name, c.address.c_str(), why.c_str(), g_api->server_name,
               server_listen_address(c.address).c_str(), g_api->name);
}

void mark_lost(Connection& c) {
  if (c.stream) c.stream->shutdown_both();
  c.stream.reset();
  c.lost = true;
  c.outstanding.clear();
  std::fprintf(stderr,
               "remora: lost the connection to the %s API server at %s; every %s call fails from now on. "
               "Restart `%s --listen %s` and the program.\n",
               g_api->name, c.address.c_str(), g_api->name, g_api->server_name, c.address.c_str());
}

// ---- the batch of calls sent without a reply ----

// REMORA_BATCH_BYTES (default 64 KiB, 1 byte to 1 GiB): a batch this large is sent at once.
std::size_t batch_limit() {
  static const std::size_t limit = static_cast<std::size_t>(env_number(
      "REMORA_BATCH_BYTES", std::uint64_t{64} << 10, {1, std::uint64_t{1} << 30, EnvUnit::Bytes}));
  return limit;
}

// REMORA_BATCH_US (default 1000): a batch waits at most this long for a call that sends it
// (the program may be waiting for something it asked for, a callback, without a call).
long batch_delay_us() {
  static const long us = static_cast<long>(env_number("REMORA_BATCH_US", 1000, kPositiveInt));
  return us;
}

// REMORA_BATCH=0 sends each call without a reply on its own (for measuring what batching saves).
bool batching_enabled() {
  static const bool on = [] {
    const char* e = std::getenv("REMORA_BATCH");
    return !(e && std::strcmp(e, "0") == 0);
  }();
  return on;
}

bool flush_batch(Connection& c) {
  if (c.batch.size() == 0 || !c.stream) return true;
  bool ok = c.stream->send_all(c.batch.data(), c.batch.size());
  c.batch.clear();
  g_stats.sends.fetch_add(1, std::memory_order_relaxed);
  return ok;
}

// The flusher: sends a batch that waited batch_delay_us() without a call to carry it.
// It sleeps on a condition variable while no batch is open, so a program that batches
// nothing never wakes it.
struct Flusher {
  std::mutex m;
  std::condition_variable cv;
  bool started = false;
  bool armed = false;
  std::atomic<bool> idle{true};
  std::atomic<std::uint64_t> opened{0};  // batches opened so far
};
Flusher& flusher() {
  static auto* f = new Flusher;  // never destroyed: its thread may run during exit
  return *f;
}

void flusher_main() {
  Flusher& f = flusher();
  std::uint64_t seen = 0;
  for (;;) {
    {
      // idle is set before `opened` is read again, and arm_flusher bumps `opened` before
      // it reads idle: a batch opened meanwhile is seen by one of the two.
      std::unique_lock<std::mutex> lk(f.m);
      f.idle = true;
      f.cv.wait(lk, [&] { return f.armed || f.opened.load() != seen; });
      f.armed = false;
      f.idle = false;
    }
    // Tick while batches keep opening (re-arming costs a wake-up); idle after a quiet tick.
    seen = f.opened.load();
    for (;;) {
      std::this_thread::sleep_for(std::chrono::microseconds(batch_delay_us()));
      Connection& c = conn();
      std::unique_lock<std::recursive_mutex> lk(c.mutex, std::try_to_lock);
      if (!lk.owns_lock()) continue;  // a call is running: it sends the batch or adds to it
      const std::uint64_t now_opened = f.opened.load();
      if (c.batch.size() == 0 && now_opened == seen) break;
      seen = now_opened;
      if (c.batch.size() == 0) continue;
      auto age = std::chrono::steady_clock::now() - c.batch_since;
      if (age >= std::chrono::microseconds(batch_delay_us()) && !flush_batch(c)) mark_lost(c);
    }
  }
}

void start_flusher_once(bool reset) {
  Flusher& f = flusher();
  if (reset) {
    new (&f.m) std::mutex;  // a forked child: the parent's thread may have held these
    new (&f.cv) std::condition_variable;
    f.started = false;
    f.armed = false;
    f.idle = true;
    return;
  }
  std::lock_guard<std::mutex> lk(f.m);
  if (f.started) return;
  f.started = true;
  std::thread(flusher_main).detach();
}

// A batch just opened: make sure the flusher will look at it.
void arm_flusher() {
  Flusher& f = flusher();
  f.opened.fetch_add(1);
  if (!f.idle.load()) return;  // ticking already
  start_flusher_once(false);
  std::lock_guard<std::mutex> lk(f.m);
  f.armed = true;
  f.cv.notify_one();
}

void flush_at_exit() {
  Connection* c = g_conn;
  if (!c) return;
  // A thread blocked in a call at exit keeps its lock: the batch is then left to the
  // server's disconnect cleanup rather than waiting forever.
  std::unique_lock<std::recursive_mutex> lk(c->mutex, std::try_to_lock);
  if (lk.owns_lock()) flush_batch(*c);
}

// Pending outputs the server sends ahead of a callback (kMsgOutputs): written into the
// program's memory before the callback that may read them runs.
bool apply_outputs_frame(const unsigned char* body, std::size_t n) {
  Reader r(body, n);
  std::uint32_t count;
  if (!r.get_u32(count)) return false;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint64_t addr, size;
    if (!r.get_u64(addr) || !r.get_u64(size) || size > r.remaining()) return false;
    const unsigned char* bytes = r.take(size);
    if (addr && size) std::memcpy(reinterpret_cast<void*>(static_cast<std::uintptr_t>(addr)), bytes, size);
  }
  return true;
}

// Runs one callback. One flagged kFlagWantsResult returns a value the library is waiting
// for inside the current call: its answer goes back at once (an empty answer for a
// malformed message makes the worker give up, never read a made-up value).
void run_callback_frame(const FrameHeader& h, const std::vector<unsigned char>& body) {
  Reader r(body.data(), body.size());
  std::uint32_t sig;
  std::uint64_t fn, ud;
  const bool wants = (h.flags & kFlagWantsResult) != 0;
  Writer result;
  if (!r.get_u32(sig) || !r.get_u64(fn) || !r.get_u64(ud))
    std::fprintf(stderr, "remora: ignored a malformed callback message from the server\n");
  else
    g_api->dispatch_callback(sig, fn, ud, r, wants ? &result : nullptr);
  if (!wants) return;
  Connection& c = conn();
  std::lock_guard<std::recursive_mutex> lk(c.mutex);
  // Calls the callback made without waiting for a reply reach the worker first: the
  // library, which resumes on this answer, must see them done (a handler swapped, a stop).
  if (!flush_batch(c)) {
    mark_lost(c);
    return;
  }
  if (c.stream && send_frame(*c.stream, kMsgCallbackResult, h.request, 0, result.data(), result.size()))
    count_frame_sent(result.size());
}

// Returns once the program has made no call for a quiet interval (1 ms).
void wait_until_calls_pause(Connection& c) {
  for (;;) {
    const std::uint64_t seen = c.calls_started.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (c.calls_started.load() == seen && c.calls_running.load() == 0) return;
  }
}

// Delivers callbacks the API raises on its own threads while no call is running.
void callback_thread_main() {
  Connection& c = conn();
  for (;;) {
    int fd;
    {
      std::lock_guard<std::recursive_mutex> lk(c.mutex);
      if (!c.stream) return;
      fd = c.stream->fd();
    }
    // Wait without the lock: a call in progress reads its own reply meanwhile.
    const std::uint64_t calls_before = c.calls_started.load();
    pollfd pfd{fd, POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    if (c.calls_running.load() > 0 || c.calls_started.load() != calls_before) {
      // Readable because a call's reply came: that call reads it. Taking the lock here
      // would wake this thread twice per reply (the poll, then the unlock), which on a
      // busy host costs a small transfer a good part of its time; so stay off the socket
      // until calls pause. A callback frame that comes meanwhile is read by the next
      // call (receive_reply runs it), or here within a quiet interval once calls stop.
      wait_until_calls_pause(c);
      continue;
    }
    std::unique_lock<std::recursive_mutex> lk(c.mutex);
    if (!c.outstanding.empty()) {
      // Replies of pipelined pieces are next on the stream (a split ended early): the
      // next call reads them.
      lk.unlock();
      wait_until_calls_pause(c);
      continue;
    }
    if (!c.stream || !c.stream->wait_readable(0)) continue;
    FrameHeader h;
    std::vector<unsigned char> body;
    if (recv_frame(*c.stream, h, body) != FrameResult::Ok) {
      mark_lost(c);
      return;
    }
    count_received(h.length);
    if (h.type == kMsgCallback)
      run_callback_frame(h, body);
    else if (h.type == kMsgOutputs) {
      if (!apply_outputs_frame(body.data(), body.size()))
        std::fprintf(stderr, "remora: ignored a malformed outputs message from the server\n");
    } else if (h.type != kMsgHeartbeat)
      std::fprintf(stderr, "remora: ignored an unexpected message (type 0x%x) from the server\n", h.type);
  }
}

bool ensure_connected(Connection& c) {
  if (c.stream) return true;
  if (c.lost) return false;
  auto now = std::chrono::steady_clock::now();
  if (now < c.next_attempt) return false;
  c.next_attempt = now + std::chrono::seconds(2);
  std::string source;
  c.address = server_address(source);
  const std::string config_file = source == "REMORA_SERVER" || source == "default" ? "" : source;
  Address a;
  std::string err;
  if (!parse_address(c.address, a, err)) {
    report_unreachable(c, err + ", from " + source);
    return false;
  }
  auto s = connect_to(a, connect_timeout_ms(), err);
  if (!s) {
    report_unreachable(c, err);
    return false;
  }
  Writer hello;
  hello.put_u32(kProtocolVersion);
  hello.put_u64(g_api->fingerprint);
  hello.put_string(g_api->name);
  FrameHeader h;
  std::vector<unsigned char> body;
  // Bounded: a listener that accepted but stalls (or is not a remora server) must not
  // hold the program forever.
  auto answer = [&]() -> bool {
    if (!s->wait_readable(connect_timeout_ms())) {
      report_unreachable(c, "the handshake timed out after " + std::to_string(connect_timeout_ms()) +
                                " ms (the server accepted the connection but did not answer)");
      return false;
    }
    if (recv_frame(*s, h, body, 4096) != FrameResult::Ok) {
      report_unreachable(c, "the server closed the connection during the handshake");
      return false;
    }
    count_received(h.length);
    return true;
  };
  if (!send_frame(*s, kMsgHello, 0, 0, hello.data(), hello.size())) {
    report_unreachable(c, "the server closed the connection during the handshake");
    return false;
  }
  count_frame_sent(hello.size());
  if (!answer()) return false;
  std::vector<unsigned char> key;
  unsigned char my_nonce[auth::kNonceBytes];
  if (h.type == kMsgAuthChallenge) {
    // The server asks for proof that this guest holds its key (tcp:, vsock:).
    const std::string path = key_file_path(lower(g_api->name), config_file);
    std::string err;
    if (body.size() != auth::kNonceBytes || !auth::load_key(path, key, err) || !auth::random_nonce(my_nonce)) {
      std::fprintf(stderr,
                   "remora: the %s server at %s requires authentication and %s. Copy the server's key file "
                   "(printed by the server at start) and set REMORA_KEY_FILE=PATH.\n",
                   g_api->name, c.address.c_str(), err.empty() ? "the challenge is malformed" : err.c_str());
      c.lost = true;  // retrying will not make a key appear
      return false;
    }
    std::vector<unsigned char> response = auth::proof(key, "remora-guest", body.data());
    response.insert(response.end(), my_nonce, my_nonce + auth::kNonceBytes);
    if (!send_frame(*s, kMsgAuthResponse, 0, 0, response.data(), response.size())) {
      report_unreachable(c, "the server closed the connection during the handshake");
      return false;
    }
    count_frame_sent(response.size());
    if (!answer()) return false;
    // The server proves it holds the key too: a guest never talks to an impostor.
    if (h.type == kMsgHelloOk &&
        (body.size() != auth::kMacBytes ||
         !auth::equal(body.data(), auth::proof(key, "remora-server", my_nonce).data(), auth::kMacBytes))) {
      std::fprintf(stderr, "remora: the %s server at %s did not prove it holds the key in %s; not using it\n",
                   g_api->name, c.address.c_str(), path.c_str());
      c.lost = true;
      return false;
    }
  }
  if (h.type != kMsgHelloOk) {
    std::string why = "the server refused the handshake";
    Reader r(body.data(), body.size());
    bool present = false;
    std::uint64_t n = 0;
    if (h.type == kMsgHelloFail && r.get_presence(present) && present && r.get_u64(n) && n <= r.remaining())
      why = std::string(reinterpret_cast<const char*>(r.take(n)), n);
    std::fprintf(stderr, "remora: %s server at %s: %s\n", g_api->name, c.address.c_str(), why.c_str());
    c.lost = true;  // a mismatched pair will not fix itself
    return false;
  }
  c.stream = std::move(s);
  c.reported = false;
  if (g_api->has_callbacks && !c.callback_thread_started) {
    c.callback_thread_started = true;
    std::thread(callback_thread_main).detach();
  }
  return true;
}

}  // namespace


Call::Call(const ApiInfo* api, std::uint32_t function) : function_(function), lock_(conn().mutex) {
  g_api = api;
  Connection& c = conn();
  if (c.buffers.size() <= c.depth) c.buffers.push_back(std::make_unique<CallBuffers>());
  CallBuffers& b = *c.buffers[c.depth++];
  b.args.clear();
  args_ = &b.args;
  body_ = &b.body;
  if (t_internal_calls == 0) g_stats.calls.fetch_add(1, std::memory_order_relaxed);
  connected_ = ensure_connected(c);
  c.calls_started.fetch_add(1, std::memory_order_relaxed);  // last: the destructor undoes it
  c.calls_running.fetch_add(1, std::memory_order_relaxed);
}

Call::~Call() {
  Connection& c = conn();
  if (c.depth > 0) --c.depth;
  c.calls_running.fetch_sub(1, std::memory_order_relaxed);
}

void Call::bad_reply(const char* what) {
  std::fprintf(stderr, "remora: malformed reply from the server for %s (%s)\n",
               g_api->function_names[function_], what);
}

void Call::receive_into(std::uint32_t param, void* dest, std::uint64_t capacity) {
  destinations_.push_back({param, dest, capacity, ~std::uint64_t{0}});
}

bool Call::received(std::uint32_t param, std::uint64_t bytes) const {
  for (const auto& d : destinations_)
    if (d.param == param) return d.delivered == bytes;
  return false;
}

bool async_enabled() {
  static const bool enabled = [] {
    const char* strict = std::getenv("REMORA_STRICT");
    if (strict && std::strcmp(strict, "1") == 0) return false;
    const char* e = std::getenv("REMORA_ASYNC");  // the older name of REMORA_STRICT=1
    return !(e && std::strcmp(e, "0") == 0);
  }();
  return enabled;
}

std::uint64_t chunk_bytes() {
  static const std::uint64_t bytes = [] {
    if (!async_enabled()) return std::uint64_t{0};
    const std::uint64_t v =
        env_number("REMORA_CHUNK_BYTES", std::uint64_t{4} << 20, {0, UINT64_MAX, EnvUnit::Bytes});
    // Pieces under 64 KiB would cost more in calls than they overlap.
    return v == 0 ? std::uint64_t{0} : std::max<std::uint64_t>(v, 64 * 1024);
  }();
  return bytes;
}

std::uint64_t chunk_pieces() {
  // Default 1 on every transport: only transfers above chunk_bytes() are split. Over shm: 4
  // pieces were the default until session 11, when an idle-host A/B (both orders) showed
  // 4 MiB blocking transfers at 11-15% of memcpy in 1 MiB pieces against 24-30% whole: a
  // whole 4 MiB payload is copied by two threads (remora_parallel_copy.h, since session 9)
  // and costs one library call, where each piece pays pocl's per-command latency alone
  // (bench/codegen/README.md, "Pieces over shm, again"). Over sockets they never gained.
  static const std::uint64_t pieces = env_number("REMORA_CHUNK_PIECES", 1, {1, 64});
  return pieces;
}

std::uint64_t chunk_step(std::uint64_t count, std::uint64_t esize) {
  const std::uint64_t largest = chunk_bytes();
  if (!largest || !esize || count == 0) return 0;
  // The transfer's bytes, saturated: a count whose bytes overflow is split at the largest piece.
  const std::uint64_t total = count > ~std::uint64_t{0} / esize ? ~std::uint64_t{0} : count * esize;
  // A piece costs a call (and the library's per-command latency, 5-12 us on pocl): pieces
  // smaller than this overlap less than they cost.
  constexpr std::uint64_t kSmallest = std::uint64_t{256} << 10;
  constexpr std::uint64_t kAlign = std::uint64_t{64} << 10;  // whole pages, cache-line aligned pieces
  std::uint64_t bytes = total / chunk_pieces() + (total % chunk_pieces() != 0);
  // Rounded up to kAlign without overflowing (a saturated total keeps the largest piece).
  if (bytes >= largest || bytes > ~std::uint64_t{0} - kAlign) bytes = largest;
  else bytes = std::min(largest, (bytes + kAlign - 1) / kAlign * kAlign);
  bytes = std::max(bytes, std::min(kSmallest, largest));
  const std::uint64_t step = std::max<std::uint64_t>(1, bytes / esize);
  return step < count ? step : 0;
}

std::uint64_t chunk_step(const void* p, std::uint64_t count, std::uint64_t esize, bool in_place) {
  const std::uint64_t step = chunk_step(count, esize);
  std::uint64_t bytes = 0;
  if (!step || !in_place || !p || !mul_size(count, esize, bytes) || bytes > SIZE_MAX) return step;
  Connection& c = conn();
  std::lock_guard<std::recursive_mutex> lk(c.mutex);
  return c.stream && c.stream->prepare_shared(p, static_cast<std::size_t>(bytes)) ? 0 : step;
}

std::uint64_t assign_handle() {
  static std::atomic<std::uint64_t> next{1};
  return kGuestHandleBase + next.fetch_add(1, std::memory_order_relaxed) * kGuestHandleStep;
}

namespace {

// One buffer of a reply's bulk trailer, as the reply's table describes it.
struct BulkEntry {
  std::uint8_t target;
  std::uint64_t value;
  std::uint64_t size;
  std::uint64_t offset = 0;  // in the trailer
};

// The table of a reply's bulk trailer (it follows the status and the async error).
// False: malformed. An error reply has none.
bool read_bulk_table(Reader r, std::uint64_t trailer, std::vector<BulkEntry>& entries) {
  std::uint32_t status;
  if (!r.get_u32(status)) return false;
  if (status != kReplyOk) return trailer == 0;
  bool has_err = false;
  std::uint32_t fn;
  std::uint64_t bits, count;
  if (!r.get_presence(has_err) || (has_err && (!r.get_u32(fn) || !r.get_u64(bits)))) return false;
  std::uint32_t n;
  if (!r.get_u32(n)) return false;
  std::uint64_t end = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    BulkEntry e;
    if (!r.get_u8(e.target) || e.target > kBulkToAddress || !r.get_u64(e.value) || !r.get_u64(count)) return false;
    e.size = count;
    e.offset = bulk_align(end);
    if (e.offset > trailer || e.size > trailer - e.offset) return false;
    end = e.offset + e.size;
    entries.push_back(e);
  }
  return end == trailer;
}

}  // namespace

// Reads the reply: its fields into body_, each buffer of its trailer straight into its
// destination (the program's output buffer, or the address of a pending output). A small
// reply is read in one go and its buffers copied. False: the connection is unusable.
bool Call::receive_reply(std::uint32_t request, std::vector<Destination>& destinations) {
  Connection& c = conn();
  std::vector<std::pair<FrameHeader, std::vector<unsigned char>>> callbacks;
  FrameHeader h;
  for (;;) {
    // Liveness: the worker sends heartbeats while a call runs, so silence this long
    // means it is stopped or hung (a killed one closes the socket: noticed at once).
    if (!c.stream->wait_readable(liveness_timeout_ms())) {
      std::fprintf(stderr,
                   "remora: the %s API server at %s sent nothing for %d ms during %s (no reply, no heartbeat): "
                   "its worker is stopped or hung; the call fails (REMORA_LIVENESS_TIMEOUT_MS)\n",
                   g_api->name, c.address.c_str(), liveness_timeout_ms(), g_api->function_names[function_]);
      return false;
    }
    if (recv_header(*c.stream, h) != FrameResult::Ok) return false;
    count_received(h.length);
    if (h.type == kMsgHeartbeat) {
      if (!skip_bytes(*c.stream, h.length)) return false;
      continue;
    }
    if (h.type == kMsgOutputs) {
      // Sent ahead of a callback raised on an API thread: into place now.
      std::vector<unsigned char> body(h.length);
      if (h.length && !c.stream->recv_all(body.data(), h.length)) return false;
      if (!apply_outputs_frame(body.data(), body.size())) bad_reply("outputs message");
      continue;
    }
    if (h.type == kMsgCallback) {
      // Raised by the API during this call (flagged kFlagWantsResult): the library waits
      // for it, so it runs now, and API calls it makes are served inside this call (their
      // replies come before this one's). One raised on an API thread (an event completed)
      // runs once the reply is in, still before the call returns.
      std::vector<unsigned char> body(h.length);
      if (h.length && !c.stream->recv_all(body.data(), h.length)) return false;
      if (h.flags & kFlagWantsResult)
        run_callback_frame(h, body);
      else
        callbacks.push_back({h, std::move(body)});
      continue;
    }
    if (h.type != kMsgReply || h.request != request) {
      std::fprintf(stderr, "remora: unexpected message (type 0x%x, request %u) from the server\n", h.type,
                   h.request);
      return false;
    }
    break;
  }
  constexpr std::uint64_t kWholeReplyBytes = 64 * 1024;
  const std::uint64_t nfields = h.length - h.bulk;
  const bool whole = h.length <= kWholeReplyBytes;
  unsigned char* b = body_->prepare(whole ? h.length : nfields);
  if (!c.stream->recv_all(b, whole ? h.length : nfields)) return false;
  std::vector<BulkEntry> entries;
  if (!read_bulk_table(Reader(b, nfields), h.bulk, entries)) {
    bad_reply("bulk table");
    return false;
  }
  std::uint64_t at = 0;  // trailer bytes consumed
  for (const BulkEntry& e : entries) {
    void* dest = nullptr;
    std::uint64_t keep = 0;
    if (e.target == kBulkToParameter) {
      for (auto& d : destinations)
        if (d.param == e.value) {
          dest = d.dest;
          keep = std::min(e.size, d.capacity);
          d.delivered = e.size;
        }
    } else {
      dest = reinterpret_cast<void*>(static_cast<std::uintptr_t>(e.value));
      keep = dest ? e.size : 0;
    }
    if (whole) {
      if (keep) std::memcpy(dest, b + nfields + e.offset, keep);
      continue;
    }
    if (!skip_bytes(*c.stream, e.offset - at)) return false;  // alignment padding
    if (keep && !c.stream->recv_all(dest, keep)) return false;
    if (!skip_bytes(*c.stream, e.size - keep)) return false;
    at = e.offset + e.size;
  }
  reply_ = Reader(b, nfields);
  for (const auto& [ch, cb] : callbacks) run_callback_frame(ch, cb);
  return true;
}

bool Call::run(bool async, bool deferred_outputs) {
  Connection& c = conn();
  if (!c.stream) return false;
  std::uint32_t request = c.next_request++;
  if (t_internal_calls == 0) query_cache().clear();  // state may change with this call
  std::uint32_t flags = (async ? kFlagAsync : 0) | (deferred_outputs ? kFlagDeferredOutputs : 0);
  // What the program wrote into persistent mappings since the last call reaches the
  // server's memory before this call runs (a submit, a flush, an unmap reads it there).
  Writer mapped_writes;
  if (collect_mapped_writes(mapped_writes)) flags |= kFlagMappedWrites;
  if (want_siblings_ && !async) flags |= kFlagSiblings;
  if (piece_ && async) flags |= kFlagPiece;
  // Over shm the program's own pages may be shared with the server (remora_shared_pages.h):
  // large outputs land there directly (prepared before a batched call too: what the server
  // must learn goes before the batch), and large inputs are read there when the call
  // returns only after the library has read them (a call that waits for its reply, or a
  // piece of a split blocking one, which returns with its last piece), or when the API
  // says the program leaves them alone until the command completes (retain: command,
  // input_kept_until_done). Other inputs of a call sent without a reply are copied as it
  // goes: an API may let the program reuse them at once (CUDA's asynchronous copies from
  // pageable memory do).
  for (const auto& d : destinations_)
    if (d.dest && d.capacity) c.stream->prepare_shared(d.dest, d.capacity);
  if (async && batching_enabled() && args_->bulk().empty() && !(flags & kFlagMappedWrites)) {
    // No reply and no bulk bytes to send from where they are: joins the batch.
    if (c.batch.size() == 0) {
      c.batch_since = std::chrono::steady_clock::now();
      arm_flusher();
    }
    append_frame(c.batch, function_, request, flags, *args_);
    count_frame_sent(args_->size());
    if (c.batch.size() >= batch_limit() && !flush_batch(c)) {
      mark_lost(c);
      return false;
    }
    return true;
  }
  // Which large inputs may be read in place (above); they go with the send below.
  c.stream->share_next_inputs(!async || (piece_ && !deferred_outputs), kept_inputs_);
  // The batch goes first, in the same sendmsg (the server runs the calls in order).
  const bool sent =
      (flags & kFlagMappedWrites)
          ? send_message_after(*c.stream, c.batch.data(), c.batch.size(), function_, request, flags,
                               {&mapped_writes, args_})
          : send_message_after(*c.stream, c.batch.data(), c.batch.size(), function_, request, flags, {args_});
  c.batch.clear();
  g_stats.sends.fetch_add(1, std::memory_order_relaxed);
  if (!sent) {
    mark_lost(c);
    return false;
  }
  count_frame_sent(args_->size() + trailer_bytes({args_}));
  if (async) return true;
  g_stats.round_trips.fetch_add(1, std::memory_order_relaxed);
  if (pipeline_.on) {
    // A piece of a split read: its reply is read after the next piece is sent; now the
    // previous piece's (the program copies it out while the library runs this one).
    c.outstanding.push_back({request, function_, destinations_, pipeline_});
    pipelined_sent_ = true;
    return drain_pipelined(request);
  }
  if (!drain_pipelined(0) || !receive_reply(request, destinations_)) {
    mark_lost(c);
    return false;
  }
  if (!last_piece_) c.piece_failed = false;  // left by a split that ended early: reported there
  std::uint32_t status;
  if (!reply_.get_u32(status)) {
    bad_reply("empty");
    return false;
  }
  if (status != kReplyOk) {
    std::string why = "no reason given";
    bool present = false;
    std::uint64_t n = 0;
    if (reply_.get_presence(present) && present && reply_.get_u64(n) && n <= reply_.remaining())
      why.assign(reinterpret_cast<const char*>(reply_.take(n)), n);
    std::fprintf(stderr, "remora: the %s server rejected %s: %s\n", g_api->name,
                 g_api->function_names[function_], why.c_str());
    return false;
  }
  bool has_err = false;
  if (!reply_.get_presence(has_err)) {
    bad_reply("async status");
    return false;
  }
  std::uint32_t err_fn = 0;
  if (has_err) {
    std::uint64_t bits = 0;
    if (!reply_.get_u32(err_fn) || !reply_.get_u64(bits)) {
      bad_reply("async status");
      return false;
    }
    if (t_internal_calls > 0) {
      c.carried_async_error = true;
      c.carried_fn = err_fn;
      c.carried_bits = bits;
      has_err = false;
    } else {
      async_error_bits_ = bits;
    }
  } else if (c.carried_async_error && t_internal_calls == 0) {
    has_err = true;
    err_fn = c.carried_fn;
    async_error_bits_ = c.carried_bits;
    c.carried_async_error = false;
  }
  if (last_piece_ && c.piece_failed) {
    // An earlier piece of this split call failed: the call's error (an earlier async
    // failure this reply reports came first and wins).
    if (!has_err) {
      has_err = true;
      err_fn = c.piece_fn;
      async_error_bits_ = c.piece_bits;
    }
    c.piece_failed = false;
  }
  if (has_err) {
    has_async_error_ = true;
    std::fprintf(stderr, "remora: an earlier asynchronous call to %s failed with %lld; reported by %s\n",
                 err_fn < g_api->function_count ? g_api->function_names[err_fn] : "?",
                 static_cast<long long>(async_error_bits_), g_api->function_names[function_]);
  }
  // The bulk table (already acted on by receive_reply: pending outputs of earlier
  // non-blocking calls and this call's large outputs are in place).
  std::uint32_t entries;
  if (!reply_.get_u32(entries)) {
    bad_reply("bulk table");
    return false;
  }
  for (std::uint32_t i = 0; i < entries; ++i) {
    std::uint8_t target;
    std::uint64_t value, size;
    if (!reply_.get_u8(target) || !reply_.get_u64(value) || !reply_.get_u64(size)) {
      bad_reply("bulk table");
      return false;
    }
  }
  // Mappings of earlier non-blocking map calls whose contents changed since.
  std::uint32_t views;
  if (!reply_.get_u32(views)) {
    bad_reply("mapped views");
    return false;
  }
  for (std::uint32_t i = 0; i < views; ++i) {
    std::uint64_t real, len;
    if (!reply_.get_u64(real) || !reply_.get_u64(len) || len > reply_.remaining()) {
      bad_reply("mapped view");
      return false;
    }
    shadow_update(real, reply_.take(len), len);
  }
  siblings_.clear();
  if (flags & kFlagSiblings) {
    std::uint32_t n;
    if (!reply_.get_u32(n)) {
      bad_reply("sibling answers");
      return false;
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      Sibling s{};
      if (!reply_.get_u64(s.handle) || !reply_.get_u32(s.bytes) || s.bytes > reply_.remaining()) {
        bad_reply("sibling answer");
        return false;
      }
      s.answer = reply_.take(s.bytes);
      siblings_.push_back(s);
    }
  }
  answer_ = reply_;
  return true;
}

bool Call::drain_pipelined(std::uint32_t keep) {
  Connection& c = conn();
  auto broken = [&](const char* what) {
    bad_reply(what);
    mark_lost(c);
    return false;
  };
  auto fail_piece = [&](std::uint32_t fn, std::uint64_t bits) {
    if (c.piece_failed) return;
    c.piece_failed = true;
    c.piece_fn = fn;
    c.piece_bits = bits;
  };
  while (!c.outstanding.empty() && c.outstanding.front().request != keep) {
    Connection::Outstanding o = std::move(c.outstanding.front());
    c.outstanding.pop_front();
    if (!c.stream || !receive_reply(o.request, o.destinations)) {
      mark_lost(c);
      return false;
    }
    // The same head as run() reads: status, an earlier async failure, bulk table, views.
    Reader r = reply_;
    std::uint32_t status = 0;
    bool has_err = false;
    if (!r.get_u32(status)) return broken("empty");
    if (status != kReplyOk) {
      std::string why = "no reason given";
      bool present = false;
      std::uint64_t n = 0;
      if (r.get_presence(present) && present && r.get_u64(n) && n <= r.remaining())
        why.assign(reinterpret_cast<const char*>(r.take(n)), n);
      std::fprintf(stderr, "remora: the %s server rejected a piece of %s: %s\n", g_api->name,
                   g_api->function_names[o.function], why.c_str());
      fail_piece(o.function, o.how.failure);
      continue;
    }
    std::uint32_t err_fn = 0, entries = 0, views = 0;
    std::uint64_t bits = 0;
    if (!r.get_presence(has_err) || (has_err && (!r.get_u32(err_fn) || !r.get_u64(bits))))
      return broken("async status");
    if (has_err) fail_piece(err_fn, bits);  // an earlier asynchronous call failed: it came first
    if (!r.get_u32(entries)) return broken("bulk table");
    for (std::uint32_t i = 0; i < entries; ++i) {
      std::uint8_t target;
      std::uint64_t value, size;
      if (!r.get_u8(target) || !r.get_u64(value) || !r.get_u64(size)) return broken("bulk table");
    }
    if (!r.get_u32(views)) return broken("mapped views");
    for (std::uint32_t i = 0; i < views; ++i) {
      std::uint64_t real, len;
      if (!r.get_u64(real) || !r.get_u64(len) || len > r.remaining()) return broken("mapped view");
      shadow_update(real, r.take(len), len);
    }
    if (o.how.ret_size) {
      const unsigned char* v = r.take(o.how.ret_size);
      if (!v) return broken("return value");
      const std::uint64_t got = o.how.status(v);
      if (got != o.how.success) {
        fail_piece(o.function, got);
        continue;  // a failed call delivers no bytes
      }
    }
    // A piece that succeeded delivered all its bytes in the trailer, or the split is wrong.
    for (const auto& d : o.destinations)
      if (d.delivered != d.capacity) {
        std::fprintf(stderr, "remora: a piece of %s came back with %llu bytes, not %llu\n",
                     g_api->function_names[o.function], static_cast<unsigned long long>(d.delivered),
                     static_cast<unsigned long long>(d.capacity));
        fail_piece(o.function, o.how.failure);
      }
  }
  return true;
}

SplitScope::SplitScope() : lock_(conn().mutex) {}

// Replies still outstanding (a piece failed before it was sent) are read by the next call
// that waits for a reply; a piece failure no last piece reported is the split's own
// failure, which it already returned.
SplitScope::~SplitScope() { conn().piece_failed = false; }

namespace {
std::string cache_key(std::uint32_t function, const Writer& args) {
  std::string key(reinterpret_cast<const char*>(&function), sizeof function);
  key.append(reinterpret_cast<const char*>(args.data()), args.size());
  return key;
}
}  // namespace

bool Call::replay_cached() {
  Connection& c = conn();
  if (!args_->bulk().empty()) return false;
  const std::vector<unsigned char>* hit = c.results.find(cache_key(function_, *args_));
  if (!hit) return false;
  reply_ = Reader(hit->data(), hit->size());
  replayed_ = true;
  g_stats.cached.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Call::keep_cached(std::initializer_list<std::uint64_t> handles) {
  if (replayed_ || !args_->bulk().empty()) return;
  for (const auto& d : destinations_)
    if (d.delivered != ~std::uint64_t{0}) return;  // bytes that came in the trailer are not in answer_
  Reader r = answer_;
  const std::size_t n = r.remaining();
  const unsigned char* p = r.take(n);
  if (p || n == 0) conn().results.put(cache_key(function_, *args_), p, n, handles);
  if (siblings_.empty() || args_->size() < sizeof(std::uint64_t)) return;
  // The same request about another object: its handle in place of the first field (and
  // of the first handle, whose release forgets the answer).
  std::string key = cache_key(function_, *args_);
  std::vector<std::uint64_t> hs(handles);
  for (const Sibling& s : siblings_) {
    std::memcpy(key.data() + sizeof function_, &s.handle, sizeof s.handle);
    if (!hs.empty()) hs[0] = s.handle;
    conn().results.put(key, s.answer, s.bytes, hs);
  }
}

void cache_forget_handle(std::uint64_t handle) {
  std::lock_guard<std::recursive_mutex> lock(conn().mutex);
  conn().results.forget_handle(handle);
}

bool query_cache_get(const char* helper, const std::uint64_t* key, std::size_t n, long long& value) {
  std::lock_guard<std::recursive_mutex> lock(conn().mutex);
  auto it = query_cache().find(query_key(helper, key, n));
  if (it == query_cache().end()) return false;
  value = it->second;
  return true;
}

void query_cache_put(const char* helper, const std::uint64_t* key, std::size_t n, long long value) {
  std::lock_guard<std::recursive_mutex> lock(conn().mutex);
  query_cache()[query_key(helper, key, n)] = value;
}

InternalCall::InternalCall() { ++t_internal_calls; }
InternalCall::~InternalCall() { --t_internal_calls; }

long long readable_bytes(const void* p) {
  if (!p) return 0;
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  std::uintptr_t end = 0;  // end of the readable run that holds p, so far
  mappings::for_each([&](const mappings::Mapping& m) {
    if (end == 0) {
      if (addr >= m.start && addr < m.end) {
        if (!m.readable()) return false;
        end = m.end;
      }
      return true;
    }
    if (m.start == end && m.readable()) {
      end = m.end;  // a neighbouring readable mapping continues the run
      return true;
    }
    return m.start < end;
  });
  if (!end) return 0;
#if REMORA_GUEST_ASAN
  // Under AddressSanitizer the bytes past the program's allocation are not the program's
  // to read (they are a neighbour's, or a redzone): the bound is where they start, as the
  // sanitizer sees it. Without it, the mapping is the only bound there is.
  if (const void* bad = __asan_region_is_poisoned(const_cast<void*>(p), end - addr))
    return static_cast<long long>(reinterpret_cast<std::uintptr_t>(bad) - addr);
#endif
  return static_cast<long long>(end - addr);
}

bool read_string(Reader& r, std::string& s, bool& present) {
  std::uint64_t n;
  if (!r.get_presence(present)) return false;
  if (!present) return true;
  if (!r.get_u64(n) || n > r.remaining()) return false;
  s.assign(reinterpret_cast<const char*>(r.take(n)), n);
  return true;
}

bool StringArray::read(Reader& r) {
  std::uint64_t n;
  if (!r.get_presence(present_)) return false;
  if (!present_) return true;
  // Each element takes at least its presence byte: a count beyond the frame is malformed.
  if (!r.get_u64(n) || n > r.remaining()) return false;
  strings_.resize(n);  // never resized again: the pointers into its strings stay valid
  elements_.assign(n + 1, nullptr);
  count_ = n;
  for (std::uint64_t i = 0; i < n; ++i) {
    bool present = false;
    if (!read_string(r, strings_[i], present)) return false;
    if (present) elements_[i] = strings_[i].data();
  }
  return true;
}

bool HandleArray::read(Reader& r) {
  std::uint64_t n;
  if (!r.get_presence(present_)) return false;
  if (!present_) return true;
  if (!r.get_u64(n) || n > r.remaining() / sizeof(std::uint64_t)) return false;  // 8 bytes each
  elements_.assign(n, nullptr);
  count_ = n;
  for (auto& h : elements_) {
    std::uint64_t id = 0;
    if (!r.get_u64(id)) return false;
    h = from_u64<void*>(id);
  }
  return true;
}

namespace {
std::mutex g_library_copies_mutex;
std::unordered_map<std::uint64_t, std::uint64_t>& library_copies() {
  static auto* copies = new std::unordered_map<std::uint64_t, std::uint64_t>;
  return *copies;
}
}  // namespace

void report_outside(const char* what) {
  std::fprintf(stderr,
               "remora: %s: the library set it outside the memory the spec says it points into; the program "
               "gets NULL (check points_into in the spec)\n",
               what);
}

void* library_copy(const void* bytes, std::size_t size, std::uint64_t library_address) {
  // Zeros after the bytes, as returned copies have: text sized without its terminator
  // (and a string's own NUL) stays terminated. A failed allocation is the program's NULL.
  if (size > SIZE_MAX - kReturnedCopyZeros) return nullptr;
  auto* copy = static_cast<unsigned char*>(std::calloc(size + kReturnedCopyZeros, 1));
  if (!copy) return nullptr;
  if (size) std::memcpy(copy, bytes, size);
  std::lock_guard<std::mutex> lk(g_library_copies_mutex);
  library_copies()[reinterpret_cast<std::uintptr_t>(copy)] = library_address;
  return copy;
}

char* library_copy(const std::string& s, std::uint64_t library_address) {
  return static_cast<char*>(library_copy(s.data(), s.size(), library_address));
}

namespace {
std::mutex g_interned_mutex;
std::set<std::string>& interned_strings() {
  static auto* strings = new std::set<std::string>;
  return *strings;
}
std::set<std::uintptr_t>& interned_addresses() {
  static auto* addresses = new std::set<std::uintptr_t>;
  return *addresses;
}
}  // namespace

std::uint64_t library_address(std::uint64_t guest_address) {
  {
    std::lock_guard<std::mutex> lk(g_library_copies_mutex);
    auto it = library_copies().find(guest_address);
    if (it != library_copies().end()) {
      const std::uint64_t library = it->second;
      library_copies().erase(it);
      std::free(reinterpret_cast<void*>(static_cast<std::uintptr_t>(guest_address)));
      return library;
    }
  }
  // The stack's copy of a string the spec did not mark `allocates`: which library memory
  // it stood for is unknown, and its guest address would make the library free memory it
  // never had. The library gets NULL (a no-op for a free), and the program is told once.
  std::lock_guard<std::mutex> lk(g_interned_mutex);
  if (!interned_addresses().count(static_cast<std::uintptr_t>(guest_address))) return guest_address;
  static std::once_flag told;
  std::call_once(told, [] {
    std::fprintf(stderr,
                 "remora: a string the library returned is being released, but the spec does not say the "
                 "program owns it: its library memory is not freed (mark the return or out parameter that "
                 "gave it `allocates` in the spec)\n");
  });
  return 0;
}

const char* intern(const std::string& s) {
  std::lock_guard<std::mutex> lk(g_interned_mutex);
  const char* kept = interned_strings().insert(s).first->c_str();
  interned_addresses().insert(reinterpret_cast<std::uintptr_t>(kept));
  return kept;
}

bool checked_count(long long value, std::uint64_t esize, const char* what, std::uint64_t& out) {
  std::uint64_t bytes;
  if (value < 0 || !mul_size(static_cast<std::uint64_t>(value), esize, bytes) || bytes > max_message_bytes()) {
    if (value < 0)
      std::fprintf(stderr, "remora: %s: its size %s (%lld): the call fails\n", what, size_problem(value), value);
    else
      std::fprintf(stderr, "remora: %s: size %lld cannot be sent (over the message limit)\n", what, value);
    return false;
  }
  out = static_cast<std::uint64_t>(value);
  return true;
}

void log_unsupported_once(const char* function, const char* reason) {
  static std::mutex m;
  static std::set<std::string> seen;
  std::lock_guard<std::mutex> lk(m);
  if (!seen.insert(function).second) return;
  std::fprintf(stderr, "remora: %s is not supported by this remoting stack (%s); it returns an error\n",
               function, reason);
}

void abort_call(const char* function, const char* why) {
  std::fprintf(stderr, "remora: %s cannot be made: %s; aborting\n", function, why);
  std::fflush(stderr);
  std::abort();
}

namespace {
struct ShadowInfo {
  std::uint64_t server_ptr = 0;
  std::uint64_t size = 0;
  bool persistent = false;
  std::uint64_t owner = 0;
  std::vector<unsigned char> synced;  // persistent: the bytes both sides last agreed on
  bool adopted = false;  // the program's own memory: not ours to free
};
std::mutex g_shadow_mutex;
std::map<const void*, ShadowInfo>& shadows() {
  static auto* m = new std::map<const void*, ShadowInfo>;
  return *m;
}
}  // namespace

namespace {
// Every shadow's bookkeeping: its bytes at p become a copy of the server's, and p is
// remembered with the server pointer and size (and whatever else the caller set in info).
// The program's own memory (adopt) may overlap the reply's bytes: memmove.
void* remember_shadow(void* p, std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size,
                      ShadowInfo info = {}) {
  if (!p) return nullptr;
  if (size) std::memmove(p, bytes, size);
  info.server_ptr = server_ptr;
  info.size = size;
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  shadows()[p] = std::move(info);
  return p;
}

// Memory of our own for a shadow, freed with it (at least one byte: it needs an address).
void* shadow_memory(std::uint64_t size) { return std::malloc(size ? size : 1); }
}  // namespace

void* shadow_create(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size) {
  return remember_shadow(shadow_memory(size), server_ptr, bytes, size);
}

void* shadow_adopt(std::uint64_t server_ptr, std::uint64_t guest_addr, const unsigned char* bytes, std::uint64_t size) {
  ShadowInfo info;
  info.adopted = true;
  return remember_shadow(reinterpret_cast<void*>(static_cast<std::uintptr_t>(guest_addr)), server_ptr, bytes, size,
                         std::move(info));
}

bool shadow_lookup(const void* shadow, std::uint64_t& server_ptr, std::uint64_t& size) {
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  auto it = shadows().find(shadow);
  if (it == shadows().end()) return false;
  server_ptr = it->second.server_ptr;
  size = it->second.size;
  return true;
}

void shadow_update(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size) {
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  for (auto& [shadow, info] : shadows())
    if (info.server_ptr == server_ptr) {
      std::uint64_t n = size < info.size ? size : info.size;
      std::memcpy(const_cast<void*>(shadow), bytes, n);
      if (info.persistent) std::memcpy(info.synced.data(), bytes, n);
      return;
    }
}

void* shadow_create_persistent(std::uint64_t server_ptr, const unsigned char* bytes, std::uint64_t size,
                               std::uint64_t owner) {
  ShadowInfo info;
  info.persistent = true;
  info.owner = owner;
  info.synced.assign(bytes, bytes + size);
  return remember_shadow(shadow_memory(size), server_ptr, bytes, size, std::move(info));
}

void shadow_release_owned(std::uint64_t owner) {
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  for (auto it = shadows().begin(); it != shadows().end();) {
    if (it->second.persistent && it->second.owner == owner) {
      std::free(const_cast<void*>(it->first));
      it = shadows().erase(it);
    } else {
      ++it;
    }
  }
}

bool collect_mapped_writes(Writer& w) {
  struct Change {
    const unsigned char* shadow;
    ShadowInfo* info;
    std::uint64_t first, last;
  };
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  std::vector<Change> changes;
  for (auto& [shadow, info] : shadows()) {
    if (!info.persistent || info.size == 0) continue;
    const auto* now = static_cast<const unsigned char*>(shadow);
    if (std::memcmp(now, info.synced.data(), info.size) == 0) continue;
    std::uint64_t first = 0, last = info.size;
    while (now[first] == info.synced[first]) ++first;
    while (now[last - 1] == info.synced[last - 1]) --last;
    changes.push_back({now, &info, first, last});
  }
  if (changes.empty()) return false;
  w.put_u32(static_cast<std::uint32_t>(changes.size()));
  for (const Change& c : changes) {
    std::uint64_t len = c.last - c.first;
    w.put_u64(c.info->server_ptr);
    w.put_u64(c.first);
    w.put_u64(len);
    w.put_raw(c.shadow + c.first, len);
    std::memcpy(c.info->synced.data() + c.first, c.shadow + c.first, len);
  }
  return true;
}

void shadow_release(const void* shadow) {
  std::lock_guard<std::mutex> lk(g_shadow_mutex);
  auto it = shadows().find(shadow);
  if (it == shadows().end()) return;
  if (!it->second.adopted) std::free(const_cast<void*>(it->first));
  shadows().erase(it);
}

}  // namespace remora::guest
