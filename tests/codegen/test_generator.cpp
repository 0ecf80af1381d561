// Unit tests of the generator: which functions it can remote, what it emits,
// how it reports what it cannot do.
#include <catch2/catch.hpp>
#include <filesystem>

#include "remora/codegen/generate.h"
#include "stack_fixture.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

spec::Param param(const std::string& name, const std::string& type, spec::Kind kind,
                  spec::Direction dir = spec::Direction::In, const std::string& size = "") {
  spec::Param p;
  p.name = name;
  p.type = type;
  p.ann.kind = kind;
  p.ann.direction = dir;
  p.ann.size = size;
  return p;
}

spec::Function function(const std::string& name, std::vector<spec::Param> params) {
  spec::Function f;
  f.name = name;
  f.ret.type = "int";
  f.params = std::move(params);
  return f;
}

spec::Spec mini_spec() {
  spec::Spec s;
  s.api.name = "Mini";
  s.api.headers = {"mini.h"};
  spec::Type status;
  status.name = "mini_status";
  status.kind = spec::TypeKind::Status;
  status.success = "MINI_OK";
  status.error = "MINI_GONE";
  s.types.push_back(status);
  using K = spec::Kind;
  using D = spec::Direction;
  s.functions.push_back(function("miniNoSize", {param("out", "void *", K::Buffer, D::Out)}));
  auto var = function("miniPrintf", {param("fmt", "const char *", K::String)});
  var.variadic = true;
  s.functions.push_back(var);
  s.functions.push_back(function("miniOutCapacity", {param("items", "int *", K::Buffer, D::Out, "*count"),
                                                     param("count", "int *", K::Element, D::Out)}));
  s.functions.push_back(function("miniBadSize", {param("data", "const int *", K::Buffer, D::In, "n +")}));
  auto when = function("miniCopy", {param("mode", "int", K::Value),
                                    param("data", "void *", K::Buffer, D::In, "16")});
  spec::When w;
  w.condition = "mode == 1";
  w.overrides.direction = D::Out;
  when.params[1].when.push_back(w);
  when.ret.type = "mini_status";
  s.functions.push_back(when);
  auto cb = function("miniOnEvent", {param("fn", "void (*)(int, void *)", K::Callback)});
  s.functions.push_back(cb);
  return s;
}

}  // namespace

TEST_CASE("the generator stubs what it cannot remote and says why", "[codegen][generator]") {
  std::string dir = (fs::temp_directory_path() / ("remora-gen-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(mini_spec(), opt, report, error));
  auto reason = [&](const std::string& fn) {
    for (const auto& u : report.unsupported)
      if (u.rfind(fn + ": ", 0) == 0) return u.substr(fn.size() + 2);
    return std::string();
  };
  CHECK(reason("miniNoSize") == "buffer out has no size");
  CHECK(reason("miniPrintf") == "variadic function");
  CHECK(reason("miniOutCapacity").find("cannot be known before the call") != std::string::npos);
  CHECK(reason("miniBadSize").find("size of data") != std::string::npos);
  CHECK(reason("miniOnEvent") == "callback fn has no user-data parameter");
  CHECK(reason("miniCopy").empty());
  CHECK(report.supported == 1);
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  // The `when` override becomes a runtime branch on the call's own parameters.
  CHECK(guest.find("if (mode == 1) {") != std::string::npos);
  CHECK(guest.find("REMORA_EXPORT int miniPrintf(const char *fmt, ...) {") != std::string::npos);
  CHECK(guest.find("return static_cast<rm_ret_t>(MINI_GONE);") != std::string::npos);
  // The runtime is copied verbatim from codegen/runtime/.
  for (const auto& f : codegen::runtime_files())
    CHECK(test::read_file(dir + "/runtime/" + f.path) ==
          test::read_file(std::string(REMORA_SOURCE_DIR) + "/codegen/runtime/" + f.path));
  CHECK(codegen::runtime_files().size() >= 7);
  fs::remove_all(dir);
}

TEST_CASE("a size may index another array parameter; the server checks the index", "[codegen][generator]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  auto rect = function("miniRect", {param("region", "const size_t *", K::Buffer, D::In, "3"),
                                    param("ptr", "void *", K::Buffer, D::Out, "max(pitch, region[0]) * region[1]"),
                                    param("pitch", "size_t", K::Value)});
  rect.params[1].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(rect);
  s.functions.push_back(function("miniIndexScalar", {param("n", "size_t", K::Value),
                                                     param("data", "const int *", K::Buffer, D::In, "n[0]")}));
  s.functions.push_back(function("miniIndexOut", {param("dims", "size_t *", K::Buffer, D::Out, "2"),
                                                  param("data", "const int *", K::Buffer, D::In, "dims[1]")}));
  s.functions.push_back(function("miniIndexElement", {param("dim", "const size_t *", K::Element),
                                                      param("data", "const int *", K::Buffer, D::In, "dim[1]")}));
  std::string dir = (fs::temp_directory_path() / ("remora-gen-idx-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  auto reason = [&](const std::string& fn) {
    for (const auto& u : report.unsupported)
      if (u.rfind(fn + ": ", 0) == 0) return u.substr(fn.size() + 2);
    return std::string();
  };
  CHECK(reason("miniRect").empty());
  CHECK(reason("miniIndexScalar").find("reads n[0], but n is not a pointer") != std::string::npos);
  CHECK(reason("miniIndexOut").find("is written by the call") != std::string::npos);
  CHECK(reason("miniIndexElement").find("is a single element") != std::string::npos);
  // The guest reads its own array (NULL-safe); the server bounds the index by the
  // element count it received before computing the size.
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  CHECK(guest.find("remora::index_or_zero(region, 0)") != std::string::npos);
  std::string server = test::read_file(dir + "/server/server.cpp");
  CHECK(server.find("if (!region || rm_n_region <= 1ULL)") != std::string::npos);
  CHECK(server.find("its size reads region[1]") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("the spec fingerprint changes when the wire format changes", "[codegen][generator]") {
  std::string dir = (fs::temp_directory_path() / ("remora-gen-fp-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport a, b, c;
  std::string error;
  auto s = mini_spec();
  REQUIRE(codegen::generate_stack(s, opt, a, error));
  REQUIRE(codegen::generate_stack(s, opt, b, error));
  s.functions[4].params[1].ann.size = "32";
  REQUIRE(codegen::generate_stack(s, opt, c, error));
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint != c.fingerprint);
  fs::remove_all(dir);
}

TEST_CASE("generation fails clearly on an unusable spec or output folder", "[codegen][generator]") {
  codegen::GenerateReport report;
  std::string error;
  codegen::GenerateOptions opt;
  opt.out_dir = "/proc/remora-cannot-write-here";
  auto s = mini_spec();
  CHECK_FALSE(codegen::generate_stack(s, opt, report, error));
  CHECK(error.find("cannot") != std::string::npos);
  s.api.headers.clear();
  CHECK_FALSE(codegen::generate_stack(s, opt, report, error));
  CHECK(error.find("api.headers") != std::string::npos);
}
