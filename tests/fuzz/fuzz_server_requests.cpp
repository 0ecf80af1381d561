// libFuzzer target: the API server's request decoding and every generated handler.
//
// The input is what a worker reads from its guest after the handshake: a sequence of
// frames (24-byte header + body), as recorded from real runs with REMORA_RECORD_FRAMES.
// The generated server (server.cpp of the toy API, generated at build time) is compiled
// into this file, so its handler table is the real one; each input is served by a fresh
// Worker over an in-memory stream, as a guest's connection would be, and everything the
// guest left behind is released at the end as on a disconnect. First byte 0xFF: the input
// replaces the hello too (the handshake is fuzzed).
//
// Functions whose opaque pointers the toy library dereferences by design (map/unmap of
// buffer memory, a fill through a guest-chosen pointer) and the one that starts a thread
// calling back later are left out: the vendor library is trusted with its own pointers.
#define main remora_generated_server_main
#include REMORA_FUZZ_SERVER_CPP
#undef main

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

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

const char* const kLeftOut[] = {"toyMapBuffer", "toyUnmapBuffer", "toyFill", "toySetDoneCallback"};

bool left_out(std::uint32_t type) {
  if (type >= kApi.function_count) return false;
  for (const char* name : kLeftOut)
    if (std::strcmp(kApi.functions[type].name, name) == 0) return true;
  return false;
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

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Small limits keep each execution fast; the checks are the same at any limit.
  setenv("REMORA_MAX_MESSAGE", "1048576", 1);
  const char* print = std::getenv("REMORA_FUZZ_PRINT_REJECTIONS");
  g_print_rejections = print && *print == '1';
  const char* lib = std::getenv("REMORA_FUZZ_LIB");
  void* handle = dlopen(lib ? lib : REMORA_FUZZ_LIB, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "fuzz: cannot load the toy library: %s\n", dlerror());
    std::abort();
  }
  kApi.resolve(&handle);  // the toy spec has one library
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
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
  auto worker = std::make_unique<remora::server::Worker>(kApi, std::make_unique<MemoryStream>(input.data(), input.size()));
  worker->serve();
  return 0;
}
