// The server is the trust boundary: hostile or garbage frames over a real socket
// get error replies (or, when framing is lost, a closed connection) and the
// worker keeps serving the next valid call.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <thread>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "raw_guest.h"

using namespace remora;
using namespace remora::test;
namespace fs = std::filesystem;

namespace {

// toyCreateBuffer(device, 16, NULL, &err): a fresh buffer handle.
std::uint64_t create_buffer(RawGuest& g, std::uint64_t device) {
  Writer w;
  w.put_u64(device);
  w.put_value<std::size_t>(16);
  w.put_u8(0);  // no init
  w.put_u8(1);  // errcode_ret present
  w.put_value<int>(0);  // the program's errcode (the server starts from it)
  REQUIRE(g.call(function_id("toyCreateBuffer"), w) == kReplyOk);
  std::uint64_t handle = 0;
  REQUIRE(g.outputs().get_u64(handle));
  REQUIRE(handle != 0);
  return handle;
}

// One element of a buffer of buffers on the wire: presence, count, bytes.
void put_blob(Writer& w, const std::string& bytes) {
  w.put_u8(1);
  w.put_u64(bytes.size());
  w.put_raw(bytes.data(), bytes.size());
}

// toyStoreBlobs(buffer, count, lengths, blobs) as a guest would send it, blobs[i] = bytes[i].
void store_blobs(Writer& w, std::uint64_t buffer, unsigned int count, const std::vector<std::size_t>& lengths,
                 const std::vector<std::string>& blobs) {
  w.put_u64(buffer);
  w.put_value<unsigned int>(count);
  w.put_u8(1);
  w.put_u64(lengths.size());
  for (std::size_t n : lengths) w.put_value<std::size_t>(n);
  w.put_u8(1);
  w.put_u64(blobs.size());
  for (const auto& b : blobs) put_blob(w, b);
}

int call_store(RawGuest& g, std::uint64_t buffer, unsigned int count, const std::vector<std::size_t>& lengths,
               const std::vector<std::string>& blobs) {
  Writer w;
  store_blobs(w, buffer, count, lengths, blobs);
  return g.call(function_id("toyStoreBlobs"), w);
}

// The blob sizes the library holds for `buffer` (toyGetBufferInfo(TOY_BLOB_SIZES)).
std::vector<std::size_t> blob_sizes(RawGuest& g, std::uint64_t buffer) {
  Writer w;
  w.put_u64(buffer);
  w.put_value<int>(0x22);  // TOY_BLOB_SIZES
  w.put_value<std::size_t>(256);
  w.put_u8(1);
  w.put_u64(256);
  w.put_u64(0);  // guest address
  w.put_u8(1);   // value_size_ret
  w.put_value<std::size_t>(0);  // the program's value_size_ret
  REQUIRE(g.call(function_id("toyGetBufferInfo"), w) == kReplyOk);
  Reader& r = g.outputs();
  const std::uint64_t n = ok_status_then_count(r);
  const unsigned char* value = r.take(n);
  bool present = false;
  REQUIRE(value);
  REQUIRE(r.get_presence(present));
  std::uint64_t size_ret = 0;
  REQUIRE(r.get_u64(size_ret));
  REQUIRE(size_ret <= n);
  std::vector<std::size_t> sizes(size_ret / sizeof(std::size_t));
  std::memcpy(sizes.data(), value, size_ret);
  return sizes;
}

}  // namespace

TEST_CASE("hostile frames get error replies and the worker keeps serving", "[codegen][toy][hostile]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB, {"REMORA_MAX_MESSAGE=65536"});
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint());
  REQUIRE(g.hello_type() == kMsgHelloOk);
  auto devices = get_devices(g);
  REQUIRE(devices.size() == 2);

  auto rejected = [&](std::uint32_t fn, const Writer& w, const char* expect) {
    INFO("expecting rejection containing: " << expect);
    REQUIRE(g.call(fn, w) == kReplyRejected);
    CHECK(g.last_error().find(expect) != std::string::npos);
  };
  SECTION("garbage of every kind") {
    Writer empty;
    rejected(9999, empty, "unknown function id");
    rejected(function_id("toyGetDevices"), empty, "truncated");
    {
      Writer w;  // presence flag that is neither 0 nor 1
      w.put_value<unsigned int>(1);
      w.put_u8(7);
      rejected(function_id("toyGetDevices"), w, "bad presence flag");
    }
    {
      Writer w;  // a count whose byte size overflows
      w.put_value<unsigned int>(4);
      w.put_u8(1);
      w.put_u64(std::uint64_t{1} << 62);
      rejected(function_id("toySum"), w, "too large");
    }
    {
      Writer w;  // fewer elements than the size expression (count) requires
      w.put_value<unsigned int>(1000);
      w.put_u8(1);
      w.put_u64(2);
      w.put_value<int>(1);
      w.put_value<int>(2);
      w.put_u8(1);
      w.put_value<long long>(0);  // the program's result
      rejected(function_id("toySum"), w, "2 elements sent, 1000 required");
    }
    {
      Writer w;  // elements claimed but not sent
      w.put_value<unsigned int>(3);
      w.put_u8(1);
      w.put_u64(3);
      w.put_value<int>(1);
      rejected(function_id("toySum"), w, "truncated");
    }
    {
      Writer w;  // a handle this guest never received
      w.put_u64(0xdeadbeef);
      w.put_u8(1);
      rejected(function_id("toyGetQueuePriority"), w, "unknown handle 0xdeadbeef");
    }
    {
      Writer w;  // string length beyond the request
      w.put_value<unsigned int>(1);
      w.put_value<std::size_t>(64);
      w.put_u8(1);
      w.put_u64(1);
      w.put_u8(1);
      w.put_u64(1000);
      w.put_raw("abc", 3);
      rejected(function_id("toyJoinStrings"), w, "string length beyond the request");
    }
    {
      Writer w;  // string with an embedded NUL
      w.put_value<unsigned int>(1);
      w.put_value<std::size_t>(64);
      w.put_u8(1);
      w.put_u64(1);
      w.put_u8(1);
      w.put_u64(3);
      w.put_raw("a\0b", 3);
      w.put_u8(1);
      w.put_u64(64);
      w.put_u64(0);
      rejected(function_id("toyJoinStrings"), w, "NUL");
    }
    {
      Writer w;  // a property list without its 0 key
      w.put_u64(devices[0]);
      w.put_u8(1);
      w.put_u64(2);
      w.put_value<std::intptr_t>(0x10);
      w.put_value<std::intptr_t>(5);
      w.put_u8(0);
      rejected(function_id("toyCreateQueue"), w, "not zero-terminated");
    }
    {
      Writer w;  // trailing bytes after a valid request
      w.put_u64(devices[0]);
      w.put_u8(0);
      w.put_u8(0);
      w.put_u32(0xabcdef);
      rejected(function_id("toyCreateQueue"), w, "trailing bytes");
    }
    {
      Writer w;  // an out buffer larger than the message limit
      w.put_u64(devices[0]);
      w.put_value<int>(1);
      w.put_value<std::size_t>(std::size_t{1} << 40);
      w.put_u8(1);
      w.put_u64(std::size_t{1} << 40);
      w.put_u64(0);
      w.put_u8(0);
      rejected(function_id("toyGetDeviceInfo"), w, "too large");
    }
    {
      Writer w;  // unmap of memory that was never mapped
      w.put_u64(0);
      w.put_u64(0);
      w.put_u64(0x1000);
      w.put_u64(4);
      w.put_u32(0);
      rejected(function_id("toyUnmapBuffer"), w, "not a mapped region");
    }
    {
      Writer w;  // the unsupported function has no handler
      w.put_u64(0);
      rejected(function_id("toyVendorSecret"), w, "not supported");
    }
    {
      // Writes into persistent mappings go only where this guest has one, and are
      // checked before the call runs.
      Writer w;
      w.put_u32(1);
      w.put_u64(0x1000);  // never mapped
      w.put_u64(0);
      w.put_u64(4);
      w.put_u32(0x41414141);
      INFO("mapped writes to an address that is not a persistent mapping");
      REQUIRE(g.call(function_id("toyGetDevices"), w, kFlagMappedWrites) == kReplyRejected);
      CHECK(g.last_error().find("not a persistent mapping of this guest") != std::string::npos);
      Writer truncated;
      truncated.put_u32(3);
      REQUIRE(g.call(function_id("toyGetDevices"), truncated, kFlagMappedWrites) == kReplyRejected);
      CHECK(g.last_error().find("mapped writes: request truncated") != std::string::npos);
    }
    {
      // A frame over the message limit: skipped without being stored.
      std::vector<unsigned char> big(100000, 0xab);
      Writer w;
      w.put_raw(big.data(), big.size());
      FrameHeader h;
      h.length = static_cast<std::uint32_t>(big.size());
      h.type = function_id("toySum");
      REQUIRE(g.send_raw(&h, sizeof h));
      REQUIRE(g.send_raw(big.data(), big.size()));
      REQUIRE(g.reply() == kReplyRejected);
      CHECK(g.last_error().find("larger than the limit") != std::string::npos);
    }
    {
      // A malformed asynchronous call has nobody waiting: the next reply reports it,
      // with the status type's error value.
      Writer w;
      w.put_u8(3);
      REQUIRE(g.send_async(function_id("toyFill"), w));
      get_devices(g);
      CHECK(g.async_error());
      CHECK(g.async_status() == -2);  // TOY_ERROR_UNAVAILABLE
      get_devices(g);
      CHECK_FALSE(g.async_error());  // reported once
    }
    // After all that, a valid call still gets the right answer.
    auto again = get_devices(g);
    CHECK(again == devices);
  }
  SECTION("random bytes inside valid frames never take the worker down") {
    std::uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1664525u + 1013904223u; };
    for (int i = 0; i < 300; ++i) {
      Writer w;
      int n = static_cast<int>(next() % 64);
      for (int k = 0; k < n; ++k) w.put_u8(static_cast<std::uint8_t>(next() >> 24));
      std::uint32_t fn = next() % 30;
      if (fn == function_id("toyFill") || fn == function_id("toyMapBuffer") || fn == function_id("toyUnmapBuffer"))
        continue;  // random opaque pointers may legitimately crash the real library
      int status = g.call(fn, w);
      REQUIRE(status >= 0);  // answered (ok or rejected); the worker is alive
    }
    CHECK(get_devices(g) == devices);
  }
}

TEST_CASE("a broken frame closes only that guest; the server accepts the next", "[codegen][toy][hostile]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB);
  REQUIRE(server.ready());
  {
    RawGuest g(addr, toy_fingerprint());
    const char junk[] = "GET / HTTP/1.1\r\nHost: remora\r\n\r\n";
    REQUIRE(g.send_raw(junk, sizeof junk));
    CHECK(g.reply() == kReplyRejected);  // "bad frame magic", then the connection closes
    CHECK(g.last_error().find("magic") != std::string::npos);
  }
  {
    RawGuest g(addr, toy_fingerprint());
    FrameHeader h;
    h.length = 1000;
    h.type = 0;
    REQUIRE(g.send_raw(&h, sizeof h));  // and then disconnect mid-body
  }
  RawGuest g(addr, toy_fingerprint());
  CHECK(get_devices(g).size() == 2);
}

TEST_CASE("a guest built from a different spec is refused with a clear message", "[codegen][toy][hostile]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB);
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint() ^ 1);
  CHECK(g.hello_type() == kMsgHelloFail);
  CHECK(g.hello_text().find("different Toy specs") != std::string::npos);
  CHECK(server.log().find("refused a guest") != std::string::npos);
}

TEST_CASE("buffers of buffers: every inner count is checked against its own size", "[codegen][toy][hostile][nested]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB, {"REMORA_MAX_MESSAGE=65536"});
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint());
  REQUIRE(g.hello_type() == kMsgHelloOk);
  auto devices = get_devices(g);
  REQUIRE(devices.size() == 2);
  std::uint64_t buffer = create_buffer(g, devices[0]);
  const std::uint32_t store = function_id("toyStoreBlobs");

  // A well-formed call stores what was sent: the baseline each rejection is compared to.
  REQUIRE(call_store(g, buffer, 2, {4, 8}, {"abcd", "01234567"}) == kReplyOk);
  REQUIRE(blob_sizes(g, buffer) == std::vector<std::size_t>{4, 8});

  auto rejected = [&](const Writer& w, const char* expect) {
    INFO("expecting rejection containing: " << expect);
    REQUIRE(g.call(store, w) == kReplyRejected);
    CHECK(g.last_error().find(expect) != std::string::npos);
    // Rejected before the library ran: the stored blobs are unchanged, and the
    // worker answers the next valid call.
    CHECK(blob_sizes(g, buffer) == std::vector<std::size_t>{4, 8});
    CHECK(get_devices(g) == devices);
  };
  auto rejected_store = [&](unsigned int count, const std::vector<std::size_t>& lengths,
                            const std::vector<std::string>& blobs, const char* expect) {
    Writer w;
    store_blobs(w, buffer, count, lengths, blobs);
    rejected(w, expect);
  };
  SECTION("an inner buffer smaller than lengths[i] says") {
    rejected_store(2, {4, 8}, {"abcd", "012"},
                   "toyStoreBlobs.blobs: element 1: 3 elements sent, exactly 8 required");
    rejected_store(2, {5, 8}, {"abcd", "01234567"},
                   "element 0: 4 elements sent, exactly 5 required");
  }
  SECTION("an inner buffer larger than lengths[i] says too (the size is exact)") {
    rejected_store(2, {4, 8}, {"abcde", "01234567"},
                   "element 0: 5 elements sent, exactly 4 required");
  }
  SECTION("lengths with fewer elements than the outer buffer") {
    rejected_store(1, {4}, {"abcd", "01234567"},
                   "its elements' sizes read lengths[i], but lengths has 1 elements for 2");
    // lengths absent altogether while blobs are sent.
    Writer w;
    w.put_u64(buffer);
    w.put_value<unsigned int>(1);
    w.put_u8(0);
    w.put_u8(1);
    w.put_u64(1);
    put_blob(w, "abcd");
    rejected(w, "but lengths has 0 elements for 1");
  }
  SECTION("inner bytes cut short") {
    Writer w;
    w.put_u64(buffer);
    w.put_value<unsigned int>(2);
    w.put_u8(1);
    w.put_u64(2);
    w.put_value<std::size_t>(4);
    w.put_value<std::size_t>(8);
    w.put_u8(1);
    w.put_u64(2);
    put_blob(w, "abcd");
    w.put_u8(1);
    w.put_u64(8);  // claims 8 bytes, sends 4
    w.put_raw("0123", 4);
    rejected(w, "toyStoreBlobs.blobs: request truncated");
    Writer cut;  // the frame ends right after an element's presence flag
    cut.put_u64(buffer);
    cut.put_value<unsigned int>(1);
    cut.put_u8(1);
    cut.put_u64(1);
    cut.put_value<std::size_t>(4);
    cut.put_u8(1);
    cut.put_u64(1);
    cut.put_u8(1);
    rejected(cut, "truncated");
  }
  SECTION("a huge inner count") {
    Writer w;
    w.put_u64(buffer);
    w.put_value<unsigned int>(1);
    w.put_u8(1);
    w.put_u64(1);
    w.put_value<std::size_t>(4);
    w.put_u8(1);
    w.put_u64(1);
    w.put_u8(1);
    w.put_u64(std::uint64_t{1} << 62);
    w.put_raw("abcd", 4);
    rejected(w, "too large");
    // Within the wire's count limit but far beyond the frame: truncated, not allocated.
    Writer big;
    big.put_u64(buffer);
    big.put_value<unsigned int>(1);
    big.put_u8(1);
    big.put_u64(1);
    big.put_value<std::size_t>(4);
    big.put_u8(1);
    big.put_u64(1);
    big.put_u8(1);
    big.put_u64(60000);
    big.put_raw("abcd", 4);
    rejected(big, "truncated");
    // A huge outer count of pointers.
    Writer outer;
    outer.put_u64(buffer);
    outer.put_value<unsigned int>(1);
    outer.put_u8(1);
    outer.put_u64(1);
    outer.put_value<std::size_t>(4);
    outer.put_u8(1);
    outer.put_u64(std::uint64_t{1} << 61);
    rejected(outer, "too large");
  }
  SECTION("a NULL element is passed as NULL and needs no bytes") {
    Writer w;
    w.put_u64(buffer);
    w.put_value<unsigned int>(2);
    w.put_u8(1);
    w.put_u64(2);
    w.put_value<std::size_t>(0);
    w.put_value<std::size_t>(3);
    w.put_u8(1);
    w.put_u64(2);
    w.put_u8(0);  // blobs[0] == NULL (allowed by the library with length 0)
    put_blob(w, "xyz");
    REQUIRE(g.call(store, w) == kReplyOk);
    int status = -1;
    REQUIRE(g.outputs().get_value(status));
    CHECK(status == 0);
    CHECK(blob_sizes(g, buffer) == std::vector<std::size_t>{0, 3});
  }
}

TEST_CASE("output buffers of buffers are sized by the server, not by the guest's counts",
          "[codegen][toy][hostile][nested]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB, {"REMORA_MAX_MESSAGE=65536"});
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint());
  auto devices = get_devices(g);
  std::uint64_t buffer = create_buffer(g, devices[0]);
  REQUIRE(call_store(g, buffer, 2, {4, 13}, {"abcd", "hello, blobs!"}) == kReplyOk);
  // toyLoadBlobs(buffer, 2 pointers, blobs): the guest claims 1 byte for each output;
  // the server sizes them with query(toyGetBufferInfo, ...) and returns all of each.
  auto load = [&](std::uint64_t claimed0, std::uint64_t claimed1) {
    Writer w;
    w.put_u64(buffer);
    w.put_value<std::size_t>(2 * sizeof(void*));
    w.put_u8(1);
    w.put_u64(2);
    w.put_u8(1);
    w.put_u64(claimed0);
    w.put_u8(1);
    w.put_u64(claimed1);
    return g.call(function_id("toyLoadBlobs"), w);
  };
  REQUIRE(load(1, 1) == kReplyOk);
  Reader& r = g.outputs();
  int status = -1;
  REQUIRE(r.get_value(status));
  CHECK(status == 0);
  bool present = false;
  REQUIRE(r.get_presence(present));
  REQUIRE(present);
  std::vector<std::string> blobs;
  for (int i = 0; i < 2; ++i) {
    bool p = false;
    std::uint64_t n = 0;
    REQUIRE(r.get_presence(p));
    REQUIRE(p);
    REQUIRE(r.get_u64(n));
    const unsigned char* b = r.take(n);
    REQUIRE(b);
    blobs.emplace_back(reinterpret_cast<const char*>(b), n);
  }
  CHECK(blobs == std::vector<std::string>{"abcd", "hello, blobs!"});
  CHECK(r.at_end());
  // A claimed count over the limit is still refused as such.
  CHECK(load(std::uint64_t{1} << 62, 1) == kReplyRejected);
  CHECK(g.last_error().find("too large") != std::string::npos);
  // More pointers than blobs: the size query for element 2 fails, so the call is refused.
  Writer w;
  w.put_u64(buffer);
  w.put_value<std::size_t>(3 * sizeof(void*));
  w.put_u8(1);
  w.put_u64(3);
  for (int i = 0; i < 3; ++i) {
    w.put_u8(1);
    w.put_u64(0);
  }
  CHECK(g.call(function_id("toyLoadBlobs"), w) == kReplyRejected);
  CHECK(g.last_error().find("element 2 has no size (its size is negative, or its query() failed)") != std::string::npos);
  CHECK(get_devices(g) == devices);
}

// The outputs of one call together may exceed the message limit even though each
// inner buffer is within it (toyCopyBlobs to the host sizes them from lengths[i],
// which the guest chooses). Expected: an error reply and a worker that goes on.
TEST_CASE("outputs of a buffer of buffers larger than a message get an error reply",
          "[codegen][toy][hostile][nested]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB, {"REMORA_MAX_MESSAGE=65536"});
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint());
  auto devices = get_devices(g);
  std::uint64_t buffer = create_buffer(g, devices[0]);
  const std::size_t each = 60000;  // under the 65536-byte limit; four of them are not
  // Sent as inputs, the four would not fit one request.
  REQUIRE(call_store(g, buffer, 4, {each, each, each, each},
                     {std::string(each, 'a'), std::string(each, 'b'), std::string(each, 'c'), std::string(each, 'd')}) ==
          kReplyRejected);
  Writer w;
  w.put_u64(buffer);
  w.put_value<int>(1);  // TOY_TO_HOST
  w.put_value<unsigned int>(4);
  w.put_u8(1);
  w.put_u64(4);
  for (int i = 0; i < 4; ++i) w.put_value<std::size_t>(each);
  w.put_u8(1);
  w.put_u64(4);
  for (int i = 0; i < 4; ++i) {
    w.put_u8(1);
    w.put_u64(each);
  }
  int status = g.call_within(function_id("toyCopyBlobs"), w, 5000);
  INFO("server log: " << server.log());
  CHECK(status == kReplyRejected);  // an error reply, not silence (the reply frame would be over the limit)
  if (status >= 0) CHECK(get_devices(g) == devices);
}

TEST_CASE("a second server on a live socket path fails clearly and leaves the live one serving",
          "[codegen][toy][hostile][listen]") {
  std::string path = temp_socket_path("hostile");
  std::string program = toy_stack_dir() + "/build/server/toy-server";
  auto first = std::make_unique<ServerProcess>(program, "unix:" + path, TOY_LIB);
  REQUIRE(first->ready());
  auto second = run_program({program, "--listen", "unix:" + path, "--lib", TOY_LIB}, {}, 20);
  CHECK(second.status != 0);
  CHECK(second.errors.find("another server is already listening there") != std::string::npos);
  {
    RawGuest g("unix:" + path, toy_fingerprint());  // the live server still owns the path
    CHECK(get_devices(g).size() == 2);
  }
  // A killed server's leftover socket (nobody answers) is replaced by the next server.
  kill(first->pid(), SIGKILL);
  first.reset();
  REQUIRE(fs::exists(path));
  ServerProcess third(program, "unix:" + path, TOY_LIB);
  REQUIRE(third.ready());
  RawGuest g("unix:" + path, toy_fingerprint());
  CHECK(get_devices(g).size() == 2);
  // A file that is not a socket is never deleted.
  std::string file = temp_socket_path("hostile-file");
  { std::ofstream(file) << "keep me"; }
  auto refused = run_program({program, "--listen", "unix:" + file, "--lib", TOY_LIB}, {}, 20);
  CHECK(refused.status != 0);
  CHECK(refused.errors.find("exists and is not a socket") != std::string::npos);
  CHECK(read_file(file) == "keep me");
  fs::remove(file);
}

namespace {

// Peak resident memory (VmHWM, KiB) of the server's newest worker serving a guest: the
// highest pid among them (not its spare, started ahead for the next guest).
long newest_worker_peak_kib(pid_t server) {
  long newest = 0;
  for (pid_t pid : serving_workers_of(server)) newest = std::max(newest, static_cast<long>(pid));
  if (newest == 0) return -1;
  std::ifstream status("/proc/" + std::to_string(newest) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

}  // namespace

TEST_CASE("memory bombs: a worker holds memory for bytes that arrived, not for sizes a guest announces",
          "[codegen][toy][hostile][bounds]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB);
  REQUIRE(server.ready());
  const long limit_kib = 64 * 1024;  // far below the 1 GiB the guest asks for
  SECTION("a hello announcing 1 GiB closes the connection before the handshake") {
    RawGuest g(addr, toy_fingerprint(), /*handshake=*/false);
    FrameHeader h;
    h.type = kMsgHello;
    h.length = (1u << 30) - 1;
    REQUIRE(g.send_raw(&h, sizeof h));
    CHECK(g.reply() == -1);
  }
  SECTION("a call header announcing 1 GiB, followed by 1 MiB, makes the worker hold about 1 MiB") {
    RawGuest g(addr, toy_fingerprint());
    FrameHeader h;
    h.type = function_id("toyGetDevices");
    h.length = (1u << 30) - 1;
    REQUIRE(g.send_raw(&h, sizeof h));
    std::vector<unsigned char> some(1 << 20, 0xab);
    REQUIRE(g.send_raw(some.data(), some.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    long peak = newest_worker_peak_kib(server.pid());
    std::printf("memory bomb (1 GiB frame header + 1 MiB): worker peak %ld KiB\n", peak);
    CHECK(peak > 0);
    CHECK(peak < limit_kib);
  }
  SECTION("an info query with a 1 GiB capacity succeeds with the bytes written, not 1 GiB") {
    RawGuest g(addr, toy_fingerprint());
    std::uint64_t device = get_devices(g).at(0);
    const std::uint64_t capacity = std::uint64_t{1} << 30;
    Writer w;
    w.put_u64(device);
    w.put_value<int>(1);  // TOY_DEVICE_NAME
    w.put_value<std::size_t>(capacity);
    w.put_u8(1);
    w.put_u64(capacity);
    w.put_u64(0);  // guest address
    w.put_u8(1);   // value_size_ret
    w.put_value<std::size_t>(0);  // the program's value_size_ret
    REQUIRE(g.call(function_id("toyGetDeviceInfo"), w) == kReplyOk);
    Reader& r = g.outputs();
    int status = -1;
    REQUIRE(r.get_value(status));
    CHECK(status == 0);
    bool present = false;
    std::uint64_t n = 0;
    REQUIRE(r.get_presence(present));
    REQUIRE(r.get_u64(n));
    const unsigned char* value = r.take(n);
    REQUIRE(value);
    REQUIRE(r.get_presence(present));
    std::uint64_t size_ret = 0;
    REQUIRE(r.get_u64(size_ret));
    CHECK(n == size_ret);  // the reply carries what the call wrote
    CHECK(n < 256);
    CHECK(std::string(reinterpret_cast<const char*>(value), n).size() == std::strlen(reinterpret_cast<const char*>(value)) + 1);
    long peak = newest_worker_peak_kib(server.pid());
    std::printf("info query with a 1 GiB capacity: reply %llu bytes, worker peak %ld KiB\n",
                static_cast<unsigned long long>(n), peak);
    CHECK(peak < limit_kib);
  }
}

TEST_CASE("pending outputs of non-blocking calls are bounded per guest by one message",
          "[codegen][toy][hostile][bounds]") {
  std::string addr = "unix:" + temp_socket_path("hostile");
  // A 2.5 MiB message limit for this server: three 1 MiB non-blocking reads (a toy
  // device holds 1 MiB) do not fit.
  ServerProcess server(toy_stack_dir() + "/build/server/toy-server", addr, TOY_LIB,
                       {"REMORA_MAX_MESSAGE=2621440"});
  REQUIRE(server.ready());
  RawGuest g(addr, toy_fingerprint());
  std::uint64_t device = get_devices(g).at(0);
  Writer cq;  // toyCreateQueue(device, NULL, &err)
  cq.put_u64(device);
  cq.put_u8(0);
  cq.put_u8(1);
  cq.put_value<int>(0);  // the program's errcode
  REQUIRE(g.call(function_id("toyCreateQueue"), cq) == kReplyOk);
  std::uint64_t queue = 0;
  REQUIRE(g.outputs().get_u64(queue));
  const std::uint64_t big = 1u << 20;
  Writer cb;  // toyCreateBuffer(device, big, NULL, &err): the reads succeed
  cb.put_u64(device);
  cb.put_value<std::size_t>(big);
  cb.put_u8(0);
  cb.put_u8(1);
  cb.put_value<int>(0);  // the program's errcode
  REQUIRE(g.call(function_id("toyCreateBuffer"), cb) == kReplyOk);
  std::uint64_t buffer = 0;
  REQUIRE(g.outputs().get_u64(buffer));
  REQUIRE(buffer != 0);
  // The worker's own footprint before the reads (what a sanitizer's runtime adds varies by
  // machine): the reads may add only what the bound allows.
  const long before = newest_worker_peak_kib(server.pid());
  REQUIRE(before > 0);
  auto read = [&](std::uint64_t size) {  // toyReadBuffer(queue, buffer, 0, 0, size, dst): deferred output
    Writer w;
    w.put_u64(queue);
    w.put_u64(buffer);
    w.put_value<int>(0);
    w.put_value<std::size_t>(0);
    w.put_value<std::size_t>(size);
    w.put_u8(1);
    w.put_u64(size);
    w.put_u64(0x1000);  // guest address of dst
    return g.send_async(function_id("toyReadBuffer"), w);
  };
  REQUIRE(read(big));
  REQUIRE(read(big));
  REQUIRE(read(big));  // over the bound: rejected
  g.accept_pending();
  CHECK(get_devices(g).size() == 2);  // the worker still serves; the rejection is reported here
  CHECK(g.async_error());
  INFO(server.log());
  CHECK(g.pending_bytes() == 2 * big);  // the two that fit come back
  CHECK(server.log().find("asynchronous output on top of") != std::string::npos);
  long peak = newest_worker_peak_kib(server.pid());
  std::printf("three 1 MiB deferred reads under a 2.5 MiB limit: worker peak %ld KiB (%ld KiB before them)\n",
              peak, before);
  // Held data, what the guest was last sent, and the reply: a small multiple of the
  // limit (unbounded before: every further read added its size).
  CHECK(peak - before < 3 * 2560);
}

namespace {

// toyCreateQueue(device, NULL, &err): a fresh queue handle.
std::uint64_t create_queue(RawGuest& g, std::uint64_t device) {
  Writer w;
  w.put_u64(device);
  w.put_u8(0);  // no properties
  w.put_u8(1);  // errcode_ret present
  w.put_value<int>(0);  // the program's errcode (the server starts from it)
  REQUIRE(g.call(function_id("toyCreateQueue"), w) == kReplyOk);
  std::uint64_t handle = 0;
  REQUIRE(g.outputs().get_u64(handle));
  REQUIRE(handle != 0);
  return handle;
}

// toyReadBuffer(queue, buffer, blocking, 0, 16, dst) as a guest sends it.
void read_request(Writer& w, std::uint64_t queue, std::uint64_t buffer, int blocking) {
  w.put_u64(queue);
  w.put_u64(buffer);
  w.put_value<int>(blocking);
  w.put_value<std::size_t>(0);
  w.put_value<std::size_t>(16);
  w.put_u8(1);
  w.put_u64(16);       // capacity
  w.put_u64(0x1000);   // guest address (where a pending output lands)
}

int release_buffer(RawGuest& g, std::uint64_t buffer) {
  Writer w;
  w.put_u64(buffer);
  return g.call(function_id("toyReleaseBuffer"), w);
}

}  // namespace

TEST_CASE("a released handle whose count reached 0 is unknown from then on", "[codegen][toy][hostile]") {
  ToyServer toy("released");
  RawGuest g = toy.guest();
  auto devices = get_devices(g);
  std::uint64_t buffer = create_buffer(g, devices[0]);
  REQUIRE(release_buffer(g, buffer) == kReplyOk);
  int status = -1;
  REQUIRE(g.outputs().get_value(status));
  CHECK(status == 0);
  SECTION("double release is rejected before it reaches the library") {
    REQUIRE(release_buffer(g, buffer) == kReplyRejected);
    CHECK(g.last_error().find("unknown handle") != std::string::npos);
  }
  SECTION("use after release is rejected") {
    Writer w;  // toySetName(buffer, "x")
    w.put_u64(buffer);
    w.put_string("x");
    REQUIRE(g.call(function_id("toySetName"), w) == kReplyRejected);
    CHECK(g.last_error().find("unknown handle") != std::string::npos);
  }
  SECTION("a handle the guest never owned (a device) stays known") {
    CHECK(get_devices(g) == devices);
    std::uint64_t other = create_buffer(g, devices[0]);
    CHECK(release_buffer(g, other) == kReplyOk);
  }
  CHECK(get_devices(g) == devices);  // the worker keeps serving
}

TEST_CASE("non-blocking is decided from the call's own arguments, not the frame's flags", "[codegen][toy][hostile]") {
  ToyServer toy("mode");
  RawGuest g = toy.guest();
  g.accept_pending();
  auto devices = get_devices(g);
  std::uint64_t queue = create_queue(g, devices[0]);
  std::uint64_t buffer = create_buffer(g, devices[0]);
  SECTION("a blocking read flagged as deferred still answers with its bytes") {
    Writer w;
    read_request(w, queue, buffer, /*blocking=*/1);
    REQUIRE(g.call(function_id("toyReadBuffer"), w, kFlagDeferredOutputs) == kReplyOk);
    int status = -1;
    bool present = false;
    std::uint64_t n = 0;
    REQUIRE(g.outputs().get_value(status));
    REQUIRE(g.outputs().get_presence(present));
    REQUIRE(g.outputs().get_u64(n));
    CHECK(n == 16);
    CHECK(g.outputs().remaining() == 16);  // the bytes are in this reply
    get_devices(g);
    CHECK(g.pending_bytes() == 0);  // and nothing is left pending
  }
  SECTION("a non-blocking read without the flag is kept as a pending output") {
    Writer w;
    read_request(w, queue, buffer, /*blocking=*/0);
    REQUIRE(g.call(function_id("toyReadBuffer"), w) == kReplyOk);
    int status = -1;
    bool present = false;
    std::uint64_t n = 0;
    REQUIRE(g.outputs().get_value(status));
    REQUIRE(g.outputs().get_presence(present));
    REQUIRE(g.outputs().get_u64(n));
    CHECK(g.outputs().remaining() == 0);  // its bytes come later
    get_devices(g);
    CHECK(g.pending_bytes() == 16);  // with the next reply
  }
  SECTION("no reply for a call that always replies is refused (reported by the next reply)") {
    Writer w;
    w.put_value<unsigned int>(2);
    w.put_u8(1);
    w.put_u64(2);
    w.put_u64(0);
    w.put_u8(1);
    REQUIRE(g.send_async(function_id("toyGetDevices"), w));
    get_devices(g);
    CHECK(g.async_error());
    Writer r;  // nor for a read its arguments make blocking
    read_request(r, queue, buffer, /*blocking=*/1);
    REQUIRE(g.send_async(function_id("toyReadBuffer"), r));
    get_devices(g);
    CHECK(g.async_error());
  }
}

namespace {

// toyMapBuffer(queue, buffer, 0, 16, &err): the address the library mapped, in the worker's
// heap (a mapping's value is the guest's token for its unmap; it is not a handle).
std::uint64_t map_buffer(RawGuest& g, std::uint64_t queue, std::uint64_t buffer) {
  Writer w;
  w.put_u64(queue);
  w.put_u64(buffer);
  w.put_value<std::size_t>(0);
  w.put_value<std::size_t>(16);
  w.put_u8(1);  // errcode_ret present
  w.put_value<int>(0);
  REQUIRE(g.call(function_id("toyMapBuffer"), w) == kReplyOk);
  std::uint64_t mapped = 0;
  REQUIRE(g.outputs().get_u64(mapped));
  REQUIRE(mapped != 0);
  return mapped;
}

// toyArgSize(is_buffer, 8, &value, &size), clSetKernelArg-like: `value` travels as raw bytes
// the spec marks `may_hold_handles`. Returns the reply status; *size when it succeeded.
int arg_size(RawGuest& g, int is_buffer, std::uint64_t value, std::size_t* size = nullptr) {
  Writer w;
  w.put_value<int>(is_buffer);
  w.put_value<std::size_t>(8);
  w.put_u8(1);  // arg_value present
  w.put_u64(8);
  w.put_raw(&value, 8);
  w.put_u8(1);  // size present
  w.put_value<std::size_t>(0);
  const int reply = g.call(function_id("toyArgSize"), w);
  if (reply == kReplyOk && size) {
    int status = -1;
    bool present = false;
    REQUIRE(g.outputs().get_value(status));
    REQUIRE(status == 0);
    REQUIRE(g.outputs().get_presence(present));
    REQUIRE(g.outputs().get_value(*size));
  }
  return reply;
}

bool is_server_id(std::uint64_t v) { return (v >> 56) == 0x7d && (v & 15) == 0; }

}  // namespace

TEST_CASE("handle values a guest sees are ids of its worker, never host addresses",
          "[codegen][toy][hostile][handle-ids]") {
  ToyServer toy("ids");
  RawGuest g = toy.guest();
  auto devices = get_devices(g);
  REQUIRE(devices.size() == 2);
  const std::uint64_t queue = create_queue(g, devices[0]);
  const std::uint64_t buffer = create_buffer(g, devices[0]);
  for (std::uint64_t h : {devices[0], devices[1], queue, buffer}) CHECK(is_server_id(h));
  // The same object keeps its id; ids of one worker share its random prefix.
  CHECK(get_devices(g) == devices);
  CHECK((buffer >> 32) == (queue >> 32));
  const std::uint64_t host = map_buffer(g, queue, buffer);  // a real address in the worker
  CHECK(host < (1ull << 47));

  SECTION("a host address where a handle goes is refused") {
    for (std::uint64_t forged : std::vector<std::uint64_t>{host, host & ~0xfffull, host - 64}) {
      Writer w;  // toySetName(forged, "x")
      w.put_u64(forged);
      w.put_string("x");
      REQUIRE(g.call(function_id("toySetName"), w) == kReplyRejected);
      CHECK(g.last_error().find("unknown handle") != std::string::npos);
    }
    CHECK(release_buffer(g, host) == kReplyRejected);
  }
  SECTION("bytes that may hold handles: an id becomes the real handle, data passes as it is") {
    std::size_t size = 0;
    REQUIRE(arg_size(g, 1, buffer, &size) == kReplyOk);
    CHECK(size == 16);  // the library read the buffer through the real handle
    double data = 3.5;  // a plain 8-byte value: not a handle, passed unchanged
    std::uint64_t bits = 0;
    std::memcpy(&bits, &data, 8);
    REQUIRE(arg_size(g, 0, bits, &size) == kReplyOk);
    CHECK(size == 8);
  }
  SECTION("a released id inside those bytes is refused before the library reads it") {
    REQUIRE(release_buffer(g, buffer) == kReplyOk);
    REQUIRE(arg_size(g, 1, buffer) == kReplyRejected);
    CHECK(g.last_error().find("names none of this guest's live objects") != std::string::npos);
    // Any other value with this worker's id prefix is a forged handle, not data.
    REQUIRE(arg_size(g, 1, buffer + 0x1000) == kReplyRejected);
  }
  CHECK(get_devices(g) == devices);  // the worker keeps serving
}

TEST_CASE("a live handle of another kind is refused where a handle goes", "[codegen][toy][hostile][handle-ids]") {
  // Found by the OpenCL fuzz target (tests/fuzz/): a live cl_mem id where a cl_kernel goes
  // made pocl read a memory object as a kernel (SEGV in clReleaseKernel). The worker knows
  // each handle's type from the call that made it.
  ToyServer toy("kinds");
  RawGuest g = toy.guest();
  const auto devices = get_devices(g);
  const std::uint64_t queue = create_queue(g, devices[0]);
  const std::uint64_t buffer = create_buffer(g, devices[0]);
  for (std::uint64_t other : {queue, devices[0]}) {  // a queue, a device where a buffer goes
    REQUIRE(release_buffer(g, other) == kReplyRejected);
    CHECK(g.last_error().find("not a toy_buffer") != std::string::npos);
  }
  CHECK(release_buffer(g, buffer) == kReplyOk);  // the right kind still goes through
  CHECK(get_devices(g) == devices);
}

TEST_CASE("a valid id of another guest names nothing in this guest's worker", "[codegen][toy][hostile][handle-ids]") {
  ToyServer toy("other-ids");
  RawGuest first = toy.guest();
  RawGuest second = toy.guest();
  const auto a = get_devices(first), b = get_devices(second);
  const std::uint64_t theirs = create_buffer(first, a[0]);
  const std::uint64_t mine = create_buffer(second, b[0]);
  CHECK((theirs >> 32) != (mine >> 32));  // each worker draws its own prefix
  CHECK(release_buffer(second, theirs) == kReplyRejected);
  CHECK(second.last_error().find("unknown handle") != std::string::npos);
  Writer w;  // toyTotalSize(1, {theirs}, &total): an array of handles
  w.put_value<unsigned int>(1);
  w.put_u8(1);
  w.put_u64(1);
  w.put_u64(theirs);
  w.put_u8(1);
  w.put_value<std::size_t>(0);
  REQUIRE(second.call(function_id("toyTotalSize"), w) == kReplyRejected);
  CHECK(second.last_error().find("unknown handle") != std::string::npos);
  CHECK(release_buffer(first, theirs) == kReplyOk);  // still the first guest's own
  CHECK(release_buffer(second, mine) == kReplyOk);
}

TEST_CASE("every socket worker starts in a fresh address space", "[codegen][toy][hostile][handle-ids]") {
  if (read_file("/proc/sys/kernel/randomize_va_space").rfind("0", 0) == 0) {
    WARN("address space layout randomization is off on this machine: nothing to compare");
    return;
  }
  ToyServer toy("fresh");
  RawGuest first = toy.guest();
  RawGuest second = toy.guest();
  // The same calls in the same order: forked workers of one listener would get the same
  // heap addresses (one layout for all); re-executed ones each have their own.
  auto heap_address = [](RawGuest& g) {
    auto devices = get_devices(g);
    const std::uint64_t queue = create_queue(g, devices[0]);
    return std::make_pair(devices, map_buffer(g, queue, create_buffer(g, devices[0])));
  };
  const auto [a_devices, a_heap] = heap_address(first);
  const auto [b_devices, b_heap] = heap_address(second);
  CHECK(a_devices != b_devices);  // different handle values
  // ASan's allocator puts its heap at fixed addresses whatever the layout: the sanitized
  // runs can only compare handle values. The lean one hands the tests instrumented stacks
  // (REMORA_TEST_STACKS_DIR); the full one instruments the stacks the tests build through
  // CXXFLAGS, which their builds inherit.
  const char* cxxflags = std::getenv("CXXFLAGS");
  const bool instrumented_stacks =
      std::getenv("REMORA_TEST_STACKS_DIR") != nullptr ||
      (cxxflags != nullptr && std::string(cxxflags).find("-fsanitize=address") != std::string::npos);
  if (!instrumented_stacks) CHECK(a_heap != b_heap);  // different heap addresses
}

TEST_CASE("NULL for an input the spec says cannot be NULL is refused before the library reads it",
          "[codegen][toy][hostile]") {
  // Found by the server fuzz target: toySum(5, NULL, &r) made the toy library read NULL.
  ToyServer toy("nonnull");
  RawGuest g = toy.guest();
  Writer w;
  w.put_value<unsigned int>(5);
  w.put_u8(0);  // values absent
  w.put_u8(1);  // result present
  w.put_value<long long>(0);  // the program's result (the server starts from it)
  REQUIRE(g.call(function_id("toySum"), w) == kReplyRejected);
  CHECK(g.last_error().find("cannot be NULL") != std::string::npos);
  Writer none;  // NULL with no elements to read is the library's business, as natively
  none.put_value<unsigned int>(0);
  none.put_u8(0);
  none.put_u8(1);
  none.put_value<long long>(0);
  CHECK(g.call(function_id("toySum"), none) == kReplyOk);
  CHECK(get_devices(g).size() == 2);  // the worker is alive
}

// Size expressions are computed in checked 64-bit arithmetic on both sides
// (runtime/remora_size.h): toySumStrided sizes m as `(rows - 1) * ld + cols`. In the
// parameters' C types a guest's ld = INT_MAX wraps that to a few elements, the server
// would accept a few elements and the library would read gigabytes past them.
TEST_CASE("a size a hostile guest makes overflow is refused, never wrapped", "[codegen][toy][hostile][size]") {
  ToyServer toy("overflow");
  RawGuest g = toy.guest();
  const std::uint32_t fn = function_id("toySumStrided");
  auto call = [&](int rows, std::size_t cols, int ld, const std::vector<float>& m) {
    Writer w;
    w.put_value<int>(rows);
    w.put_value<std::size_t>(cols);
    w.put_value<int>(ld);
    w.put_u8(1);
    w.put_u64(m.size());
    w.put_raw(m.data(), m.size() * sizeof(float));
    w.put_u8(1);  // sum present
    w.put_value<float>(0);  // the program's sum (the server starts from it)
    return g.call(fn, w);
  };
  // A legitimate call: 2 rows of 3 with a stride of 4 read 7 elements.
  REQUIRE(call(2, 3, 4, {1, 2, 3, 100, 10, 20, 30}) == kReplyOk);
  int status = -1;
  bool present = false;
  float sum = 0;
  REQUIRE(g.outputs().get_value(status));
  REQUIRE(g.outputs().get_presence(present));
  REQUIRE(g.outputs().get_value(sum));
  CHECK(status == 0);
  CHECK(sum == 66.0f);

  const std::vector<float> eight(8, 1.0f);
  // int arithmetic: 2 * INT_MAX + 10 wraps to 8, exactly what was sent.
  REQUIRE(call(3, 10, INT_MAX, eight) == kReplyRejected);
  CHECK(g.last_error().find("toySumStrided.m: 8 elements sent, 4294967304 required") != std::string::npos);
  // 64-bit arithmetic: 10 + (2^64 - 2) wraps to 8 in size_t; checked, it overflows.
  REQUIRE(call(2, ~std::size_t{1}, 10, eight) == kReplyRejected);
  CHECK(g.last_error().find("toySumStrided.m: its size overflows 64-bit arithmetic") != std::string::npos);
  // A negative size is named as such.
  REQUIRE(call(2, 3, -100, eight) == kReplyRejected);
  CHECK(g.last_error().find("toySumStrided.m: its size is negative (-97)") != std::string::npos);
  // The worker is intact and keeps serving.
  REQUIRE(call(1, 2, 2, {5, 6}) == kReplyOk);
}
