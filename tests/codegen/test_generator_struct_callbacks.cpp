// Generator tests of callbacks inside structs and of what the library writes into
// structs (strings, handles), on a small made-up API: how each is planned, and why one
// that cannot be forwarded is refused (naming the member), never NULLed silently.
#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"
#include "stack_fixture.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

// int (*)(int, const char *, void *) behind the typedef cb_fn.
const char* kFnCType =
    R"J({ "kind": "typedef", "name": "cb_fn", "to": { "kind": "pointer", "to": { "kind": "function",
         "returns": { "kind": "int", "name": "int" }, "params": [ { "kind": "int", "name": "int" },
         { "kind": "pointer", "to": { "kind": "int", "name": "char", "const": true } },
         { "kind": "pointer", "to": { "kind": "void" } } ] } } })J";

std::string callback_field(const std::string& name, bool nullable) {
  return R"J({ "name": ")J" + name + R"J(", "type": "cb_fn", "ctype": )J" + kFnCType +
         R"J(, "direction": "in", "kind": "callback", "nullable": )J" + (nullable ? "true" : "false") + " }";
}
const char* kUserData =
    R"J({ "name": "user_data", "type": "void *", "ctype": { "kind": "pointer", "to": { "kind": "void" } },
         "direction": "in", "kind": "userdata", "nullable": true })J";
const char* kLimit = R"J({ "name": "limit", "type": "int", "ctype": { "kind": "int", "name": "int" } })J";

std::string element_fn(const std::string& name, const std::string& type, const std::string& dir = "in") {
  return R"J({ "name": ")J" + name + R"J(", "return": { "type": "cb_status" }, "params": [
      { "name": "p", "type": ")J" + type + R"J(", "direction": ")J" + dir + R"J(", "kind": "element" } ] })J";
}

std::string spec_text() {
  return std::string(R"J({ "format": "remora-spec/1",
    "api": { "name": "Cb", "headers": ["cb.h"], "library": "libcb.so.1" },
    "types": [
      { "name": "cb_status", "kind": "status", "underlying": "int", "success": "0", "error": "-1" },
      { "name": "cb_obj", "kind": "handle" },
      { "name": "cb_fn", "kind": "callback", "signature": "int (int, const char *, void *)" },
      { "name": "cb_info", "kind": "struct", "fields": [ )J") +
         kLimit + ", " + callback_field("notify", true) + ", " + kUserData + R"J( ] },
      { "name": "cb_bare", "kind": "struct", "fields": [ )J" +
         kLimit + ", " + callback_field("notify", true) + R"J( ] },
      { "name": "cb_required", "kind": "struct", "fields": [ )J" +
         kLimit + ", " + callback_field("notify", false) + R"J( ] },
      { "name": "cb_two", "kind": "struct", "fields": [ )J" +
         callback_field("first", true) + ", " + callback_field("second", true) + ", " + kUserData + R"J( ] },
      { "name": "cb_desc", "kind": "struct", "fields": [
          { "name": "obj", "type": "cb_obj", "ctype": { "kind": "typedef", "name": "cb_obj", "to": { "kind": "pointer",
            "to": { "kind": "record", "name": "cb_obj_s", "record": "struct", "complete": false } } },
            "direction": "in", "kind": "handle" },
          { "name": "name", "type": "const char *", "ctype": { "kind": "pointer", "to": { "kind": "int", "name": "char",
            "const": true } }, "direction": "in", "kind": "string", "nullable": true } ] } ],
    "functions": [ )J" +
         element_fn("cbWatch", "const cb_info *") + ", " + element_fn("cbBare", "const cb_bare *") + ", " +
         element_fn("cbRequired", "const cb_required *") + ", " + element_fn("cbTwo", "const cb_two *") + ", " +
         element_fn("cbDescribe", "cb_desc *", "out") + ", " + element_fn("cbDescribeIn", "const cb_desc *") + R"J(,
      { "name": "cbOnDesc", "return": { "type": "cb_status" }, "params": [
          { "name": "fn", "type": "void (*)(const cb_desc *, void *)", "direction": "in", "kind": "callback" },
          { "name": "ud", "type": "void *", "direction": "in", "kind": "userdata" } ] },
      { "name": "cbOnFree", "return": { "type": "cb_status" }, "params": [
          { "name": "fn", "type": "void (*)(void *, void *)", "direction": "in", "kind": "callback" },
          { "name": "ud", "type": "void *", "direction": "in", "kind": "userdata" } ] },
      { "name": "cbOnFill", "return": { "type": "cb_status" }, "params": [
          { "name": "fn", "type": "unsigned int (*)(void *, unsigned char **)", "direction": "in", "kind": "callback" },
          { "name": "ud", "type": "void *", "direction": "in", "kind": "userdata" } ] },
      { "name": "cbOnAlloc", "return": { "type": "cb_status" }, "params": [
          { "name": "fn", "type": "void *(*)(size_t, void *)", "direction": "in", "kind": "callback" },
          { "name": "ud", "type": "void *", "direction": "in", "kind": "userdata" } ] } ] })J";
}

struct Generated {
  codegen::GenerateReport report;
  std::string guest, server;
  std::string reason(const std::string& fn) const {
    for (const auto& u : report.unsupported)
      if (u.rfind(fn + ": ", 0) == 0) return u.substr(fn.size() + 2);
    return "";
  }
  bool warned(const std::string& part) const {
    for (const auto& w : report.warnings)
      if (w.find(part) != std::string::npos) return true;
    return false;
  }
};

Generated generate() {
  spec::SpecLoad loaded = spec::spec_from_json_text(spec_text());
  INFO((loaded.errors.empty() ? std::string() : spec::format_issue(loaded.errors.front())));
  REQUIRE(loaded.ok());
  Generated g;
  std::string dir = (fs::temp_directory_path() / ("remora-struct-cb-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  std::string error;
  REQUIRE(codegen::generate_stack(loaded.spec, opt, g.report, error));
  g.guest = test::read_file(dir + "/guest/guest.cpp");
  g.server = test::read_file(dir + "/server/server.cpp");
  fs::remove_all(dir);
  return g;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a callback member is forwarded with the user-data member beside it", "[codegen][structs][callbacks]") {
  Generated g = generate();
  CHECK(g.reason("cbWatch").empty());
  // The server installs its trampoline and puts the record in the paired member.
  CHECK(contains(g.server, "rm_s->user_data = static_cast<decltype(rm_s->user_data)>(rm.callback_record("));
  CHECK(contains(g.server, "rm_s->notify = &rm_trampoline_"));
  // The library reads the callback's int: the trampoline waits for the guest's answer.
  CHECK(contains(g.server, "rec->worker->call_callback(w, &rm_r, sizeof rm_r"));
  CHECK(contains(g.guest, "if (result) result->put_value(rm_r);"));
}

TEST_CASE("a callback member that cannot be forwarded is refused with the member named",
          "[codegen][structs][callbacks]") {
  Generated g = generate();
  // No user-data member: a nullable one travels as NULL only (a non-NULL one fails the
  // call with this reason), a required one makes the function unsupported.
  CHECK(g.reason("cbBare").empty());
  CHECK(contains(g.guest, "cb_bare.notify (cb_fn) is a callback without a user-data member to carry it; only NULL"));
  CHECK(contains(g.reason("cbRequired"), "cb_required.notify (cb_fn) is a callback without a user-data member"));
  // Two callbacks, one user-data member: the second is not forwarded.
  CHECK(contains(g.guest, "cb_two.second (cb_fn) is a callback without a user-data member"));
  CHECK(contains(g.server, "rm_s->first = &rm_trampoline_"));
}

TEST_CASE("callback signatures the guest cannot serve refuse the call when the program gives one, never "
          "reach the library as NULL or a guest address",
          "[codegen][callbacks]") {
  Generated g = generate();
  for (const char* f : {"cbOnDesc", "cbOnFree", "cbOnAlloc", "cbOnFill"}) CHECK(g.reason(f).empty());
  CHECK(contains(g.guest, "if (fn != nullptr) {"));
  CHECK(g.warned("passes a pointer to a struct ("));
  CHECK(g.warned("cb_desc), which is not copied to the guest"));
  CHECK(g.warned("several void* arguments"));
  CHECK(g.warned("returning a pointer or handle are not remoted"));
  // zlib's inflateBack in_func: the callback fills a `unsigned char **` (NULL would crash it).
  CHECK(g.warned("passes a pointer to data ("));
}

TEST_CASE("strings and handles the library writes into a struct come back to the guest",
          "[codegen][structs]") {
  Generated g = generate();
  CHECK(g.reason("cbDescribe").empty());
  // Server: zeroed before the call, registered (handles) or sent (strings) after it.
  CHECK(contains(g.server, "rm_c.record_handles(&rm_s->obj, sizeof(rm_s->obj), 1, "));
  CHECK(contains(g.server, "rm_s->name = nullptr;  // the library points it at its own string"));
  CHECK(contains(g.server, "rm_dc.register_handles("));
  // Guest: the member's address is recorded; the program gets its own copy of the string.
  CHECK(contains(g.guest, "if (rm_written) rm_c.record_string(&rm_s->name); else rm_w.put_string(rm_s->name);"));
  // As an input, the same struct's handle is translated from the guest's id (and checked) and its string sent.
  CHECK(g.reason("cbDescribeIn").empty());
  CHECK(contains(g.server, "if (!rm.take_handle_member(rm_s->obj, \"cb_desc.obj\")) return false;"));
}
