// libFuzzer target: the API server's request decoding and every generated handler.
//
// The input is what a worker reads from its guest after the handshake: a sequence of
// frames (24-byte header + body), as recorded from real runs with REMORA_RECORD_FRAMES.
// The generated server (server.cpp of the API under test, generated at build time from its
// spec: the toy API, OpenCL) is compiled into this file, so its handler table is the real
// one; each input is served by a fresh Worker over an in-memory stream, as a guest's
// connection would be, and everything the guest left behind is released at the end as on
// a disconnect. First byte 0xFF: the input replaces the hello too (the handshake is fuzzed).
// The real vendor library is behind the handlers (REMORA_FUZZ_LIB: one path or soname per
// library of the spec, ':'-separated).
//
// Functions named in REMORA_FUZZ_LEFT_OUT (comma-separated; run_server_fuzz.sh reads it from
// seeds/<api>.left-out, where each line says why) are dropped from every input: those whose
// arguments the vendor library is trusted with by design (a pointer it handed out, code the
// device runs) and those that start a thread calling back later.
#define main remora_generated_server_main
#include REMORA_FUZZ_SERVER_CPP
#undef main

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace {

// REMORA_FUZZ_PRINT_REJECTIONS=1: each reply that refuses a call prints its reason on
// stderr, so a regression seed can be shown to reach the check it guards
// (run_server_fuzz.sh replays them). Off while fuzzing: replies are dropped unread.
bool g_print_rejections = false;

// Prints the reason of every kReplyRejected frame among the bytes the worker sent.
void print_rejections(const std::vector<unsigned char>& sent) {
  std::size_t at = 0;
  remora::FrameHeader h;
  while (at + sizeof h <= sent.size()) {
    std::memcpy(&h, sent.data() + at, sizeof h);
    at += sizeof h;
    if (h.length > sent.size() - at) break;
    remora::Reader r(sent.data() + at, h.length);
    std::uint32_t status = 0;
    std::uint8_t present = 0;
    std::uint64_t n = 0;
    const unsigned char* why = nullptr;
    if (h.type == remora::kMsgReply && r.get_u32(status) && status == remora::kReplyRejected &&
        r.get_u8(present) && present && r.get_u64(n) && (why = r.take(n)))
      std::fprintf(stderr, "fuzz: request %u rejected: %.*s\n", h.request, static_cast<int>(n),
                   why);
    at += h.length;
  }
}

// A guest connection held in memory: reads come from the input; writes are dropped (kept
// only to print the rejections).
class MemoryStream : public remora::Stream {
 public:
  MemoryStream(const unsigned char* p, std::size_t n) : p_(p), n_(n) {}
  ~MemoryStream() override {
    if (g_print_rejections) print_rejections(sent_);
  }
  bool send_all(const void* p, std::size_t n) override {
    if (g_print_rejections)
      sent_.insert(sent_.end(), static_cast<const unsigned char*>(p),
                   static_cast<const unsigned char*>(p) + n);
    return true;
  }
  bool recv_all(void* out, std::size_t n) override {
    if (n > n_ - at_) return false;
    std::memcpy(out, p_ + at_, n);
    at_ += n;
    return true;
  }
  bool wait_readable(int) override { return true; }  // at the end, a read reports the close
  int fd() const override { return -1; }
  void shutdown_both() override {}
  std::size_t recv_some(void* out, std::size_t n) override {
    n = std::min(n, n_ - at_);
    if (n) std::memcpy(out, p_ + at_, n);
    at_ += n;
    return n;
  }

 private:
  const unsigned char* p_;
  std::size_t n_;
  std::size_t at_ = 0;
  std::vector<unsigned char> sent_;
};

// left_out_ids[i]: function i is dropped from the inputs (from REMORA_FUZZ_LEFT_OUT).
std::vector<bool> g_left_out;

bool left_out(std::uint32_t type) { return type < g_left_out.size() && g_left_out[type]; }

// "a,b,c": marks each named function; a name the API does not have is a mistake in the
// list (a renamed function would silently be fuzzed again), so it stops the target.
void read_left_out(const char* list) {
  g_left_out.assign(kApi.function_count, false);
  std::string names = list ? list : "";
  std::size_t at = 0;
  while (at < names.size()) {
    std::size_t end = names.find(',', at);
    if (end == std::string::npos) end = names.size();
    const std::string name = names.substr(at, end - at);
    at = end + 1;
    if (name.empty()) continue;
    bool found = false;
    for (std::uint32_t i = 0; i < kApi.function_count; ++i)
      if (name == kApi.functions[i].name) g_left_out[i] = found = true;
    if (!found) {
      std::fprintf(stderr, "fuzz: REMORA_FUZZ_LEFT_OUT names %s, which %s does not have\n", name.c_str(), kApi.name);
      std::abort();
    }
  }
}

// Drops the frames of left-out functions (walking the headers as the worker would).
std::vector<unsigned char> without_left_out(const unsigned char* p, std::size_t n) {
  std::vector<unsigned char> out;
  std::size_t at = 0;
  while (at + sizeof(remora::FrameHeader) <= n) {
    remora::FrameHeader h;
    std::memcpy(&h, p + at, sizeof h);
    std::size_t end = at + sizeof h + std::min<std::size_t>(h.length, n - at - sizeof h);
    if (!left_out(h.type)) out.insert(out.end(), p + at, p + end);
    at = end;
  }
  out.insert(out.end(), p + at, p + n);  // a trailing partial header, as received
  return out;
}

// A served input's worker is destroyed (its pending outputs and held inputs freed) only
// once it is both kRetiredWorkers inputs and kRetiredFor old (at most kMaxRetiredWorkers
// are kept). The worker released the guest's objects when its input ended, as on a
// disconnect, but the library may still be finishing their queued commands on its own
// threads (pocl executes a released queue's reads and writes later): a real worker exits at
// that point, while this process goes on, and freeing at once would make pocl read or write
// memory that no real worker would have freed before its exit. Counted in inputs alone (16)
// the window was too short on a loaded host: the long run of 2026-12-04 saw pocl's thread
// read a non-blocking write's source after its worker was gone (SEGV at the start of the
// freed pooled mapping; the input alone never crashes).
struct Served {
  std::vector<unsigned char> input;
  std::unique_ptr<remora::server::Worker> worker;
  std::chrono::steady_clock::time_point retired_at;
};
constexpr std::size_t kRetiredWorkers = 16, kMaxRetiredWorkers = 512;
constexpr std::chrono::seconds kRetiredFor{2};
std::deque<std::unique_ptr<Served>> g_retired;

void retire(std::unique_ptr<Served> served) {
  const auto now = std::chrono::steady_clock::now();
  served->retired_at = now;
  g_retired.push_back(std::move(served));
  while (g_retired.size() > kRetiredWorkers &&
         (g_retired.size() > kMaxRetiredWorkers || now - g_retired.front()->retired_at > kRetiredFor))
    g_retired.pop_front();
}

// libFuzzer's crash handlers, as installed before the first input: a library loaded or
// initialised later may replace them (pocl's LLVM installs its own for SIGABRT, SIGSEGV...
// when pocl first compiles: its handler restores the default action and re-raises, so an
// abort() in pocl ended the process as a bare "Aborted", with no report and no saved
// input). Checked around every input and put back when changed, so a crash inside the
// library is reported and its input saved as crash-*, like any other.
constexpr int kCrashSignals[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE};
struct sigaction g_fuzzer_handlers[sizeof kCrashSignals / sizeof kCrashSignals[0]];
bool g_handlers_saved = false;

bool same_handler(const struct sigaction& a, const struct sigaction& b) {
  return (a.sa_flags & SA_SIGINFO) == (b.sa_flags & SA_SIGINFO) &&
         ((a.sa_flags & SA_SIGINFO) ? a.sa_sigaction == b.sa_sigaction : a.sa_handler == b.sa_handler);
}

void keep_fuzzer_crash_handlers() {
  constexpr std::size_t n = sizeof kCrashSignals / sizeof kCrashSignals[0];
  if (!g_handlers_saved) {
    for (std::size_t i = 0; i < n; ++i) sigaction(kCrashSignals[i], nullptr, &g_fuzzer_handlers[i]);
    g_handlers_saved = true;
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    struct sigaction now;
    if (sigaction(kCrashSignals[i], nullptr, &now) == 0 && !same_handler(now, g_fuzzer_handlers[i])) {
      static bool told[n];
      if (!told[i]) std::fprintf(stderr, "fuzz: the library replaced the handler of signal %d; libFuzzer's restored\n", kCrashSignals[i]);
      told[i] = true;
      sigaction(kCrashSignals[i], &g_fuzzer_handlers[i], nullptr);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Small limits keep each execution fast; the checks are the same at any limit.
  setenv("REMORA_MAX_MESSAGE", "1048576", 1);
  const char* print = std::getenv("REMORA_FUZZ_PRINT_REJECTIONS");
  g_print_rejections = print && *print == '1';
  read_left_out(std::getenv("REMORA_FUZZ_LEFT_OUT"));
  // One path or soname per library of the spec, in the spec's order.
  const char* env = std::getenv("REMORA_FUZZ_LIB");
  std::string libs = env ? env : REMORA_FUZZ_LIB;
  std::vector<void*> handles;
  for (std::size_t at = 0; at <= libs.size();) {
    std::size_t end = libs.find(':', at);
    if (end == std::string::npos) end = libs.size();
    const std::string lib = libs.substr(at, end - at);
    at = end + 1;
    void* handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      std::fprintf(stderr, "fuzz: cannot load %s: %s\n", lib.c_str(), dlerror());
      std::abort();
    }
    handles.push_back(handle);
  }
  if (handles.size() != kApi.library_count) {
    std::fprintf(stderr, "fuzz: REMORA_FUZZ_LIB names %zu libraries, %s has %u\n", handles.size(), kApi.name,
                 kApi.library_count);
    std::abort();
  }
  const std::vector<std::string> missing = kApi.resolve(handles.data());
  if (!missing.empty())  // as the server: those functions are refused when called
    std::fprintf(stderr, "fuzz: %zu functions not found in the library (the first: %s)\n", missing.size(),
                 missing.front().c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  keep_fuzzer_crash_handlers();
  std::vector<unsigned char> input;
  if (size > 0 && data[0] == 0xFF) {
    input = without_left_out(data + 1, size - 1);
  } else {
    remora::Writer hello;
    hello.put_u32(remora::kProtocolVersion);
    hello.put_u64(kApi.fingerprint);
    hello.put_string(kApi.name);
    remora::FrameHeader h;
    h.type = remora::kMsgHello;
    h.length = static_cast<std::uint32_t>(hello.size());
    input.resize(sizeof h);
    std::memcpy(input.data(), &h, sizeof h);
    input.insert(input.end(), hello.data(), hello.data() + hello.size());
    std::vector<unsigned char> rest = without_left_out(data, size);
    input.insert(input.end(), rest.begin(), rest.end());
  }
  // The input is kept with its worker (the stream reads from it until the worker goes).
  auto served = std::make_unique<Served>();
  served->input = std::move(input);
  served->worker = std::make_unique<remora::server::Worker>(
      kApi, std::make_unique<MemoryStream>(served->input.data(), served->input.size()));
  served->worker->use_replay_ids();  // the recorded seeds' handle values name the same objects
  served->worker->serve();
  keep_fuzzer_crash_handlers();  // before the retired worker's memory is freed
  retire(std::move(served));
  return 0;
}
