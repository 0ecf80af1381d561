// The vsock:CID:PORT transport. This machine (and CI) has no vhost-vsock and no vsock
// loopback, so no vsock connection can be made here: these tests cover what can be
// checked without one — address parsing, the AF_VSOCK listener where the kernel has
// vsock support, a clear error within a bounded time where AF_VSOCK is missing or nobody
// answers (never a hang) — and Firecracker's host side, which is a plain unix listener
// at <uds_path>_<port>, with the toy stack.
#include <sys/socket.h>
#include <unistd.h>
// After sys/socket.h: linux/vm_sockets.h uses its types.
#include <linux/vm_sockets.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "remora_transport.h"
#include "stack_fixture.h"

using namespace remora;
using namespace remora::test;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// A port nobody uses, different per run so parallel runs do not meet.
unsigned some_vsock_port() {
  return 20000u + static_cast<unsigned>(::getpid()) % 20000u;
}

bool no_vsock_support(const std::string& err) {
  return err.find("no vsock support") != std::string::npos;
}

}  // namespace

TEST_CASE(
    "vsock: addresses parse: CID and port, ANY or -1 on a server; bad ones are refused with a "
    "reason",
    "[codegen][vsock]") {
  Address a;
  std::string err;
  REQUIRE(parse_address("vsock:2:7000", a, err));
  CHECK(a.kind == Address::Kind::Vsock);
  CHECK(a.vsock_cid == 2u);
  CHECK(a.vsock_port == 7000u);
  REQUIRE(parse_address("vsock:ANY:4294967294", a, err));
  CHECK(a.vsock_cid == VMADDR_CID_ANY);
  CHECK(a.vsock_port == 4294967294u);
  REQUIRE(parse_address("vsock:-1:5", a, err));
  CHECK(a.vsock_cid == VMADDR_CID_ANY);
  REQUIRE(parse_address("delay:10:vsock:3:5000", a, err));
  CHECK(a.kind == Address::Kind::Vsock);
  CHECK(a.delay_us == 10);
  for (const char* bad :
       {"vsock:", "vsock:2", "vsock::7000", "vsock:x:7000", "vsock:4294967295:7000"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad, a, err));
    CHECK(err.find("expected vsock:CID:PORT") != std::string::npos);
  }
  for (const char* bad :
       {"vsock:2:", "vsock:2:0", "vsock:2:-1", "vsock:2:4294967295", "vsock:2:70x"}) {
    INFO(bad);
    CHECK_FALSE(parse_address(bad, a, err));
    CHECK(err.find("bad vsock port") != std::string::npos);
  }
}

TEST_CASE("vsock: a server listens on vsock:ANY:PORT, or says the machine has no vsock support",
          "[codegen][vsock]") {
  Address a;
  std::string err;
  REQUIRE(parse_address("vsock:ANY:" + std::to_string(some_vsock_port()), a, err));
  int fd = listen_on(a, err);
  if (fd < 0) {
    // Some kernels without vsock still create the socket and refuse the bind.
    INFO(err);
    CHECK(err.find(a.text) != std::string::npos);
    WARN("no AF_VSOCK listener on this machine: " << err);
    return;
  }
  sockaddr_vm sa{};
  socklen_t len = sizeof sa;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0);
  CHECK(sa.svm_family == AF_VSOCK);
  CHECK(sa.svm_port == a.vsock_port);
  ::close(fd);
}

TEST_CASE(
    "vsock: without vhost-vsock here, a guest's connect fails with a clear error within its "
    "timeout",
    "[codegen][vsock]") {
  // CID 1 (local loopback) and this machine's own CID reach no listener here; CID 2 (the
  // host) is never tried, since where this runs in a VM the host is not ours to probe.
  for (unsigned cid : {1u, 3u}) {
    Address a;
    std::string err;
    REQUIRE(parse_address("vsock:" + std::to_string(cid) + ":" + std::to_string(some_vsock_port()),
                          a, err));
    auto start = Clock::now();
    auto s = connect_to(a, 500, err);
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    INFO(a.text << ": " << err);
    CHECK_FALSE(s);
    CHECK(seconds < 1.5);
    CHECK(err.find(a.text) != std::string::npos);
    CHECK_FALSE(err.empty());
    if (no_vsock_support(err)) WARN("this machine has no AF_VSOCK: " << err);
  }
}

TEST_CASE("vsock: the generated toy guest with no reachable vsock server fails its calls promptly",
          "[codegen][vsock][toy]") {
  std::string guest_dir = toy_stack_dir() + "/build/guest";
  auto r = run_program({TOY_CLIENT, "leak"},
                       {"LD_LIBRARY_PATH=" + guest_dir, "REMORA_CONNECT_TIMEOUT_MS=500",
                        "REMORA_SERVER=vsock:1:" + std::to_string(some_vsock_port())});
  INFO("guest stderr: " << r.errors);
  CHECK(r.output.find("get devices: -2\n") != std::string::npos);
  CHECK(r.seconds < 5);
  CHECK(r.errors.find("vsock:1:") != std::string::npos);
  // The hint names the address the host's server listens on, not the guest's.
  CHECK(r.errors.find("--listen vsock:ANY:" + std::to_string(some_vsock_port())) !=
        std::string::npos);
}

TEST_CASE(
    "vsock: Firecracker's host side is a unix listener at <uds_path>_<port>: the toy stack over it",
    "[codegen][vsock][toy]") {
  // Firecracker forwards a guest's connection to vsock port P as a connection to the unix
  // socket <uds_path>_P on the host; the guest's end (vsock:2:P) cannot run here.
  std::string uds_path = temp_socket_path("fc-vsock");
  std::string host_side = "unix:" + uds_path + "_" + std::to_string(some_vsock_port());
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", host_side, TOY_LIB);
  REQUIRE(server.ready());
  std::string native_dir = fs::path(TOY_LIB).parent_path().string();
  auto native = run_program({TOY_CLIENT}, {"LD_LIBRARY_PATH=" + native_dir});
  auto remote = run_program({TOY_CLIENT}, {"LD_LIBRARY_PATH=" + toy_stack_dir() + "/build/guest",
                                           "REMORA_SERVER=" + host_side});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  REQUIRE(native.status == 0);
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
}
