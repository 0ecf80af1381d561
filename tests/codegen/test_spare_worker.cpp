// Issue 13: the listener starts each guest's worker ahead (a spare: exec'd, confined, the
// library loaded), hands it the accepted socket, and starts the next. A spare that died
// first costs its guest nothing but the wait for a worker started on demand.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "stack_fixture.h"

using namespace remora::test;

namespace {

std::string toy_server() { return toy_stack_dir() + "/build/server/toy-server"; }

// The server's child named `name` ("remora-spare"), waited for up to 5 s; -1 if none.
pid_t child_named(pid_t server, const std::string& name, pid_t other_than = -1) {
  for (int i = 0; i < 500; ++i) {
    std::ifstream in("/proc/" + std::to_string(server) + "/task/" + std::to_string(server) + "/children");
    for (pid_t pid = 0; in >> pid;) {
      std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
      std::string n;
      if (pid != other_than && std::getline(comm, n) && n == name) return pid;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

// The spare waiting for the next guest, once the readiness probe's worker (itself a spare
// until the probe came, and named one until it took the probe's socket) has gone.
pid_t waiting_spare(const ServerProcess& server) {
  for (int i = 0; i < 500; ++i) {
    const std::string log = server.log();
    const std::size_t served = count_of(log, "guest connected (worker");
    if (served > 0 && served == count_of(log, "guest disconnected (worker")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return child_named(server.pid(), "remora-spare");
}

CommandResult ping(const std::string& address) {
  return run_program({TOY_CLIENT, "ping", "3"},
                     {"LD_LIBRARY_PATH=" + toy_stack_dir() + "/build/guest", "REMORA_SERVER=" + address}, 30);
}

}  // namespace

TEST_CASE("the listener's spare worker serves the next guest, and another starts", "[codegen][toy][spare]") {
  for (const char* transport : {"unix:", "shm:"}) {
    DYNAMIC_SECTION(transport) {
      const std::string address = transport + temp_socket_path(std::string("spare-") + (transport[0] == 'u' ? "u" : "s"));
      ServerProcess server(toy_server(), address, TOY_LIB);
      REQUIRE(server.ready());
      const pid_t spare = waiting_spare(server);
      REQUIRE(spare > 0);
      auto r = ping(address);
      INFO(r.errors << "\nserver log:\n" << server.log());
      CHECK(r.status == 0);
      CHECK(server.log().find("guest connected (worker " + std::to_string(spare) + ")") != std::string::npos);
      CHECK(child_named(server.pid(), "remora-spare", spare) > 0);  // the next one
    }
  }
}

TEST_CASE("a guest whose spare worker died first is served by a worker started on demand",
          "[codegen][toy][spare]") {
  const std::string address = "unix:" + temp_socket_path("spare-killed");
  ServerProcess server(toy_server(), address, TOY_LIB);
  REQUIRE(server.ready());
  const pid_t spare = waiting_spare(server);
  REQUIRE(spare > 0);
  ::kill(spare, SIGKILL);
  // Whether the guest comes while the spare is still dying (the hand-over goes out and is
  // never taken) or after the listener reaped it, the guest is served.
  auto r = ping(address);
  INFO(r.errors << "\nserver log:\n" << server.log());
  CHECK(r.status == 0);
  CHECK(r.output.find("ping") != std::string::npos);
  CHECK(r.errors.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // the listener reaps twice a second
  CHECK(server.log().find("the spare worker " + std::to_string(spare) + " ended before taking a guest (signal 9)") !=
        std::string::npos);
  CHECK(child_named(server.pid(), "remora-spare", spare) > 0);
  CHECK(ping(address).status == 0);
}

TEST_CASE("a guest handed to a spare that dies before taking it is served by a worker started on demand",
          "[codegen][toy][spare]") {
  const std::string address = "unix:" + temp_socket_path("spare-untaken");
  ServerProcess server(toy_server(), address, TOY_LIB);
  REQUIRE(server.ready());
  const pid_t spare = waiting_spare(server);
  REQUIRE(spare > 0);
  ::kill(spare, SIGSTOP);  // alive, so the hand-over goes out, but it cannot take it
  CommandResult r;
  std::thread guest([&] { r = ping(address); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(spare, SIGKILL);
  guest.join();
  INFO(r.errors << "\nserver log:\n" << server.log());
  CHECK(r.status == 0);
  CHECK(r.output == "pinged 3\n");
  CHECK(server.log().find("the spare worker " + std::to_string(spare) +
                          " did not take its guest; starting a worker for it") != std::string::npos);
}

TEST_CASE("REMORA_SPARE_WORKER=0 starts every worker on demand", "[codegen][toy][spare]") {
  const std::string address = "unix:" + temp_socket_path("spare-off");
  ServerProcess server(toy_server(), address, TOY_LIB, {"REMORA_SPARE_WORKER=0"});
  REQUIRE(server.ready());
  wait_for_no_workers(server.pid());
  std::ifstream in("/proc/" + std::to_string(server.pid()) + "/task/" + std::to_string(server.pid()) + "/children");
  std::vector<pid_t> children;
  for (pid_t pid = 0; in >> pid;) children.push_back(pid);
  CHECK(children.empty());
  CHECK(ping(address).status == 0);
}
