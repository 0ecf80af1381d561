// Unit tests of what a call writes back into the program's memory when the library
// leaves an output alone or the call fails, decided from the spec alone.
#include <unistd.h>

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

// A query with a single-value output, an output buffer, a new handle and an in-out buffer.
spec::Spec outputs_spec(std::vector<spec::EnumConstant> constants) {
  spec::Spec s;
  s.api.name = "Mini";
  s.api.headers = {"mini.h"};
  spec::Type status = status_type("mini_status", "MINI_OK", "MINI_GONE");
  status.constants = std::move(constants);
  s.types.push_back(status);
  spec::Type obj;
  obj.name = "mini_obj";
  obj.kind = spec::TypeKind::Handle;
  s.types.push_back(obj);
  auto made = param("made", "mini_obj *", K::Element, D::Out);
  made.ann.handle_type = "mini_obj";
  made.ann.allocates = true;
  spec::Annotation elem;
  elem.kind = K::Handle;
  elem.direction = D::Out;
  elem.handle_type = "mini_obj";
  elem.allocates = true;
  made.ann.element = spec::Box<spec::Annotation>(elem);
  auto items = param("items", "int *", K::Buffer, D::Out, "4");
  items.ann.nullable = true;
  auto scaled = param("scaled", "int *", K::Buffer, D::InOut, "4");
  scaled.ann.nullable = true;
  s.functions.push_back(
      ::function("miniQuery", "mini_status",
                 {param("count", "int *", K::Element, D::Out), items, made, scaled}));
  // No status type: what it returns says nothing about its outputs.
  s.functions.push_back(::function("miniPlain", "int",
                                   {param("value", "int *", K::Element, D::Out),
                                    param("items", "int *", K::Buffer, D::Out, "4")}));
  auto cached =
      ::function("miniCached", "mini_status", {param("value", "int *", K::Element, D::Out)});
  cached.cacheable = "true";
  s.functions.push_back(cached);
  return s;
}

struct Sources {
  std::string guest, server;
};

Sources generate_sources(const spec::Spec& s, const std::string& tag) {
  std::string dir =
      (fs::temp_directory_path() / ("remora-gen-fo-" + tag + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  Sources out{test::read_file(dir + "/guest/guest.cpp"),
              test::read_file(dir + "/server/server.cpp")};
  fs::remove_all(dir);
  return out;
}

// One function of the generated text (the server's handlers sit inside a namespace).
std::string body(const std::string& text, const std::string& start,
                 const std::string& end = "\n}\n") {
  auto at = text.find(start);
  REQUIRE(at != std::string::npos);
  return text.substr(at, text.find(end, at) - at);
}

}  // namespace

TEST_CASE(
    "a single-value output starts as the program's value; a failed call's other outputs stay the "
    "program's",
    "[codegen][generator][failed-outputs]") {
  // Vulkan's convention: negative errors, positive values that report how the call succeeded.
  auto vk = generate_sources(
      outputs_spec({{"MINI_OK", 0}, {"MINI_GONE", -1}, {"MINI_INCOMPLETE", 5}}), "vk");
  const std::string guest = body(vk.guest, "(miniQuery)(");
  const std::string server = body(vk.server, "bool srv_miniQuery(", "\n  }\n");
  // The program's bytes of `count` travel (NULL stays NULL: presence first) and seed the server's
  // copy.
  CHECK(guest.find("if (count) rm_w.put_raw(count, ") != std::string::npos);
  CHECK(server.find("if (!rm.get_value_bytes(rm_in, rm_m, ") != std::string::npos);
  CHECK(server.find("const bool rm_failed = static_cast<long long>(rm_result) < 0;") !=
        std::string::npos);
  // Sent back whatever the status (the library's writes over the program's bytes) ...
  CHECK(server.find("rm_out.put_u8(rm_has_count);") != std::string::npos);
  CHECK(server.find("rm_out.put_u8(rm_has_scaled);") != std::string::npos);
  // ... while what the program did not send comes back only when the call did not fail.
  CHECK(server.find("rm_out.put_u8(rm_has_items && !rm_failed);") != std::string::npos);
  CHECK(server.find("rm_out.put_u8(rm_has_made && !rm_failed);") != std::string::npos);

  // CUDA's convention (every other value an error) and OpenCL's (all negative): not success =
  // failed.
  auto cuda = generate_sources(outputs_spec({{"MINI_OK", 0}, {"MINI_GONE", 5}}), "cuda");
  CHECK(cuda.server.find("const bool rm_failed = rm_result != MINI_OK;") != std::string::npos);
  auto cl = generate_sources(outputs_spec({{"MINI_OK", 0}, {"MINI_GONE", -5}}), "cl");
  CHECK(cl.server.find("const bool rm_failed = rm_result != MINI_OK;") != std::string::npos);
  CHECK(cl.server.find("static_cast<long long>(rm_result) < 0") == std::string::npos);

  // Without a status type, outputs come back as before.
  const std::string plain = body(vk.server, "bool srv_miniPlain(", "\n  }\n");
  CHECK(plain.find("rm_failed") == std::string::npos);
  CHECK(plain.find("rm_out.put_u8(rm_has_items);") != std::string::npos);
  CHECK(body(vk.guest, "(miniPlain)(").find("if (value) rm_w.put_raw(value, ") !=
        std::string::npos);

  // A cached request is its own key: the seed is zeros when the answer may be cached.
  const std::string cached = body(vk.guest, "(miniCached)(");
  CHECK(cached.find("if (value && rm_cacheable) rm_w.put_zeros(") != std::string::npos);
  CHECK(cached.find("else if (value) rm_w.put_raw(value, ") != std::string::npos);
}
