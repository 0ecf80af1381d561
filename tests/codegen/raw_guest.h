// A hand-rolled guest that speaks the wire protocol directly, for tests of what the
// server does with frames a generated guest would never send (hostile ones, callback
// answers out of turn), and the toy-server set-up those tests share.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "remora/spec/json_io.h"
#include "remora_transport.h"
#include "remora_wire.h"
#include "stack_fixture.h"

namespace remora::test {

inline std::uint32_t function_id(const std::string& name) {
  static auto load = spec::load_spec_file(TOY_SPEC);
  for (std::size_t i = 0; i < load.spec.functions.size(); ++i)
    if (load.spec.functions[i].name == name) return static_cast<std::uint32_t>(i);
  FAIL("no function " << name);
  return 0;
}

// A hand-rolled guest speaking the wire protocol directly.
class RawGuest {
 public:
  explicit RawGuest(const std::string& addr, std::uint64_t fingerprint, bool handshake = true) {
    Address a;
    std::string err;
    REQUIRE(parse_address(addr, a, err));
    stream_ = connect_to(a, 2000, err);
    REQUIRE(stream_);
    if (!handshake) return;
    Writer hello;
    hello.put_u32(kProtocolVersion);
    hello.put_u64(fingerprint);
    hello.put_string("Toy");
    REQUIRE(send_frame(*stream_, kMsgHello, 0, 0, hello.data(), hello.size()));
    FrameHeader h;
    REQUIRE(recv_frame(*stream_, h, body_) == FrameResult::Ok);
    hello_type_ = h.type;
  }
  std::uint32_t hello_type() const { return hello_type_; }
  std::string hello_text() {
    Reader r(body_.data(), body_.size());
    bool present = false;
    std::uint64_t n = 0;
    if (!r.get_presence(present) || !present || !r.get_u64(n) || n > r.remaining()) return "";
    return std::string(reinterpret_cast<const char*>(r.take(n)), n);
  }
  bool send_raw(const void* p, std::size_t n) { return stream_->send_all(p, n); }
  // Sends one call; returns the reply status (or -1 if the connection closed).
  int call(std::uint32_t fn, const Writer& body, std::uint32_t flags = 0) {
    if (!send_frame(*stream_, fn, ++request_, flags, body.data(), body.size())) return -1;
    return reply();
  }
  // As call(), but gives up after timeout_ms without a reply (returns -2).
  int call_within(std::uint32_t fn, const Writer& body, int timeout_ms) {
    if (!send_frame(*stream_, fn, ++request_, 0, body.data(), body.size())) return -1;
    if (!stream_->wait_readable(timeout_ms)) return -2;
    return reply();
  }
  int reply() {
    FrameHeader h;
    if (recv_frame(*stream_, h, body_) != FrameResult::Ok) return -1;
    REQUIRE(h.type == kMsgReply);
    return parse_reply();
  }
  // Frames one at a time, whatever their type (callbacks come before a call's reply):
  // a call sent without reading anything back (its request id), the next frame (false:
  // the connection closed; its body in frame_body()), and a frame of any type sent.
  std::uint32_t send_call(std::uint32_t fn, const Writer& body) {
    REQUIRE(send_frame(*stream_, fn, ++request_, 0, body.data(), body.size()));
    return request_;
  }
  bool next_frame(FrameHeader& h) { return recv_frame(*stream_, h, body_) == FrameResult::Ok; }
  const std::vector<unsigned char>& frame_body() const { return body_; }
  bool send(std::uint32_t type, std::uint32_t request, std::uint32_t flags, const void* body, std::size_t n) {
    return send_frame(*stream_, type, request, flags, body, n);
  }
  // The status of the reply next_frame() read, its outputs in outputs().
  int parse_reply() {
    Reader r(body_.data(), body_.size());
    std::uint32_t status = 99;
    REQUIRE(r.get_u32(status));
    reader_ = Reader(body_.data(), body_.size());
    reader_.get_u32(status);
    if (status != kReplyOk) {
      bool present = false;
      std::uint64_t n = 0;
      if (reader_.get_presence(present) && present && reader_.get_u64(n) && n <= reader_.remaining())
        last_error_.assign(reinterpret_cast<const char*>(reader_.take(n)), n);
    } else {
      std::uint8_t async_err = 0;
      std::uint32_t pending = 0;
      REQUIRE(reader_.get_u8(async_err));
      async_error_ = async_err != 0;
      if (async_error_) {
        std::uint32_t fn = 0;
        REQUIRE(reader_.get_u32(fn));
        REQUIRE(reader_.get_u64(async_bits_));
      }
      REQUIRE(reader_.get_u32(pending));
      REQUIRE((pending == 0 || accept_pending_));
      pending_bytes_ = 0;
      for (std::uint32_t i = 0; i < pending; ++i) {  // the bulk table: (kind, address, size) each
        std::uint8_t kind = 0;
        std::uint64_t addr = 0, size = 0;
        REQUIRE(reader_.get_u8(kind));
        REQUIRE(reader_.get_u64(addr));
        REQUIRE(reader_.get_u64(size));
        if (kind == kBulkToAddress) pending_bytes_ += size;  // its bytes are in the trailer
      }
      std::uint32_t views = 0;
      REQUIRE(reader_.get_u32(views));
      REQUIRE(views == 0);
    }
    return static_cast<int>(status);
  }
  Reader& outputs() { return reader_; }
  // Replies may carry pending outputs of earlier non-blocking calls (skipped, counted).
  void accept_pending() { accept_pending_ = true; }
  std::uint64_t pending_bytes() const { return pending_bytes_; }
  const std::string& last_error() const { return last_error_; }
  bool async_error() const { return async_error_; }
  std::int64_t async_status() const { return static_cast<std::int64_t>(async_bits_); }
  // A call without a reply, flagged non-blocking as the guest flags a non-blocking call
  // (the server keeps its outputs as pending outputs and its inputs until a barrier).
  bool send_async(std::uint32_t fn, const Writer& body) {
    return send_frame(*stream_, fn, ++request_, kFlagAsync | kFlagDeferredOutputs, body.data(), body.size());
  }

 private:
  std::unique_ptr<Stream> stream_;
  std::vector<unsigned char> body_;
  Reader reader_;
  std::uint32_t request_ = 0;
  std::uint32_t hello_type_ = 0;
  std::string last_error_;
  bool async_error_ = false;
  std::uint64_t async_bits_ = 0;
  bool accept_pending_ = false;
  std::uint64_t pending_bytes_ = 0;
};

// A toy server on a fresh socket, and guests of it that passed the handshake: the set-up
// the handle and bounds cases share (each case starts its own server: no state leaks).
class ToyServer {
 public:
  explicit ToyServer(const std::string& name)
      : addr_("unix:" + temp_socket_path(name)),
        server_(toy_stack_dir() + "/build/server/toy-server", addr_, TOY_LIB) {
    REQUIRE(server_.ready());
  }
  // A new connection whose hello the server accepted.
  RawGuest guest() {
    RawGuest g(addr_, toy_fingerprint());
    REQUIRE(g.hello_type() == kMsgHelloOk);
    return g;
  }
  std::string log() const { return server_.log(); }

 private:
  std::string addr_;
  ServerProcess server_;
};

// A successful reply's status (0) and the count of the array that follows it (present).
inline std::uint64_t ok_status_then_count(Reader& r) {
  int status = -1;
  REQUIRE(r.get_value(status));
  REQUIRE(status == 0);
  bool present = false;
  std::uint64_t n = 0;
  REQUIRE(r.get_presence(present));
  REQUIRE(r.get_u64(n));
  return n;
}

// toyGetDevices(max, devices, &count): returns the device handles.
inline std::vector<std::uint64_t> get_devices(RawGuest& g) {
  Writer w;
  w.put_value<unsigned int>(2);
  w.put_u8(1);   // devices present
  w.put_u64(2);  // capacity
  w.put_u64(0);  // guest address (unused for sync calls)
  w.put_u8(1);   // count present
  w.put_value<unsigned int>(0);  // the program's count (the server starts from it)
  REQUIRE(g.call(function_id("toyGetDevices"), w) == kReplyOk);
  Reader& r = g.outputs();
  std::vector<std::uint64_t> handles(ok_status_then_count(r));
  for (auto& h : handles) REQUIRE(r.get_u64(h));
  return handles;
}

}  // namespace remora::test
