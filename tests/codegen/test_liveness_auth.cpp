// Issue 15, items 9 and 10: liveness on both sides and authentication on tcp:.
// A guest fails with the API's error and a clear message when its worker is stopped,
// killed or hung (and its handshake is bounded); a long legitimate call is slow, not
// dead (heartbeats); a worker exits when its guest is gone even while blocked in the
// library. A tcp: server requires its key by default (challenge-response).
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "remora_auth.h"
#include "remora_transport.h"
#include "stack_fixture.h"

using namespace remora;
using namespace remora::test;
namespace fs = std::filesystem;

namespace {

std::string server_program() { return toy_stack_dir() + "/build/server/toy-server"; }
std::string guest_path() { return "LD_LIBRARY_PATH=" + toy_stack_dir() + "/build/guest"; }

std::string hex(const std::vector<unsigned char>& v) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (unsigned char c : v) s += d[c >> 4], s += d[c & 15];
  return s;
}

bool alive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

// Runs the toy client in the background (for signalling its worker meanwhile).
struct Background {
  std::thread thread;
  CommandResult result;
  std::chrono::steady_clock::time_point done_at;
  Background(std::vector<std::string> argv, std::vector<std::string> env, int timeout_s) {
    thread = std::thread([this, argv, env, timeout_s] {
      result = run_program(argv, env, timeout_s);
      done_at = std::chrono::steady_clock::now();
    });
  }
  void join() { thread.join(); }
};

double seconds_since(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1) {
  return std::chrono::duration<double>(t1 - t0).count();
}

}  // namespace

TEST_CASE("a guest fails with a clear message when its worker is stopped, killed or hung", "[codegen][toy][liveness]") {
  const std::vector<std::string> guest_env{guest_path(), "REMORA_LIVENESS_TIMEOUT_MS=1000"};

  SECTION("stopped (SIGSTOP): no heartbeat, the call fails after the liveness timeout") {
    std::string sock = temp_socket_path("live-stop");
    ServerProcess server(server_program(), "unix:" + sock, TOY_LIB, {"REMORA_HEARTBEAT_MS=100"});
    REQUIRE(server.ready());
    std::vector<std::string> env = guest_env;
    env.push_back("REMORA_SERVER=unix:" + sock);
    wait_for_no_workers(server.pid());
    Background client({TOY_CLIENT, "ping", "100000000"}, env, 30);
    pid_t worker = worker_of(server.pid());
    REQUIRE(worker > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto stopped_at = std::chrono::steady_clock::now();
    ::kill(worker, SIGSTOP);
    client.join();
    ::kill(worker, SIGCONT);
    const double to_fail = seconds_since(stopped_at, client.done_at);
    std::printf("liveness: guest failed %.2f s after its worker was stopped (timeout 1 s)\n", to_fail);
    INFO(client.result.errors);
    CHECK(client.result.status != 0);
    CHECK(client.result.errors.find("stopped or hung") != std::string::npos);
    CHECK(to_fail < 5);
  }
  SECTION("killed (SIGKILL): the closed socket fails the call at once") {
    std::string sock = temp_socket_path("live-kill");
    ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
    REQUIRE(server.ready());
    std::vector<std::string> env = guest_env;
    env.push_back("REMORA_SERVER=unix:" + sock);
    wait_for_no_workers(server.pid());
    Background client({TOY_CLIENT, "ping", "100000000"}, env, 30);
    pid_t worker = worker_of(server.pid());
    REQUIRE(worker > 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto killed_at = std::chrono::steady_clock::now();
    ::kill(worker, SIGKILL);
    client.join();
    const double to_fail = seconds_since(killed_at, client.done_at);
    std::printf("liveness: guest failed %.3f s after its worker was killed\n", to_fail);
    INFO(client.result.errors);
    CHECK(client.result.status != 0);
    CHECK(client.result.errors.find("lost the connection") != std::string::npos);
    CHECK(to_fail < 2);
  }
  SECTION("hung (answers the handshake, then nothing): the call fails after the liveness timeout") {
    // A stand-in worker that completes the handshake and then never answers.
    std::string sock = temp_socket_path("live-hung");
    Address a;
    std::string err;
    REQUIRE(parse_address("unix:" + sock, a, err));
    int lfd = listen_on(a, err);
    REQUIRE(lfd >= 0);
    std::thread fake([lfd] {
      auto s = accept_from(lfd);
      if (!s) return;
      FrameHeader h;
      std::vector<unsigned char> body;
      if (recv_frame(*s, h, body) != FrameResult::Ok) return;
      send_frame(*s, kMsgHelloOk, h.request, 0, nullptr, 0);
      while (recv_frame(*s, h, body) == FrameResult::Ok) {
      }
    });
    std::vector<std::string> env = guest_env;
    env.push_back("REMORA_SERVER=unix:" + sock);
    auto t0 = std::chrono::steady_clock::now();
    auto r = run_program({TOY_CLIENT, "ping", "10"}, env, 30);
    const double to_fail = seconds_since(t0, std::chrono::steady_clock::now());
    std::printf("liveness: guest failed %.2f s after its first call to a hung worker (timeout 1 s)\n", to_fail);
    ::shutdown(lfd, SHUT_RDWR);
    ::close(lfd);
    fake.join();
    ::unlink(sock.c_str());
    INFO(r.errors);
    CHECK(r.status != 0);
    CHECK(r.errors.find("sent nothing for 1000 ms during toyGetDevices") != std::string::npos);
    CHECK(to_fail < 5);
  }
  SECTION("a listener that accepts nothing: the handshake times out") {
    std::string sock = temp_socket_path("live-stall");
    Address a;
    std::string err;
    REQUIRE(parse_address("unix:" + sock, a, err));
    int lfd = listen_on(a, err);  // listening, never accepting
    REQUIRE(lfd >= 0);
    std::vector<std::string> env{guest_path(), "REMORA_SERVER=unix:" + sock, "REMORA_CONNECT_TIMEOUT_MS=500"};
    auto r = run_program({TOY_CLIENT, "ping", "1"}, env, 30);
    ::close(lfd);
    ::unlink(sock.c_str());
    std::printf("liveness: handshake with a stalled listener failed after %.2f s (timeout 0.5 s)\n", r.seconds);
    INFO(r.errors);
    CHECK(r.status != 0);
    CHECK(r.errors.find("handshake timed out") != std::string::npos);
    CHECK(r.seconds < 5);
  }
}

TEST_CASE("a long legitimate call is slow, not dead: heartbeats keep the guest waiting", "[codegen][toy][liveness]") {
  std::string sock = temp_socket_path("live-slow");
  // Each toyFinish takes 2 s, longer than the guest's 1.2 s liveness timeout (heartbeats
  // every 0.1 s leave a wide margin on a loaded machine).
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB, {"REMORA_HEARTBEAT_MS=100", "TOY_FINISH_DELAY_MS=2000"});
  REQUIRE(server.ready());
  auto r = run_program({TOY_CLIENT, "async-error"},
                       {guest_path(), "REMORA_SERVER=unix:" + sock, "REMORA_LIVENESS_TIMEOUT_MS=1200"}, 60);
  INFO(r.errors << "\nserver log:\n" << server.log());
  CHECK(r.status == 0);
  CHECK(r.output.find("finish again: 0") != std::string::npos);
  CHECK(r.errors.find("stopped or hung") == std::string::npos);
}

TEST_CASE("a worker blocked in the library exits when its guest is gone", "[codegen][toy][liveness]") {
  std::string sock = temp_socket_path("live-orphan");
  // toyFinish blocks for 10 minutes, as clWaitForEvents on an event that never completes.
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB,
                       {"TOY_FINISH_DELAY_MS=600000", "REMORA_WORKER_GRACE_MS=300"});
  REQUIRE(server.ready());
  wait_for_no_workers(server.pid());
  Background client({TOY_CLIENT, "async-error"}, {guest_path(), "REMORA_SERVER=unix:" + sock}, 2);  // killed at 2 s
  pid_t worker = worker_of(server.pid());
  REQUIRE(worker > 0);
  client.join();
  CHECK(client.result.status == -1);  // killed while waiting in toyFinish
  auto t0 = std::chrono::steady_clock::now();
  while (alive(worker) && seconds_since(t0, std::chrono::steady_clock::now()) < 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::printf("liveness: blocked worker exited %.2f s after its guest was killed (grace 0.3 s)\n",
              seconds_since(t0, std::chrono::steady_clock::now()));
  CHECK_FALSE(alive(worker));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // the listener logs the exit
  CHECK(server.log().find("still blocked in the library") != std::string::npos);
}

TEST_CASE("SHA-256 and HMAC-SHA256 match their published test vectors", "[codegen][auth]") {
  CHECK(hex(auth::sha256("abc", 3)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(auth::sha256("", 0)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  CHECK(hex(auth::sha256(two_blocks.data(), two_blocks.size())) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // RFC 4231 test case 2.
  std::vector<unsigned char> key{'J', 'e', 'f', 'e'};
  std::string msg = "what do ya want for nothing?";
  CHECK(hex(auth::hmac_sha256(key, msg.data(), msg.size())) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("tcp: requires the server's key by default", "[codegen][toy][auth]") {
  fs::path dir = fs::temp_directory_path() / ("remora-auth-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string key = (dir / "server.key").string();
  const std::string wrong = (dir / "wrong.key").string();
  std::vector<unsigned char> k;
  std::string err;
  REQUIRE(auth::load_or_create_key(key, k, err));  // created 0600
  REQUIRE(auth::load_or_create_key(wrong, k, err));
  CHECK((fs::status(key).permissions() & fs::perms::others_read) == fs::perms::none);
  std::string addr = "tcp:127.0.0.1:" + std::to_string(free_tcp_port());
  ServerProcess server(server_program(), addr, TOY_LIB, {}, {"--key", key});
  REQUIRE(server.ready());
  auto run_with = [&](const std::string& key_file) {
    return run_program({TOY_CLIENT, "ping", "5"}, {guest_path(), "REMORA_SERVER=" + addr, "REMORA_KEY_FILE=" + key_file}, 30);
  };
  SECTION("the right key connects") {
    auto r = run_with(key);
    INFO(r.errors << server.log());
    CHECK(r.status == 0);
    CHECK(r.output == "pinged 5\n");
  }
  SECTION("no key: refused with how to fix it") {
    auto r = run_with((dir / "missing.key").string());
    INFO(r.errors);
    CHECK(r.status != 0);
    CHECK(r.errors.find("requires authentication") != std::string::npos);
    CHECK(r.errors.find("REMORA_KEY_FILE") != std::string::npos);
  }
  SECTION("another key: refused by the server") {
    auto r = run_with(wrong);
    INFO(r.errors);
    CHECK(r.status != 0);
    CHECK(r.errors.find("authentication failed") != std::string::npos);
    CHECK(server.log().find("authentication failed") != std::string::npos);
  }
  SECTION("a key file others can read is refused") {
    const std::string loose = (dir / "loose.key").string();
    fs::copy_file(key, loose, fs::copy_options::overwrite_existing);
    ::chmod(loose.c_str(), 0644);
    auto r = run_with(loose);
    CHECK(r.status != 0);
    CHECK(r.errors.find("only its owner can read") != std::string::npos);
  }
  SECTION("a raw peer that skips the challenge gets nothing but a refusal") {
    Address a;
    REQUIRE(parse_address(addr, a, err));
    auto s = connect_to(a, 2000, err);
    REQUIRE(s);
    Writer hello;
    hello.put_u32(kProtocolVersion);
    hello.put_u64(toy_fingerprint());
    hello.put_string("Toy");
    REQUIRE(send_frame(*s, kMsgHello, 0, 0, hello.data(), hello.size()));
    FrameHeader h;
    std::vector<unsigned char> body;
    REQUIRE(recv_frame(*s, h, body) == FrameResult::Ok);
    CHECK(h.type == kMsgAuthChallenge);
    Writer call;  // a call instead of the answer
    call.put_u32(0);
    REQUIRE(send_frame(*s, 0, 1, 0, call.data(), call.size()));
    REQUIRE(recv_frame(*s, h, body) == FrameResult::Ok);
    CHECK(h.type == kMsgHelloFail);
    CHECK(recv_frame(*s, h, body) == FrameResult::Closed);
  }
  fs::remove_all(dir);
}

TEST_CASE("--no-auth serves tcp: without a key", "[codegen][toy][auth]") {
  std::string addr = "tcp:127.0.0.1:" + std::to_string(free_tcp_port());
  ServerProcess server(server_program(), addr, TOY_LIB, {}, {"--no-auth"});
  REQUIRE(server.ready());
  auto r = run_program({TOY_CLIENT, "ping", "3"}, {guest_path(), "REMORA_SERVER=" + addr, "REMORA_KEY_FILE=/nonexistent"}, 30);
  INFO(r.errors);
  CHECK(r.status == 0);
  CHECK(server.log().find("--no-auth") != std::string::npos);
}
