// Unit tests of what the generator plans to save round trips, from the spec alone:
// status-only calls without a reply, guest-assigned handles, cacheable queries.
#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/codegen/generate.h"
#include "spec_builders.h"
#include "stack_fixture.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

using K = spec::Kind;
using D = spec::Direction;

spec::Function status_fn(const std::string& name, std::vector<spec::Param> params) {
  return ::function(name, "mini_status", std::move(params));
}

spec::Param handle(const std::string& name, const std::string& type) {
  auto p = param(name, type, K::Handle);
  p.ann.handle_type = type;
  return p;
}

spec::Spec round_trip_spec() {
  spec::Spec s;
  s.api.name = "Mini";
  s.api.headers = {"mini.h"};
  spec::Type status = status_type("mini_status", "MINI_OK", "MINI_GONE");
  // Every value but success is a failure: a status-only call may then skip its reply.
  status.constants = {{"MINI_OK", 0}, {"MINI_GONE", -1}};
  s.types.push_back(status);
  for (const char* h : {"mini_kernel", "mini_event"}) {
    spec::Type t;
    t.name = h;
    t.kind = spec::TypeKind::Handle;
    s.types.push_back(t);
  }
  // A setter: only its status comes back.
  s.functions.push_back(status_fn("miniSetArg", {handle("kernel", "mini_kernel"), param("index", "int", K::Value),
                                                 param("value", "const void *", K::Buffer, D::In, "4")}));
  // A barrier waits: never without a reply.
  auto finish = status_fn("miniFinish", {handle("kernel", "mini_kernel")});
  finish.barrier = true;
  s.functions.push_back(finish);
  // async_if whose condition may be false: the spec says it works before returning then.
  auto build = status_fn("miniBuild", {handle("kernel", "mini_kernel"), param("notify", "int", K::Value)});
  build.sync.mode = spec::Sync::Mode::AsyncIf;
  build.sync.condition = "notify != 0";
  s.functions.push_back(build);
  // An enqueue returning an event: the guest names the event.
  auto event = param("event", "mini_event *", K::Element, D::Out);
  event.ann.nullable = true;
  event.ann.handle_type = "mini_event";
  event.ann.allocates = true;
  spec::Annotation elem;
  elem.kind = K::Handle;
  elem.direction = D::Out;
  elem.handle_type = "mini_event";
  elem.allocates = true;
  event.ann.element = spec::Box<spec::Annotation>(elem);
  auto enqueue = status_fn("miniEnqueue", {handle("kernel", "mini_kernel"), event});
  enqueue.sync.mode = spec::Sync::Mode::Async;
  s.functions.push_back(enqueue);
  // A query the spec marks cacheable except for one name, and one it cannot replay.
  auto info = status_fn("miniInfo", {handle("kernel", "mini_kernel"), param("name", "int", K::Value),
                                     param("size", "size_t", K::Value),
                                     param("value", "void *", K::Buffer, D::Out, "size")});
  info.params[3].ann.size_unit = spec::SizeUnit::Bytes;
  info.cacheable = "name != 7";
  s.functions.push_back(info);
  auto lookup = status_fn("miniLookup", {param("key", "const char *", K::String), param("out", "int *", K::Element, D::Out)});
  lookup.cacheable = "true";
  s.functions.push_back(lookup);
  return s;
}

}  // namespace

TEST_CASE("round trips: what goes without a reply, guest-named handles, cached queries", "[codegen][generator]") {
  auto s = round_trip_spec();
  std::string dir = (fs::temp_directory_path() / ("remora-gen-rt-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  std::string server = test::read_file(dir + "/server/server.cpp");
  auto body = [&](const std::string& fn) {
    auto at = guest.find("(" + fn + ")(");
    REQUIRE(at != std::string::npos);
    return guest.substr(at, guest.find("\n}\n", at) - at);
  };
  // Status only, not a barrier, plainly sync: no reply (unless strict).
  CHECK(body("miniSetArg").find("const bool rm_async = remora::guest::async_enabled();") != std::string::npos);
  CHECK(body("miniFinish").find("const bool rm_async = false;") != std::string::npos);
  CHECK(body("miniBuild").find("const bool rm_nonblocking = (notify != 0);") != std::string::npos);
  CHECK(body("miniBuild").find("remora::guest::async_enabled();") != std::string::npos);  // only when notify != 0
  // The event does not make the enqueue wait: the guest names it, the server maps it.
  CHECK(body("miniEnqueue").find("event == nullptr") == std::string::npos);
  CHECK(body("miniEnqueue").find("remora::guest::assign_handle()") != std::string::npos);
  CHECK(server.find("rm.alias_handle(rm_gh_event, rm_h)") != std::string::npos);
  CHECK(server.find("rm.get_guest_handle(rm_in, rm_gh_event") != std::string::npos);
  // Cacheable: the predicate on the guest, a replay before the round trip, kept on success.
  CHECK(body("miniInfo").find("const bool rm_cacheable = (name != 7) && remora::guest::async_enabled();") !=
        std::string::npos);
  CHECK(body("miniInfo").find("rm_call.replay_cached()") != std::string::npos);
  CHECK(body("miniInfo").find("if (rm_cacheable && rm_result == MINI_OK) rm_call.keep_cached({remora::to_u64(kernel)});") !=
        std::string::npos);
  // Its first argument is a handle and the predicate does not name it: a miss also asks
  // for the answers about the kernel's siblings, which the server may give (status width).
  CHECK(body("miniInfo").find("if (rm_cacheable) rm_call.want_siblings();") != std::string::npos);
  CHECK(server.find("srv_miniInfo, remora::to_u64(static_cast<mini_status>(MINI_GONE)), sizeof(mini_status)}") !=
        std::string::npos);
  CHECK(server.find("srv_miniSetArg, remora::to_u64(static_cast<mini_status>(MINI_GONE)), 0}") != std::string::npos);
  // An input string would be part of the key: the claim is ignored, with a warning.
  CHECK(body("miniLookup").find("replay_cached") == std::string::npos);
  bool warned = false;
  for (const auto& w : report.warnings) warned |= w.find("miniLookup: cacheable ignored") != std::string::npos;
  CHECK(warned);
  // Turning these on changes what travels: a stack generated before would refuse it.
  auto plain = round_trip_spec();
  plain.functions[4].cacheable.clear();
  codegen::GenerateReport other;
  REQUIRE(codegen::generate_stack(plain, opt, other, error));
  CHECK(other.fingerprint != report.fingerprint);
  // A predicate that names the handle could differ for its siblings: no siblings then.
  auto by_kernel = round_trip_spec();
  by_kernel.functions[4].cacheable = "kernel != 0";
  codegen::GenerateReport third;
  REQUIRE(codegen::generate_stack(by_kernel, opt, third, error));
  guest = test::read_file(dir + "/guest/guest.cpp");
  CHECK(body("miniInfo").find("rm_call.replay_cached()") != std::string::npos);
  CHECK(body("miniInfo").find("want_siblings") == std::string::npos);
  fs::remove_all(dir);
}
