// The CUDA runtime module's server handlers are part of the trust boundary: malformed
// get_kernel / launch / param_info requests over a real socket get error replies naming
// the problem, and the worker keeps serving. Runs against the CUDA stack the cuda.stack
// fixture built (paths from the environment: REMORA_CUDA_SERVER, REMORA_CUDA_LIB,
// REMORA_CUDA_GUEST_SOURCE, the generated guest.cpp that holds the call indices).
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "remora_cuda_wire.h"
#include "remora_transport.h"

using namespace remora;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The fingerprint and the module's first call index, as the generated guest has them.
struct StackIds {
  std::uint64_t fingerprint = 0;
  std::uint32_t first_call = 0;
};
StackIds read_ids(const std::string& guest_source) {
  std::string text = read_text(guest_source);
  std::smatch m;
  StackIds ids;
  REQUIRE(std::regex_search(text, m, std::regex("([0-9]+)ull,  // spec fingerprint")));
  ids.fingerprint = std::stoull(m[1]);
  REQUIRE(
      std::regex_search(text, m, std::regex("guest_first_call\\(\\) \\{ return ([0-9]+); \\}")));
  ids.first_call = static_cast<std::uint32_t>(std::stoul(m[1]));
  return ids;
}

// The index of a spec function in the generated guest's call table (kFunctionNames).
std::uint32_t function_index(const std::string& guest_source, const std::string& name) {
  std::string text = read_text(guest_source);
  auto begin = text.find("kFunctionNames[] = {");
  REQUIRE(begin != std::string::npos);
  auto end = text.find("};", begin);
  std::istringstream lines(text.substr(begin, end - begin));
  std::string line;
  std::uint32_t index = 0;
  std::getline(lines, line);  // the declaration
  while (std::getline(lines, line)) {
    auto q = line.find('"');
    if (q == std::string::npos) continue;
    if (line.compare(q + 1, name.size() + 1, name + "\"") == 0) return index;
    ++index;
  }
  FAIL("no " << name << " in the guest's call table");
  return 0;
}

class Server {
 public:
  Server(const std::string& exe, const std::string& lib, const std::string& sock) {
    pid_ = fork();
    if (pid_ == 0) {
      execl(exe.c_str(), exe.c_str(), "--listen", ("unix:" + sock).c_str(), "--lib", lib.c_str(),
            (char*)nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && access(sock.c_str(), F_OK) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~Server() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }

 private:
  pid_t pid_ = -1;
};

// A guest speaking the wire protocol directly.
class RawGuest {
 public:
  RawGuest(const std::string& addr, std::uint64_t fingerprint) {
    Address a;
    std::string err;
    REQUIRE(parse_address(addr, a, err));
    stream_ = connect_to(a, 2000, err);
    REQUIRE(stream_);
    Writer hello;
    hello.put_u32(kProtocolVersion);
    hello.put_u64(fingerprint);
    hello.put_string("CUDA");
    REQUIRE(send_frame(*stream_, kMsgHello, 0, 0, hello.data(), hello.size()));
    FrameHeader h;
    REQUIRE(recv_frame(*stream_, h, body_) == FrameResult::Ok);
    REQUIRE(h.type == kMsgHelloOk);
  }
  // The reply status (kReplyOk or an error), -1 when the connection closed.
  int call(std::uint32_t fn, const Writer& body) {
    if (!send_frame(*stream_, fn, ++request_, 0, body.data(), body.size())) return -1;
    FrameHeader h;
    if (recv_frame(*stream_, h, body_) != FrameResult::Ok) return -1;
    REQUIRE(h.type == kMsgReply);
    Reader r(body_.data(), body_.size());
    std::uint32_t status = 99;
    REQUIRE(r.get_u32(status));
    error_.clear();
    if (status != kReplyOk) {
      bool present = false;
      std::uint64_t n = 0;
      if (r.get_presence(present) && present && r.get_u64(n) && n <= r.remaining())
        error_.assign(reinterpret_cast<const char*>(r.take(n)), n);
    }
    return static_cast<int>(status);
  }
  const std::string& error() const { return error_; }

 private:
  std::unique_ptr<Stream> stream_;
  std::vector<unsigned char> body_;
  std::uint32_t request_ = 0;
  std::string error_;
};

// The built cuda-server (REMORA_CUDA_SERVER), else the test fails.
std::string built_server() {
  std::string server = env("REMORA_CUDA_SERVER");
  if (server.empty() || access(server.c_str(), X_OK) != 0)
    FAIL("REMORA_CUDA_SERVER is not the built cuda-server");
  return server;
}

// A server of the stack the cuda.stack fixture built, on a socket of its own (`tag`
// tells the test cases' sockets apart), and a raw guest connected to it.
struct Session {
  explicit Session(const std::string& tag)
      : server_exe(built_server()),
        guest_source(env("REMORA_CUDA_GUEST_SOURCE")),
        ids(read_ids(guest_source)),
        sock("/tmp/remora-cuda-hostile" + tag + "-" + std::to_string(getpid()) + ".sock"),
        server(server_exe, env("REMORA_CUDA_LIB"), sock),
        guest("unix:" + sock, ids.fingerprint) {}
  // The call index of the module's wire call `call` (remora_cuda_wire.h's kCall*).
  std::uint32_t module_call(std::uint32_t call) const { return ids.first_call + call; }

  std::string server_exe;
  std::string guest_source;
  StackIds ids;
  std::string sock;
  Server server;
  RawGuest guest;
};

// A get_kernel or get_global request: a fat binary's hash, its bytes when `shipped` is
// not null (whatever the hash says), then the name looked up in it.
int call_fatbin_lookup(RawGuest& g, std::uint32_t fn, std::uint64_t hash, const char* shipped,
                       const char* name) {
  Writer w;
  w.put_u64(hash);
  w.put_u8(shipped != nullptr);
  if (shipped) {
    w.put_u64(std::strlen(shipped));
    w.put_raw(shipped, std::strlen(shipped));
  }
  w.put_string(name);
  return g.call(fn, w);
}

// A launch request: `sent` parameters of `size` bytes, whatever `nparams` announces.
int call_launch(RawGuest& g, std::uint32_t fn, std::uint64_t kernel, std::uint32_t nparams,
                std::uint32_t size, std::uint32_t sent) {
  Writer w;
  w.put_u64(kernel);
  for (int i = 0; i < 6; ++i) w.put_u32(1);
  w.put_u64(0);  // shared memory
  w.put_u64(0);  // default stream
  w.put_u8(0);
  w.put_u32(nparams);
  std::vector<unsigned char> bytes(size, 0xab);
  for (std::uint32_t i = 0; i < sent; ++i) {
    w.put_u32(size);
    w.put_raw(bytes.data(), bytes.size());
  }
  return g.call(fn, w);
}

}  // namespace

TEST_CASE("malformed CUDA module requests get error replies and the worker keeps serving",
          "[cuda-hostile]") {
  Session s("");
  RawGuest& g = s.guest;
  const std::uint32_t get_kernel = s.module_call(cuda_module::kCallGetKernel);
  const std::uint32_t launch = s.module_call(cuda_module::kCallLaunch);
  const std::uint32_t param_info = s.module_call(cuda_module::kCallParamInfo);

  // A kernel this guest was never given.
  REQUIRE(call_launch(g, launch, 0x1234560, 0, 0, 0) != kReplyOk);
  CHECK(g.error().find("unknown handle") != std::string::npos);
  {
    Writer w;
    w.put_u64(0x1234560);
    REQUIRE(g.call(param_info, w) != kReplyOk);
  }
  CHECK(g.error().find("unknown handle") != std::string::npos);
  // More parameters than CUDA allows, and parameters larger than its 32764 bytes.
  REQUIRE(call_launch(g, launch, 0, 100000, 0, 0) != kReplyOk);
  CHECK(g.error().find("parameters") != std::string::npos);
  REQUIRE(call_launch(g, launch, 0, 2, 20000, 2) != kReplyOk);
  CHECK(g.error().find("larger than") != std::string::npos);
  // Announced 3 parameters, sent 1: truncated.
  REQUIRE(call_launch(g, launch, 0, 3, 8, 1) != kReplyOk);
  CHECK(g.error().find("truncated") != std::string::npos);
  // A fat binary whose bytes do not match the hash, and a hash never sent.
  REQUIRE(call_fatbin_lookup(g, get_kernel, 42, "abcd", "_Z1kv") != kReplyOk);
  CHECK(g.error().find("does not match its hash") != std::string::npos);
  REQUIRE(call_fatbin_lookup(g, get_kernel, 43, nullptr, "_Z1kv") != kReplyOk);
  CHECK(g.error().find("never sent") != std::string::npos);
  // A device variable's lookup checks its fat binary the same way.
  const std::uint32_t get_global = s.module_call(cuda_module::kCallGetGlobal);
  REQUIRE(call_fatbin_lookup(g, get_global, 44, nullptr, "counter") != kReplyOk);
  CHECK(g.error().find("cuda get_global: fat binary") != std::string::npos);
  CHECK(g.error().find("never sent") != std::string::npos);
  REQUIRE(call_fatbin_lookup(g, get_global, 45, "abcd", "counter") != kReplyOk);
  CHECK(g.error().find("does not match its hash") != std::string::npos);
  {
    Writer w;  // no name
    w.put_u64(46);
    w.put_u8(0);
    w.put_u8(0);
    REQUIRE(g.call(get_global, w) != kReplyOk);
    CHECK(g.error().find("no name") != std::string::npos);
  }
  // Still serving: a well-formed launch of a NULL kernel reaches the runtime, whose
  // status (an error without a device, or for a NULL kernel) is the reply's value.
  REQUIRE(call_launch(g, launch, 0, 0, 0, 0) == kReplyOk);
}

namespace {
// A driver-API launch request: `form` 0 with `sent` parameters of `size` bytes
// (whatever `n` announces), or form 1 with a packed buffer of `size` bytes.
int call_driver_launch(RawGuest& g, std::uint32_t fn, std::uint64_t function, std::uint8_t form, std::uint32_t n,
                       std::uint32_t size, std::uint32_t sent) {
  Writer w;
  w.put_u64(function);
  for (int i = 0; i < 6; ++i) w.put_u32(1);
  w.put_u32(0);  // shared memory
  w.put_u64(0);  // default stream
  w.put_u8(form);
  w.put_u32(n);
  std::vector<unsigned char> bytes(size, 0xab);
  for (std::uint32_t i = 0; i < sent; ++i) {
    if (form == cuda_module::kLaunchParams) w.put_u32(size);
    w.put_raw(bytes.data(), bytes.size());
  }
  return g.call(fn, w);
}
}  // namespace

TEST_CASE("malformed cuLaunchKernel requests get error replies and the worker keeps serving",
          "[cuda-hostile]") {
  Session s("-driver");
  RawGuest& g = s.guest;
  const std::uint32_t launch = s.module_call(cuda_module::kCallDriverLaunch);
  // A function this guest was never given.
  REQUIRE(call_driver_launch(g, launch, 0x1234560, 0, 0, 0, 0) != kReplyOk);
  CHECK(g.error().find("unknown handle") != std::string::npos);
  // An argument form that does not exist.
  REQUIRE(call_driver_launch(g, launch, 0, 7, 0, 0, 0) != kReplyOk);
  CHECK(g.error().find("form") != std::string::npos);
  // Too many parameters, parameters beyond CUDA's 32764 bytes, a packed buffer too.
  REQUIRE(call_driver_launch(g, launch, 0, 0, 100000, 0, 0) != kReplyOk);
  CHECK(g.error().find("parameters") != std::string::npos);
  REQUIRE(call_driver_launch(g, launch, 0, 0, 2, 20000, 2) != kReplyOk);
  CHECK(g.error().find("larger than") != std::string::npos);
  REQUIRE(call_driver_launch(g, launch, 0, 1, 40000, 40000, 1) != kReplyOk);
  CHECK(g.error().find("32764") != std::string::npos);
  // Announced more than sent: truncated.
  REQUIRE(call_driver_launch(g, launch, 0, 0, 3, 8, 1) != kReplyOk);
  CHECK(g.error().find("truncated") != std::string::npos);
  REQUIRE(call_driver_launch(g, launch, 0, 1, 64, 16, 1) != kReplyOk);
  CHECK(g.error().find("truncated") != std::string::npos);
  // Still serving: a well-formed request reaches the end, where this server (given only
  // libcudart) says it has no driver to launch with, or a driver answers for NULL.
  int status = call_driver_launch(g, launch, 0, 0, 0, 0, 0);
  REQUIRE(status >= 0);
  if (status != kReplyOk) CHECK(g.error().find("no library with cuLaunchKernel") != std::string::npos);
}

TEST_CASE("a memcpy kind no `when` clause matches is refused by the server, not passed raw",
          "[cuda-hostile]") {
  // A hostile guest (or one generated from another spec) sends cudaMemcpy with
  // cudaMemcpyDefault and a guest address for dst: the server must not call the runtime
  // with that address (its clauses say dst is host memory or a device value by kind).
  Session s("-memcpy");
  RawGuest& g = s.guest;
  const std::uint32_t memcpy_fn = function_index(s.guest_source, "cudaMemcpy");
  for (std::int32_t kind : {4 /* cudaMemcpyDefault */, 77}) {
    Writer w;
    w.put_u64(64);  // count
    w.put_raw(&kind, sizeof kind);
    w.put_u64(0x7ffd12345000);  // dst: a guest stack address, as the base would send it
    w.put_u64(0x7ffd12346000);  // src
    REQUIRE(g.call(memcpy_fn, w) != kReplyOk);
    CHECK(g.error().find("not remoted when") != std::string::npos);
    CHECK(g.error().find("no `when` clause matches") != std::string::npos);
  }
  // Still serving: a well-formed launch of a NULL kernel reaches the runtime.
  CHECK(call_launch(g, s.module_call(cuda_module::kCallLaunch), 0, 0, 0, 0) == kReplyOk);
}
