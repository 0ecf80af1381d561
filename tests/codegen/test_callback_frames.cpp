// Callbacks the library raises during a call, frame by frame: the worker waits for the
// guest's answer inside the library, serves the calls the guest makes meanwhile inside
// that call (nested to a bound), and ends only this guest's worker when an answer breaks
// the protocol. A raw guest plays the program (raw_guest.h), against the real toy library.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "raw_guest.h"

using namespace remora;
using namespace remora::test;

namespace {

constexpr std::uint64_t kGuestFn = 0x1000, kGuestUserData = 0x2000;

// toyRunWithLog(device, steps, log, user_data), which calls log once per step.
std::uint32_t send_run_with_log(RawGuest& g, std::uint64_t device, int steps) {
  Writer w;
  w.put_u64(device);
  w.put_value<int>(steps);
  w.put_u64(kGuestFn);
  w.put_u64(kGuestUserData);
  return g.send_call(function_id("toyRunWithLog"), w);
}

// A log callback frame: the guest function and user data it names, and its message.
struct LogCallback {
  std::uint64_t fn = 0, user_data = 0;
  std::string message;
  int level = -1;
};
LogCallback read_log_callback(const std::vector<unsigned char>& body) {
  Reader r(body.data(), body.size());
  LogCallback cb;
  std::uint32_t signature = 0;
  bool present = false;
  std::uint64_t n = 0;
  REQUIRE(r.get_u32(signature));
  REQUIRE(r.get_u64(cb.fn));
  REQUIRE(r.get_u64(cb.user_data));
  REQUIRE(r.get_presence(present));
  REQUIRE(present);
  REQUIRE(r.get_u64(n));
  const unsigned char* text = r.take(n);
  REQUIRE(text);
  cb.message.assign(reinterpret_cast<const char*>(text), n);
  if (!cb.message.empty() && cb.message.back() == '\0') cb.message.pop_back();
  REQUIRE(r.get_value(cb.level));
  return cb;
}

void answer(RawGuest& g, const FrameHeader& callback) {
  REQUIRE(g.send(kMsgCallbackResult, callback.request, 0, nullptr, 0));
}

// toyRunWithLog(device, 1) whose log callback calls toyRunWithLog again, down to
// `max_depth`: each level's reply status (by depth) and the deepest callback seen.
int run_nested(RawGuest& g, std::uint64_t device, int depth, int max_depth, std::vector<int>& status, int& deepest) {
  const std::uint32_t request = send_run_with_log(g, device, 1);
  for (;;) {
    FrameHeader h;
    REQUIRE(g.next_frame(h));
    if (h.type == kMsgCallback) {
      deepest = std::max(deepest, depth);
      if (depth < max_depth) run_nested(g, device, depth + 1, max_depth, status, deepest);
      answer(g, h);
      continue;
    }
    REQUIRE(h.type == kMsgReply);
    REQUIRE(h.request == request);
    const int s = g.parse_reply();
    if (status.size() <= static_cast<std::size_t>(depth)) status.resize(depth + 1, -1);
    status[depth] = s;
    return s;
  }
}

}  // namespace

TEST_CASE("a call made from inside a callback is served inside the call that raised it",
          "[codegen][toy][callbacks]") {
  ToyServer server("callbacks");
  RawGuest g = server.guest();
  const auto devices = get_devices(g);
  REQUIRE(devices.size() == 2);
  const std::uint32_t request = send_run_with_log(g, devices[0], 3);
  int callbacks = 0;
  for (;;) {
    FrameHeader h;
    REQUIRE(g.next_frame(h));
    if (h.type == kMsgReply) {
      REQUIRE(h.request == request);
      break;
    }
    REQUIRE(h.type == kMsgCallback);
    // The library waits for it: flagged so, with an id the answer must echo.
    CHECK(h.flags == (kFlagInCall | kFlagWantsResult));
    CHECK(h.request != 0);
    const LogCallback cb = read_log_callback(g.frame_body());
    CHECK(cb.fn == kGuestFn);
    CHECK(cb.user_data == kGuestUserData);
    CHECK(cb.message.find("step " + std::to_string(callbacks)) != std::string::npos);
    CHECK(cb.level == callbacks % 3);
    ++callbacks;
    // A call from inside it gets its reply while the outer call is still running.
    CHECK(get_devices(g) == devices);
    answer(g, h);
  }
  CHECK(callbacks == 3);
  REQUIRE(g.parse_reply() == kReplyOk);
  int status = -1;
  REQUIRE(g.outputs().get_value(status));
  CHECK(status == 0);
  // The worker serves the next top-level call as usual.
  CHECK(get_devices(g) == devices);
}

TEST_CASE("calls nested through callbacks are served to a bound, then refused with a reason",
          "[codegen][toy][callbacks]") {
  ToyServer server("nested-callbacks");
  RawGuest g = server.guest();
  const auto devices = get_devices(g);
  std::vector<int> status;
  int deepest = -1;
  run_nested(g, devices[0], 0, 80, status, deepest);
  // 64 calls nested inside the top-level one are served; the 65th is refused and the
  // levels above it unwind normally.
  REQUIRE(status.size() == 66);
  for (int d = 0; d <= 64; ++d) CHECK(status[d] == kReplyOk);
  CHECK(status[65] == kReplyRejected);
  CHECK(deepest == 64);
  CHECK(server.log().find("nested 64 deep") != std::string::npos);
  CHECK(get_devices(g) == devices);
}

TEST_CASE("a broken callback answer ends only that guest's worker", "[codegen][toy][callbacks][hostile]") {
  ToyServer server("broken-callback-answer");
  auto broken = [&](std::uint32_t request_delta, std::size_t bytes) {
    RawGuest g = server.guest();
    send_run_with_log(g, get_devices(g).at(0), 2);
    FrameHeader h;
    REQUIRE(g.next_frame(h));
    REQUIRE(h.type == kMsgCallback);
    const std::string junk(bytes, 'x');
    REQUIRE(g.send(kMsgCallbackResult, h.request + request_delta, 0, junk.data(), junk.size()));
    // The worker gives up on this guest: its connection closes, no made-up value is used.
    CHECK_FALSE(g.next_frame(h));
  };
  SECTION("bytes where the callback returns nothing") { broken(0, 4); }
  SECTION("an answer to another callback") { broken(7, 0); }
  CHECK(server.log().find("the guest answered callback") != std::string::npos);
  RawGuest next = server.guest();
  CHECK(get_devices(next).size() == 2);
}
