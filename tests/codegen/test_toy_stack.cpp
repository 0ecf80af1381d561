// End to end on the toy API: generate the stack from tests/data/toyapi/toy.spec.json,
// build it, run the toy client natively and through the stack, compare.
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "stack_fixture.h"

using namespace remora::test;
namespace fs = std::filesystem;

namespace {

std::string server_program() { return toy_stack_dir() + "/build/server/toy-server"; }
std::string guest_dir() { return toy_stack_dir() + "/build/guest"; }
std::string native_dir() { return fs::path(TOY_LIB).parent_path().string(); }

CommandResult run_native(const std::vector<std::string>& args) {
  std::vector<std::string> argv{TOY_CLIENT};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, {"LD_LIBRARY_PATH=" + native_dir()});
}

CommandResult run_remote(const std::string& server, const std::vector<std::string>& args,
                         std::vector<std::string> env = {}) {
  std::vector<std::string> argv{TOY_CLIENT};
  argv.insert(argv.end(), args.begin(), args.end());
  env.push_back("LD_LIBRARY_PATH=" + guest_dir());
  env.push_back("REMORA_SERVER=" + server);
  return run_program(argv, env);
}

}  // namespace

TEST_CASE("generated toy project: one readable function per call, stubs for unsupported ones", "[codegen][toy]") {
  std::string guest = read_file(toy_stack_dir() + "/guest/guest.cpp");
  std::string server = read_file(toy_stack_dir() + "/server/server.cpp");
  CHECK(guest.find("REMORA_EXPORT toy_status (toyGetDeviceInfo)(toy_device device, int param, size_t value_size, "
                   "void *value, size_t *value_size_ret) {") != std::string::npos);
  CHECK(guest.find("//   value: out buffer, size value_size bytes, nullable") != std::string::npos);
  CHECK(guest.find("NOT REMOTED: vendor-private entry point") != std::string::npos);
  CHECK(server.find("bool srv_toyGetDeviceInfo(") != std::string::npos);
  CHECK(server.find("srv_toyVendorSecret") == std::string::npos);  // no handler: rejected by the runtime
  // Bytes the spec says may hold handles are translated in place (toyArgSize's arg_value).
  CHECK(server.find("rm.translate_handles_in(const_cast<void*>(rm_m), rm_n_arg_value * 1, \"toyArgSize.arg_value\")") !=
        std::string::npos);
  CHECK(fs::exists(toy_stack_dir() + "/runtime/remora_wire.h"));
  CHECK(fs::exists(guest_dir() + "/libtoy.so.1"));
  CHECK(fs::is_symlink(guest_dir() + "/libtoy.so"));
}

TEST_CASE("toy client prints the same natively and through the stack over a unix socket", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({});
  REQUIRE(native.status == 0);
  REQUIRE(native.output.find("done\n") != std::string::npos);
  auto remote = run_remote("unix:" + sock, {});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
  // The client's log callback queries the device its toyRunWithLog call runs on: served
  // while the library waits for the callback, with nothing said on the way.
  CHECK(remote.errors.find("remora:") == std::string::npos);
}

TEST_CASE("toy client prints the same through the stack over TCP loopback", "[codegen][toy]") {
  std::string addr = "tcp:127.0.0.1:" + std::to_string(free_tcp_port());
  ServerProcess server(server_program(), addr, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({});
  auto remote = run_remote(addr, {});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
}

TEST_CASE("toy client prints the same through the stack over shared memory (shm:)", "[codegen][toy][shm]") {
  std::string addr = "shm:" + temp_socket_path("toy-shm");
  ServerProcess server(server_program(), addr, TOY_LIB);
  REQUIRE(server.ready());
  // Everything (callbacks on the API's threads included), several threads, a forked child.
  for (std::string mode : {"all", "threads", "fork"}) {
    auto native = run_native({mode});
    auto remote = run_remote(addr, {mode});
    INFO(mode << ": guest stderr: " << remote.errors << "\nserver log: " << server.log());
    CHECK(remote.status == 0);
    CHECK(remote.output == native.output);
    CHECK(remote.errors.find("remora:") == std::string::npos);
  }
  // A guest whose worker is killed mid-run fails promptly instead of waiting on the ring.
  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string pids = run_program({"pgrep", "-P", std::to_string(server.pid())}).output;
    for (std::size_t p = 0; p < pids.size();) {
      auto e = pids.find('\n', p);
      int pid = std::atoi(pids.substr(p, e - p).c_str());
      if (pid > 0) kill(pid, SIGKILL);
      p = e == std::string::npos ? pids.size() : e + 1;
    }
  });
  auto r = run_remote(addr, {"ping", "100000000"});
  killer.join();
  CHECK(r.status != 0);
  CHECK(r.seconds < 20);
  CHECK(r.errors.find("lost the connection to the Toy API server") != std::string::npos);
}

TEST_CASE("a failing asynchronous call is reported by the next synchronous one", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto remote = run_remote("unix:" + sock, {"async-error"});
  INFO(remote.errors);
  REQUIRE(remote.status == 0);
  // The non-blocking write returns at once; its failure surfaces at toyFinish, once.
  CHECK(remote.output.find("bad non-blocking write: 0\n") != std::string::npos);
  CHECK(remote.output.find("finish: -1\n") != std::string::npos);
  CHECK(remote.output.find("finish again: 0\n") != std::string::npos);
  CHECK(remote.errors.find("asynchronous call to toyWriteBuffer failed with -1") != std::string::npos);
  // With REMORA_ASYNC=0 the call itself reports it, as the native library does.
  auto sync = run_remote("unix:" + sock, {"async-error"}, {"REMORA_ASYNC=0"});
  auto native = run_native({"async-error"});
  CHECK(sync.output == native.output);
}

// The inputs of non-blocking calls are held until a barrier retires them (nothing earlier
// proves the library done with them): bounded per guest, and the call that would pass the
// bound is refused with a reason that names the way out; a barrier frees what was held.
TEST_CASE("inputs held for non-blocking calls are bounded per guest with a clear error",
          "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  // The bound is at least the message limit: both lowered to 1 MiB (16 writes of 64 KiB).
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB,
                       {"REMORA_MAX_MESSAGE=1048576", "REMORA_MAX_HELD=1M"});
  REQUIRE(server.ready());
  auto native = run_native({"held"});
  REQUIRE(native.status == 0);
  CHECK(native.output.find(
            "48 writes without a barrier: 0, finish: 0\n48 writes with a finish every 8: 0\n") !=
        std::string::npos);
  auto remote = run_remote("unix:" + sock, {"held"});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  REQUIRE(remote.status == 0);
  // The writes return at once; the refused one's failure surfaces at toyFinish.
  CHECK(remote.output.find("48 writes without a barrier: 0, finish: 0\n") == std::string::npos);
  CHECK(remote.output.find("48 writes without a barrier: 0, finish: ") != std::string::npos);
  CHECK(server.log().find("exceed the per-guest bound of 1048576") != std::string::npos);
  CHECK(server.log().find("REMORA_MAX_HELD") != std::string::npos);
  // The finish retired what was held: with a barrier every 8 writes all succeed.
  CHECK(remote.output.find("48 writes with a finish every 8: 0\n") != std::string::npos);
  // Under the default bound the same program matches native. A malformed bound is not read
  // as some other number (4X as 4): the server says so, naming it, and keeps the default.
  std::string sock2 = temp_socket_path("toy");
  ServerProcess roomy(server_program(), "unix:" + sock2, TOY_LIB, {"REMORA_MAX_HELD=4X"});
  REQUIRE(roomy.ready());
  CHECK(run_remote("unix:" + sock2, {"held"}).output == native.output);
  INFO("server log: " << roomy.log());
  CHECK(roomy.log().find(
            "REMORA_MAX_HELD=4X is ignored (unexpected 'X' after the number): it takes a byte "
            "count from 1073741824") != std::string::npos);
}

TEST_CASE(
    "on a queue the spec says is in order, a blocking call lets the earlier calls' held inputs go",
    "[codegen][toy][in-order]") {
  // The generated server notes the queue in order from the spec's predicate over the
  // creation's property list (property(properties, TOY_QUEUE_FLAGS)).
  const std::string server_src = read_file(toy_stack_dir() + "/server/server.cpp");
  CHECK(server_src.find("rm.note_in_order(remora::to_u64(rm_result))") != std::string::npos);
  CHECK(server_src.find("remora::property_value(properties, rm_n_properties, TOY_QUEUE_FLAGS)") !=
        std::string::npos);
  auto native = run_native({"held-in-order"});
  REQUIRE(native.status == 0);
  CHECK(
      native.output.find(
          "default queue: 48 writes, each then a blocking read: 0, finish: 0, bytes same\n"
          "in-order queue: 48 writes, each then a blocking read: 0, finish: 0, bytes same\n"
          "out-of-order queue: 48 writes, each then a blocking read: 0, finish: 0, bytes same\n") !=
      std::string::npos);
  // 48 x 64 KiB held would pass a 1 MiB bound; each blocking read retires the write before
  // it on an in-order queue (two of them: none given, and a list whose other key carries the
  // flag's value), never on the out-of-order one, whose refusal surfaces at a later call.
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB,
                       {"REMORA_MAX_MESSAGE=1048576", "REMORA_MAX_HELD=1M"});
  REQUIRE(server.ready());
  auto remote = run_remote("unix:" + sock, {"held-in-order"});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  REQUIRE(remote.status == 0);
  CHECK(remote.output.find(
            "default queue: 48 writes, each then a blocking read: 0, finish: 0, bytes same\n") !=
        std::string::npos);
  CHECK(remote.output.find(
            "in-order queue: 48 writes, each then a blocking read: 0, finish: 0, bytes same\n") !=
        std::string::npos);
  CHECK(remote.output.find(
            "out-of-order queue: 48 writes, each then a blocking read: 0, finish: 0") ==
        std::string::npos);
  CHECK(server.log().find("exceed the per-guest bound of 1048576") != std::string::npos);
}

TEST_CASE("large transfers go in the bulk trailer and arrive intact; REMORA_STATS counts round trips",
          "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"bulk"});
  REQUIRE(native.status == 0);
  CHECK(count_of(native.output, ": same\n") == 4);
  auto remote = run_remote("unix:" + sock, {"bulk"}, {"REMORA_STATS=1"});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
  // 13 calls; the non-blocking write and read and the two status-only releases wait for
  // no reply (frames: the hello too; the releases are sent together at exit).
  CHECK(remote.errors.find("remora: 13 calls, 11 round trips, 14 frames, ") != std::string::npos);
  // With the fast paths off every call waits for its own reply.
  auto strict = run_remote("unix:" + sock, {"bulk"}, {"REMORA_STATS=1", "REMORA_STRICT=1"});
  CHECK(strict.output == native.output);
  CHECK(strict.errors.find("remora: 13 calls, 13 round trips, 14 frames, ") != std::string::npos);
}

TEST_CASE("pieces received while the library copies the one before arrive intact and in order",
          "[codegen][toy][read-ahead]") {
  auto native = run_native({"pieces"});
  REQUIRE(native.status == 0);
  CHECK(count_of(native.output, "pieces: same\n") == 2);
  // The server's read-ahead on (the default) and off: the same bytes, the same order.
  for (const char* ahead : {"REMORA_READ_AHEAD=1", "REMORA_READ_AHEAD=0"}) {
    std::string sock = temp_socket_path("toy");
    ServerProcess server(server_program(), "unix:" + sock, TOY_LIB, {ahead});
    REQUIRE(server.ready());
    auto remote = run_remote("unix:" + sock, {"pieces"});
    INFO(ahead << "\nguest stderr: " << remote.errors << "\nserver log: " << server.log());
    CHECK(remote.status == 0);
    CHECK(remote.output == native.output);
  }
}

TEST_CASE("threads of one guest share its connection safely", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"threads"});
  auto remote = run_remote("unix:" + sock, {"threads"});
  INFO(remote.errors);
  CHECK(native.output.find("thread 3: 500/500") != std::string::npos);
  CHECK(remote.output == native.output);
}

TEST_CASE("a forked child gets its own connection", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"fork"});
  auto remote = run_remote("unix:" + sock, {"fork"});
  INFO(remote.errors);
  CHECK(native.output == "get devices: 0\nchild: 0 devices=2\nparent: 0 devices=2 child exit=0\n");
  CHECK(remote.output == native.output);
}

TEST_CASE("outputs a call leaves unwritten keep the program's values, failed or not", "[codegen][toy][failed-outputs]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"failed-outputs"});
  REQUIRE(native.status == 0);
  // Natively: a failed call writes nothing, a successful one only what it documents.
  CHECK(native.output.find("priority of no queue: -1, priority 42\n") != std::string::npos);
  CHECK(native.output.find("failed: -1 mean 2.5 peak 7 history 9 9 9\n") != std::string::npos);
  CHECK(native.output.find("no peak: 0 mean 0.5 peak 7 history 1 2 9\n") != std::string::npos);
  auto remote = run_remote("unix:" + sock, {"failed-outputs"});
  INFO(remote.errors);
  CHECK(remote.output == native.output);
}

TEST_CASE("an unsupported function returns the API's error value and logs its name once", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto remote = run_remote("unix:" + sock, {"unsupported"});
  CHECK(remote.output.find("secret: -2\nsecret again: -2\n") != std::string::npos);  // TOY_ERROR_UNAVAILABLE
  CHECK(count_of(remote.errors, "toyVendorSecret is not supported") == 1);
}

TEST_CASE("a guest that disconnects gets its objects released in reverse creation order", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  std::string log = sock + ".released";
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB, {"TOY_RELEASE_LOG=" + log});
  REQUIRE(server.ready());
  auto remote = run_remote("unix:" + sock, {"leak"});
  REQUIRE(remote.status == 0);
  std::string released;
  for (int i = 0; i < 300 && count_of(released, "\n") < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    released = read_file(log);
  }
  CHECK(released == "buffer 3 second\nqueue 2 \nbuffer 1 first\n");
  fs::remove(log);
  // A guest that releases everything itself leaves nothing to release.
  auto clean = run_remote("unix:" + sock, {"ping", "10"});
  CHECK(clean.status == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(read_file(log) == "queue 1 \n");  // released by the program, once
  fs::remove(log);
}

TEST_CASE("with no server, calls fail promptly with one line saying what to do", "[codegen][toy]") {
  auto unix_down = run_remote("unix:/nonexistent/remora-toy.sock", {"leak"});
  CHECK(unix_down.output.find("get devices: -2\n") != std::string::npos);
  CHECK(unix_down.seconds < 5);
  CHECK(count_of(unix_down.errors, "cannot reach the Toy API server") == 1);
  CHECK(unix_down.errors.find("toy-server --listen") != std::string::npos);
  auto tcp_down = run_remote("tcp:127.0.0.1:" + std::to_string(free_tcp_port()), {"leak"});
  CHECK(tcp_down.output.find("get devices: -2\n") != std::string::npos);
  CHECK(tcp_down.seconds < 5);
  auto bad_addr = run_remote("carrier-pigeon:home", {"leak"});
  CHECK(bad_addr.output.find("get devices: -2\n") != std::string::npos);
  CHECK(bad_addr.errors.find("expected unix:PATH, shm:PATH, tcp:HOST:PORT, vsock:CID:PORT or virtio-serial:NAME") !=
        std::string::npos);
}

TEST_CASE("the guest reads the server address from a config file when REMORA_SERVER is unset", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  fs::path cfg = fs::temp_directory_path() / ("remora-xdg-" + std::to_string(getpid()));
  fs::create_directories(cfg / "remora");
  {
    std::ofstream(cfg / "remora" / "toy.conf") << "# test\nserver=unix:" << sock << "\n";
  }
  auto r = run_program({TOY_CLIENT, "ping", "5"},
                       {"LD_LIBRARY_PATH=" + guest_dir(), "XDG_CONFIG_HOME=" + cfg.string()});
  CHECK(r.output == "pinged 5\n");
  fs::remove_all(cfg);
}

TEST_CASE("a guest whose server dies gets errors, not a hang", "[codegen][toy]") {
  std::string sock = temp_socket_path("toy");
  auto server = std::make_unique<ServerProcess>(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server->ready());
  // Kill the server (parent and its workers) while the guest is mid-run.
  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string pids = run_program({"pgrep", "-P", std::to_string(server->pid())}).output;
    for (std::size_t p = 0; p < pids.size();) {
      auto e = pids.find('\n', p);
      int pid = std::atoi(pids.substr(p, e - p).c_str());
      if (pid > 0) kill(pid, SIGKILL);
      p = e == std::string::npos ? pids.size() : e + 1;
    }
  });
  auto r = run_remote("unix:" + sock, {"ping", "100000000"});
  killer.join();
  CHECK(r.status != 0);
  CHECK(r.seconds < 20);
  CHECK(r.errors.find("lost the connection to the Toy API server") != std::string::npos);
  // The parent notices (SIGCHLD) and lives on.
  for (int i = 0; i < 200 && server->log().find("crashed (signal 9)") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  INFO(server->log());
  CHECK(server->log().find("crashed (signal 9)") != std::string::npos);
  auto again = run_remote("unix:" + sock, {"ping", "3"});
  CHECK(again.output == "pinged 3\n");
}

TEST_CASE("buffers of buffers, query() and readable() sizes are remoted, not stubbed", "[codegen][toy][nested]") {
  std::string guest = read_file(toy_stack_dir() + "/guest/guest.cpp");
  std::string server = read_file(toy_stack_dir() + "/server/server.cpp");
  for (const char* fn : {"toyStoreBlobs", "toyGetBufferInfo", "toyLoadBlobs", "toyCopyBlobs", "toyChecksum"}) {
    INFO(fn);
    CHECK(server.find(std::string("bool srv_") + fn + "(") != std::string::npos);
  }
  CHECK(guest.find("NOT REMOTED: vendor-private entry point") != std::string::npos);
  CHECK(count_of(guest, "NOT REMOTED") == 1);
  // The guest sizes toyLoadBlobs' outputs by asking the server; the server asks the library.
  CHECK(guest.find("rm_query_toyGetBufferInfo_2(buffer, TOY_BLOB_SIZES, rm_i)") != std::string::npos);
  CHECK(server.find("real_toyGetBufferInfo(a0, a1,") != std::string::npos);
  CHECK(guest.find("remora::guest::readable_bytes(data)") != std::string::npos);
  // The when clause of toyCopyBlobs becomes a branch with outputs only on its side.
  CHECK(guest.find("if (direction == TOY_TO_HOST) {") != std::string::npos);
}

TEST_CASE("the toy client's blob and checksum steps print the same natively and remoted", "[codegen][toy][nested]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({});
  REQUIRE(native.status == 0);
  // The steps ran and succeeded natively (a FAILED line would end the run early).
  CHECK(native.output.find("blobs: 3, sizes in 24 bytes: 4 13 0\n") != std::string::npos);
  CHECK(native.output.find("loaded: 1 2 3 250, after: 238 238; 'hello, blobs' then 238; "
                           "empty blob untouched: 238 238\n") != std::string::npos);
  CHECK(native.output.find("copied back: 'copy in' then 238; 9 8 then 238\n") != std::string::npos);
  CHECK(native.output.find("checksum before a guard page: ") != std::string::npos);
  auto remote = run_remote("unix:" + sock, {});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
}

TEST_CASE("an asynchronous failure is reported by the program's call, not by a size query it needed",
          "[codegen][toy][nested]") {
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto remote = run_remote("unix:" + sock, {"async-error-query"});
  INFO(remote.errors);
  REQUIRE(remote.status == 0);
  // toyLoadBlobs calls toyGetBufferInfo through the stack to size its outputs; that
  // internal call hears of the failed write first, but toyLoadBlobs reports it, once.
  CHECK(remote.output.find("bad non-blocking write: 0\n") != std::string::npos);
  CHECK(remote.output.find("load: -1\n") != std::string::npos);
  CHECK(remote.output.find("finish: 0\n") != std::string::npos);
  CHECK(remote.output.find("load again: 0 -> 5 6 7\n") != std::string::npos);
  CHECK(count_of(remote.errors, "asynchronous call to toyWriteBuffer failed with -1; reported by toyLoadBlobs") == 1);
  auto sync = run_remote("unix:" + sock, {"async-error-query"}, {"REMORA_ASYNC=0"});
  auto native = run_native({"async-error-query"});
  CHECK(native.output.find("load again: 0 -> 5 6 7\n") != std::string::npos);
  CHECK(sync.output == native.output);
}

TEST_CASE("structs holding pointers are deep-copied as their member annotations say", "[codegen][toy][structs]") {
  std::string guest = read_file(toy_stack_dir() + "/guest/guest.cpp");
  CHECK(guest.find("NOT REMOTED") == guest.rfind("NOT REMOTED"));  // only toyVendorSecret is stubbed
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"structs"});
  REQUIRE(native.status == 0);
  // Every member kind reached the library: strings, a nested struct's string, an array
  // of strings, an array of structs with handles, 5000 bytes (bulk), a struct by
  // pointer and both members of the extension chain.
  CHECK(native.output.find("describe: name=config header=head/9 tag=red tag=green tag=blue item=first:1:1+2 "
                           "item=second:2:3+4 blob=5000:") != std::string::npos);
  CHECK(native.output.find(" window=7+8 label=extended weights=3:3.75\n") != std::string::npos);
  CHECK(native.output.find("describe bare: name=(null) header=(null)/0 blob=0:0\n") != std::string::npos);
  CHECK(native.output.find("unknown extension: refused\n") != std::string::npos);
  // An inout struct whose out member fills the caller's array: the struct's values come
  // back, its pointer stays the program's own.
  CHECK(native.output.find("squares: count=6 capacity=3 own array=1: 0 1 4 -1\n") != std::string::npos);
  auto remote = run_remote("unix:" + sock, {"structs"});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
  // The unknown chain member is refused by the guest, with a line saying why.
  CHECK(remote.errors.find("tag value 99") != std::string::npos);
}

TEST_CASE("a callback inside a struct is forwarded, during the call and after it, with its return value",
          "[codegen][toy][structs][callbacks]") {
  std::string server_src = read_file(toy_stack_dir() + "/server/server.cpp");
  // The server installs a trampoline and a record in the struct's user-data member.
  CHECK(server_src.find("rm_s->user_data = static_cast<decltype(rm_s->user_data)>(rm.callback_record(") !=
        std::string::npos);
  CHECK(server_src.find("call_callback(") != std::string::npos);  // the library reads its int
  std::string sock = temp_socket_path("toy");
  ServerProcess server(server_program(), "unix:" + sock, TOY_LIB);
  REQUIRE(server.ready());
  auto native = run_native({"watch"});
  REQUIRE(native.status == 0);
  CHECK(native.output.find(
            "watcher created: 1 call(s), last 'created'\n"
        "watch 5: 0\n"
        "watch 50: 0\n"
        "watch 500 (vetoed): -1\n"
        "watcher: 4 calls, sum 555, last 'over 10'\n"
        "quiet watch 500: 0\n") != std::string::npos);
  auto remote = run_remote("unix:" + sock, {"watch"});
  INFO("guest stderr: " << remote.errors << "\nserver log: " << server.log());
  CHECK(remote.status == 0);
  CHECK(remote.output == native.output);
  CHECK(remote.errors.find("remora:") == std::string::npos);
}
