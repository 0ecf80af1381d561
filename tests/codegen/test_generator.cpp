// Unit tests of the generator: which functions it can remote, what it emits,
// how it reports what it cannot do.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "remora/codegen/generate.h"
#include "remora/spec/json_io.h"
#include "generated_text.h"
#include "spec_builders.h"
#include "stack_fixture.h"

using namespace remora;
namespace fs = std::filesystem;

namespace {

spec::Function function(const std::string& name, std::vector<spec::Param> params) {
  return ::function(name, "int", std::move(params));
}

spec::Spec mini_spec() {
  spec::Spec s;
  s.api.name = "Mini";
  s.api.headers = {"mini.h"};
  spec::Type status = status_type("mini_status", "MINI_OK", "MINI_GONE");
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
  // GMP's `volatile mp_limb_t *`: typed as the header model writes it.
  auto vol = function("miniVolatile", {param("limbs", "volatile unsigned long *", K::Buffer, D::InOut, "n"),
                                       param("n", "long", K::Value)});
  spec::CType limb;
  limb.kind = spec::CTypeKind::Int;
  limb.name = "unsigned long";
  limb.is_volatile = true;
  vol.params[0].ctype.kind = spec::CTypeKind::Pointer;
  vol.params[0].ctype.to = spec::Box<spec::CType>(limb);
  s.functions.push_back(vol);
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
  // No user data to be called back by: only sentinel values pass (test_generator_c_idioms).
  CHECK(reason("miniOnEvent").empty());
  CHECK(reason("miniVolatile").find("points to volatile memory") != std::string::npos);
  CHECK(reason("miniCopy").empty());
  CHECK(report.supported == 2);
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  // The `when` override becomes a runtime branch on the call's own parameters.
  CHECK(guest.find("if (mode == 1) {") != std::string::npos);
  CHECK(guest.find("REMORA_EXPORT int (miniPrintf)(const char *fmt, ...) {") != std::string::npos);
  CHECK(guest.find("return static_cast<rm_ret_t>(MINI_GONE);") != std::string::npos);
  // The runtime is copied verbatim from codegen/runtime/, the support libraries of runtime
  // modules from support/<lib>/ (runtime/support/include/remora/<lib>/X, runtime/support/src/<lib>/X).
  auto source_of = [](const std::string& path) {
    const std::string root = std::string(REMORA_SOURCE_DIR);
    if (path.rfind("support/include/remora/", 0) == 0) {
      const std::string rest = path.substr(23);  // <lib>/X
      return root + "/support/" + rest.substr(0, rest.find('/')) + "/include/remora/" + rest;
    }
    if (path.rfind("support/src/", 0) == 0) {
      const std::string rest = path.substr(12);  // <lib>/X
      const auto slash = rest.find('/');
      return root + "/support/" + rest.substr(0, slash) + "/src/" + rest.substr(slash + 1);
    }
    return root + "/codegen/runtime/" + path;
  };
  for (const auto& f : codegen::runtime_files()) {
    INFO(f.path);
    CHECK(test::read_file(dir + "/runtime/" + f.path) == test::read_file(source_of(f.path)));
  }
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

namespace {

// A parameter that points to `count` pointers, each to a buffer described by `inner`.
spec::Param buffers_of_buffers(const std::string& name, const std::string& type, const std::string& size,
                               spec::Direction inner_dir, const std::string& inner_size,
                               spec::SizeUnit unit = spec::SizeUnit::Bytes) {
  spec::Param p = param(name, type, spec::Kind::Buffer, spec::Direction::In, size);
  spec::Annotation inner;
  inner.kind = spec::Kind::Buffer;
  inner.direction = inner_dir;
  inner.size = inner_size;
  inner.size_unit = unit;
  p.ann.element = spec::Box<spec::Annotation>(inner);
  return p;
}

// miniGetInfo(obj, what, value_size, value, value_size_ret): an info query.
spec::Function info_query(const std::string& name) {
  using K = spec::Kind;
  using D = spec::Direction;
  auto f = function(name, {param("obj", "int", K::Value), param("what", "int", K::Value),
                           param("value_size", "size_t", K::Value),
                           param("value", "void *", K::Buffer, D::Out, "value_size"),
                           param("value_size_ret", "size_t *", K::Element, D::Out)});
  f.params[3].ann.size_unit = spec::SizeUnit::Bytes;
  f.params[3].ann.nullable = true;
  f.params[4].ann.nullable = true;
  f.ret.type = "mini_status";
  return f;
}

// mini_spec's types plus a handle type, mini_obj, and no functions: a test adds its own.
spec::Spec mini_spec_with_handle_type() {
  auto s = mini_spec();
  s.functions.clear();
  spec::Type handle;
  handle.name = "mini_obj";
  handle.kind = spec::TypeKind::Handle;
  s.types.push_back(handle);
  return s;
}

}  // namespace

TEST_CASE("buffers of buffers: what the generator refuses, with reasons naming the parameter",
          "[codegen][generator][nested]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  auto count = [] { return param("count", "unsigned int", K::Value); };
  auto lengths = [] { return param("lengths", "const size_t *", K::Buffer, D::In, "count"); };
  // The remotable shape, for contrast.
  s.functions.push_back(function("miniStore", {count(), lengths(),
                                               buffers_of_buffers("blobs", "const unsigned char **", "count",
                                                                  D::In, "lengths[i]")}));
  s.functions.push_back(function("miniNoElementSize", {count(), buffers_of_buffers("blobs", "const unsigned char **",
                                                                                   "count", D::In, "")}));
  s.functions.push_back(function("miniOuterI", {count(), lengths(),
                                                buffers_of_buffers("blobs", "const unsigned char **", "lengths[i]",
                                                                   D::In, "lengths[i]")}));
  auto out_outer = function("miniOutOuter", {count(), lengths(),
                                             buffers_of_buffers("blobs", "unsigned char **", "count", D::Out,
                                                                "lengths[i]")});
  out_outer.params[2].ann.direction = D::Out;
  s.functions.push_back(out_outer);
  s.functions.push_back(function("miniElementReadable",
                                 {count(), buffers_of_buffers("blobs", "const unsigned char **", "count", D::In,
                                                              "min(readable(blobs), 16)")}));
  s.functions.push_back(function("miniElementUnknownParam",
                                 {count(), buffers_of_buffers("blobs", "const unsigned char **", "count", D::In,
                                                              "sizes[i]")}));
  s.functions.push_back(function("miniElementVoid", {count(), lengths(),
                                                     buffers_of_buffers("blobs", "void **", "count", D::In,
                                                                        "lengths[i]", spec::SizeUnit::Elements)}));
  // lengths[i] with lengths a single element cannot give a size per element.
  s.functions.push_back(function("miniElementFromElement",
                                 {count(), param("len", "const size_t *", K::Element),
                                  buffers_of_buffers("blobs", "const unsigned char **", "count", D::In, "len[i]")}));
  auto g = generate(s, "nested");
  CHECK(g.reason("miniStore").empty());
  CHECK(g.reason("miniNoElementSize") == "the buffers blobs points to have no size (element size)");
  CHECK(g.reason("miniOuterI") == "size of blobs ('lengths[i]') uses i, which only the size of an element may");
  CHECK(g.reason("miniOutOuter").find("buffer of buffers blobs must be an input") == 0);
  CHECK(g.reason("miniElementReadable") == "element size of blobs uses readable()");
  CHECK(g.reason("miniElementUnknownParam").find("refers to unknown parameter 'sizes'") != std::string::npos);
  CHECK(g.reason("miniElementUnknownParam").find("blobs") != std::string::npos);
  CHECK(g.reason("miniElementVoid").find("element size of blobs is in elements of an unknown type") == 0);
  CHECK(g.reason("miniElementFromElement").find("is a single element") != std::string::npos);
  CHECK(g.report.supported == 1);
  // The one remoted: the server checks that lengths holds a size for every element
  // and that every inner buffer sent holds the bytes its own size asks for.
  CHECK(g.server.find("its elements' sizes read lengths[i]") != std::string::npos);
  CHECK(g.server.find("remora::index_or_zero(lengths, rm_i)") != std::string::npos);
  CHECK(g.server.find("elements sent, exactly %lld required") != std::string::npos);
  CHECK(g.guest.find("remora::pointer_at(blobs, rm_i)") != std::string::npos);
}

TEST_CASE(
    "strings given by lengths[i] or their NUL: sent exactly, refused with a reason when they do "
    "not match",
    "[codegen][generator][nested][optional-lengths]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  auto count = [] { return param("count", "unsigned int", K::Value); };
  auto lengths = [] {
    auto p = param("lengths", "const size_t *", K::Buffer, D::In, "count");
    p.ann.nullable = true;
    return p;
  };
  auto sources = [](const std::string& size) {
    auto p = buffers_of_buffers("strings", "const char **", "count", D::In, size);
    p.ann.element->kind = K::String;
    return p;
  };
  const std::string idiom = "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1";
  s.functions.push_back(function("miniSources", {count(), sources(idiom), lengths()}));
  // strlen() of another array's element: the server holds no bound for it.
  s.functions.push_back(function(
      "miniOtherStrlen", {count(), param("names", "const char **", K::Buffer, D::In, "count"),
                          sources("strlen(names[i]) + 1")}));
  // strlen() of elements that are not char strings.
  auto blobs = buffers_of_buffers("blobs", "const unsigned short **", "count", D::In,
                                  "strlen(blobs[i]) + 1");
  s.functions.push_back(function("miniWideStrlen", {count(), blobs}));
  auto g = generate(s, "sources");
  CHECK(g.reason("miniSources").empty());
  CHECK(g.reason("miniWideStrlen") ==
        "element size of blobs measures its elements with strlen(), but they are not char strings");
  CHECK(g.reason("miniOtherStrlen") ==
        "element size of strings: strlen(names[i]) may only measure strings's own elements "
        "(strlen(strings[i]))");
  // The guest tests the pointer for NULL (not a never-NULL stand-in) and measures the
  // program's string only in the NUL-terminated arm.
  CHECK(g.guest.find("(lengths != nullptr)") != std::string::npos);
  CHECK(g.guest.find("std::strlen(static_cast<const char*>(rm_e))") != std::string::npos);
  // The server measures what arrived, never past it, names an element without its NUL,
  // wants every element exactly its size, and lets lengths be NULL (the size tests it).
  CHECK(
      g.server.find(
          "remora::strlen_within(rm_ep_strings[rm_i], rm_ec_strings[rm_i] * 1, rm_unterminated)") !=
      std::string::npos);
  CHECK(g.server.find("is NUL-terminated by its size, but no NUL is within the %llu bytes sent") !=
        std::string::npos);
  CHECK(g.server.find("elements sent, exactly %lld required") != std::string::npos);
  CHECK(g.server.find("if (rm_n_strings && (lengths && rm_n_lengths < rm_n_strings))") !=
        std::string::npos);
}

TEST_CASE("readable() bounds only the input buffer it names", "[codegen][generator][readable]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  auto in = function("miniChecksum", {param("data", "const void *", K::Buffer, D::In, "min(readable(data), hint)"),
                                      param("hint", "size_t", K::Value)});
  in.params[0].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(in);
  auto out = function("miniFillOut", {param("data", "void *", K::Buffer, D::Out, "min(readable(data), hint)"),
                                      param("hint", "size_t", K::Value)});
  out.params[0].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(out);
  auto inout = function("miniFillInOut", {param("data", "void *", K::Buffer, D::InOut, "min(readable(data), hint)"),
                                          param("hint", "size_t", K::Value)});
  inout.params[0].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(inout);
  auto other = function("miniOtherReadable", {param("a", "const void *", K::Buffer, D::In, "min(readable(b), n)"),
                                              param("b", "const void *", K::Buffer, D::In, "n"),
                                              param("n", "size_t", K::Value)});
  other.params[0].ann.size_unit = other.params[1].ann.size_unit = spec::SizeUnit::Bytes;
  s.functions.push_back(other);
  // A `when` clause that makes the buffer an output refuses only those calls.
  auto when = function("miniMaybeOut", {param("mode", "int", K::Value),
                                        param("data", "void *", K::Buffer, D::In, "min(readable(data), hint)"),
                                        param("hint", "size_t", K::Value)});
  when.params[1].ann.size_unit = spec::SizeUnit::Bytes;
  spec::When w;
  w.condition = "mode == 2";
  w.overrides.direction = D::Out;
  when.params[1].when.push_back(w);
  s.functions.push_back(when);
  auto g = generate(s, "readable");
  CHECK(g.reason("miniChecksum").empty());
  CHECK(g.reason("miniFillOut") == "size of data uses readable(), which only bounds input buffers");
  CHECK(g.reason("miniFillInOut") == "size of data uses readable(), which only bounds input buffers");
  CHECK(g.reason("miniOtherReadable") == "size of a: readable(b) may only size b itself");
  CHECK(g.reason("miniMaybeOut").empty());
  CHECK(g.warned("miniMaybeOut: calls where (mode == 2) return an error: size of data uses readable()"));
  // The guest measures its own memory; the server uses what the guest sent.
  CHECK(g.guest.find("remora::guest::readable_bytes(data)") != std::string::npos);
  CHECK(g.server.find("(rm_n_data * 1)") != std::string::npos);
}

TEST_CASE("query() must name an info query of the spec", "[codegen][generator][query]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  s.functions.push_back(info_query("miniGetInfo"));
  // Not an info query: the parameters after the leading ones are (count, values, result).
  s.functions.push_back(function("miniSum", {param("obj", "int", K::Value), param("count", "unsigned int", K::Value),
                                             param("values", "const int *", K::Buffer, D::In, "count"),
                                             param("result", "long long *", K::Element, D::Out)}));
  auto unsupported = info_query("miniHiddenInfo");
  unsupported.supported = false;
  unsupported.unsupported_reason = "private";
  s.functions.push_back(unsupported);
  auto reader = [](const std::string& name, const std::string& size) {
    auto f = function(name, {param("obj", "int", K::Value),
                             param("out", "void *", K::Buffer, D::Out, size)});
    f.params[1].ann.size_unit = spec::SizeUnit::Bytes;
    return f;
  };
  s.functions.push_back(reader("miniReadSized", "query(miniGetInfo, obj, MINI_SIZE)"));
  s.functions.push_back(reader("miniReadNotInfo", "query(miniSum, obj)"));
  s.functions.push_back(reader("miniReadNoSuch", "query(miniNowhere, obj)"));
  s.functions.push_back(reader("miniReadHidden", "query(miniHiddenInfo, obj, MINI_SIZE)"));
  // Too few leading arguments: what follows is (what, value_size, ...), not an info query's tail.
  s.functions.push_back(reader("miniReadTooFew", "query(miniGetInfo, obj)"));
  // A size function: one integer written through its last parameter is the answer.
  s.functions.push_back(function("miniGetOutSize", {param("obj", "int", K::Value), param("size", "size_t *", K::Element, D::Out)}));
  s.functions.push_back(reader("miniReadBySize", "query(miniGetOutSize, obj)"));
  auto named = param("name", "const char **", K::Element, D::Out);
  spec::Annotation text;
  text.kind = K::String;
  named.ann.element = spec::Box<spec::Annotation>(text);
  s.functions.push_back(function("miniGetName", {param("obj", "int", K::Value), named}));
  s.functions.push_back(reader("miniReadByName", "query(miniGetName, obj)"));
  auto g = generate(s, "query");
  CHECK(g.reason("miniReadSized").empty());
  CHECK(g.reason("miniReadBySize").empty());
  CHECK(g.reason("miniReadByName") ==
        "size of out: query(miniGetName, ...): miniGetName writes no integer through its last parameter");
  CHECK(g.guest.find("rm_query_miniGetOutSize_1(obj, 0)") != std::string::npos);
  CHECK(g.server.find("real_miniGetOutSize(a0, &rm_v)") != std::string::npos);
  CHECK(g.reason("miniReadNotInfo") ==
        "size of out: query(miniSum, ...): the parameters of miniSum after the 1 given are not "
        "(value size, value, size needed), nor one integer it writes");
  CHECK(g.reason("miniReadNoSuch") == "size of out: query(miniNowhere, ...): no function miniNowhere in the spec");
  CHECK(g.reason("miniReadHidden") == "size of out: query(miniHiddenInfo, ...): miniHiddenInfo is not remoted");
  CHECK(g.reason("miniReadTooFew").find("the parameters of miniGetInfo after the 1 given are not") !=
        std::string::npos);
  // Both sides get a helper: the guest calls through its own stub, the server the real function.
  CHECK(g.guest.find("long long rm_query_miniGetInfo_2(") != std::string::npos);
  CHECK(g.guest.find("(::miniGetInfo)(a0, a1,") != std::string::npos);
  CHECK(g.guest.find("remora::guest::InternalCall rm_scope;") != std::string::npos);
  CHECK(g.server.find("long long rm_query_miniGetInfo_2(") != std::string::npos);
  CHECK(g.server.find("real_miniGetInfo(a0, a1,") != std::string::npos);
  CHECK(g.guest.find("rm_query_miniGetInfo_2(obj, MINI_SIZE, 0)") != std::string::npos);
}

TEST_CASE("a spec is input, not code: names are refused, predicates and text never become code",
          "[codegen][generator][hostile]") {
  codegen::GenerateOptions opt;
  opt.out_dir = (fs::temp_directory_path() / ("remora-gen-hostile-" + std::to_string(getpid()))).string();
  codegen::GenerateReport report;
  std::string error;
  SECTION("a function, parameter or type spelling that is not C is refused before anything is written") {
    auto s = mini_spec();
    s.functions[0].name = "miniNoSize(void); int x = system(\"id\"); int y";
    CHECK_FALSE(codegen::generate_stack(s, opt, report, error));
    CHECK(error.find("is not a C identifier") != std::string::npos);
    s = mini_spec();
    s.functions[0].params[0].type = "int)system((char*)";
    CHECK_FALSE(codegen::generate_stack(s, opt, report, error));
    CHECK(error.find("is not a C type name") != std::string::npos);
    CHECK_FALSE(fs::exists(opt.out_dir));
  }
  SECTION("predicates are emitted from their parse tree; free text stays inside comments and literals") {
    auto s = mini_spec();
    auto& copy = s.functions[4];  // miniCopy(mode, data) with a when clause
    auto async = function("miniAsync", {param("mode", "int", spec::Kind::Value)});
    async.ret.type = "mini_status";
    async.sync.mode = spec::Sync::Mode::AsyncIf;
    async.sync.condition = "mode == 0 || system(\"id\")";
    s.functions.push_back(async);
    copy.params[1].when[0].condition = "mode==1) { system(\"id\"); } if (1";
    s.functions[0].unsupported_reason = "x\\\nsystem(\"id\");\n%n%n";
    s.functions[0].supported = false;
    auto g = generate(s, "hostile");
    // Every line that mentions system( is a comment or holds it inside an escaped literal.
    for (const std::string* text : {&g.guest, &g.server}) {
      std::istringstream lines(*text);
      for (std::string line; std::getline(lines, line);) {
        if (line.find("system(") == std::string::npos) continue;
        INFO(line);
        auto code = line.find_first_not_of(' ');
        bool comment = line.compare(code, 2, "//") == 0;
        bool literal = line.find("system(\"id\")") == std::string::npos;  // its quotes are escaped
        CHECK((comment || literal));
        if (comment) CHECK(line.back() != '\\');
      }
    }
    CHECK(g.reason("miniCopy").find("is not a predicate") != std::string::npos);
    CHECK(g.warned("miniAsync: async_if"));
    // The reason is one comment line and an escaped literal, never a format string.
    CHECK(g.guest.find("\nsystem") == std::string::npos);
    CHECK(g.guest.find("// ") != std::string::npos);
    CHECK(g.guest.find("namespace rm_spec_types") != std::string::npos);
  }
  fs::remove_all(opt.out_dir);
}

TEST_CASE("the server decides a call's mode from its arguments and counts retained references",
          "[codegen][generator][hardening]") {
  using K = spec::Kind;
  auto s = mini_spec_with_handle_type();
  // A read whose async_if holds for blocking == 0.
  auto read = function("miniRead", {param("obj", "mini_obj", K::Handle), param("blocking", "int", K::Value),
                                    param("dst", "void *", K::Buffer, spec::Direction::Out, "16")});
  read.params[2].ann.size_unit = spec::SizeUnit::Bytes;
  read.ret.type = "mini_status";
  read.sync.mode = spec::Sync::Mode::AsyncIf;
  read.sync.condition = "blocking == 0";
  s.functions.push_back(read);
  // Retain: the docs say it neither creates nor releases the object (a reference).
  auto retain = function("miniRetain", {param("obj", "mini_obj", K::Handle)});
  retain.ret.type = "mini_status";
  spec::Evidence says;
  says.source = spec::EvidenceSource::Docs;
  says.says.allocates = false;
  says.says.deallocates = false;
  retain.params[0].evidence.push_back(says);
  s.functions.push_back(retain);
  auto release = function("miniRelease", {param("obj", "mini_obj", K::Handle)});
  release.ret.type = "mini_status";
  release.params[0].ann.deallocates = true;
  s.functions.push_back(release);
  auto g = generate(s, "mode");
  const auto mode = g.server.find("const bool rm_nonblocking = static_cast<bool>(");
  REQUIRE(mode != std::string::npos);
  CHECK(g.server.substr(mode, 80).find("blocking == 0") != std::string::npos);
  // May skip its reply only when its own arguments make it non-blocking.
  // And when they make it blocking, its command was done when the library returned (which
  // retires earlier work on an in-order object).
  CHECK(g.server.find("rm.set_call_mode(rm_nonblocking, rm_nonblocking, !rm_nonblocking)") !=
        std::string::npos);
  CHECK(g.server.find("rm.set_call_mode(false, ") != std::string::npos);  // the others: from the plan
  CHECK(g.server.find("rm.retain_handle(remora::to_u64(obj))") != std::string::npos);
  CHECK(g.server.find("rm.drop_handle(remora::to_u64(obj))") != std::string::npos);
}

TEST_CASE("memory kept by an object is remoted only for an object the call returns",
          "[codegen][generator][retained]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec_with_handle_type();
  // miniWrap(data, n) returns the object that keeps data: remoted, the copy bound to it.
  auto wrap = function("miniWrap", {param("data", "void *", K::Buffer, D::In, "n"), param("n", "size_t", K::Value)});
  wrap.params[0].ann.size_unit = spec::SizeUnit::Bytes;
  wrap.params[0].ann.retain = "object";
  wrap.ret.type = "mini_obj";
  s.functions.push_back(wrap);
  // miniWrapOut(data, n, &obj) makes it through an out parameter: nothing would keep the copy.
  auto wrap_out = wrap;
  wrap_out.name = "miniWrapOut";
  wrap_out.params.push_back(param("obj", "mini_obj *", K::Handle, D::Out));
  wrap_out.ret.type = "mini_status";
  s.functions.push_back(wrap_out);
  auto g = generate(s, "retain-out");
  CHECK(g.reason("miniWrap").empty());
  CHECK(g.server.find("rm.retain_bind(remora::to_u64(rm_result))") != std::string::npos);
  CHECK(g.reason("miniWrapOut").find("retain: object") != std::string::npos);
}

TEST_CASE("an input the program keeps until the command completes is offered in place even without a reply",
          "[codegen][generator][retained]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec_with_handle_type();
  // miniWrite(obj, blocking, data, n): non-blocking when blocking == 0; data kept until done.
  auto write = function("miniWrite", {param("obj", "mini_obj", K::Handle), param("blocking", "int", K::Value),
                                      param("data", "const void *", K::Buffer, D::In, "n"),
                                      param("n", "size_t", K::Value)});
  write.params[2].ann.size_unit = spec::SizeUnit::Bytes;
  write.params[2].ann.retain = "command";
  write.sync.mode = spec::Sync::Mode::AsyncIf;
  write.sync.condition = "blocking == 0";
  write.ret.type = "mini_status";
  s.functions.push_back(write);
  auto copy = write;  // the same call whose input the program may reuse at once
  copy.name = "miniWriteCopied";
  copy.params[2].ann.retain.clear();
  s.functions.push_back(copy);
  auto g = generate(s, "retain-command");
  CHECK(g.reason("miniWrite").empty());
  CHECK(g.reason("miniWriteCopied").empty());
  const std::size_t kept = g.guest.find("rm_call.input_kept_until_done(data)");
  CHECK(kept != std::string::npos);
  CHECK(g.guest.find("rm_call.input_kept_until_done(data)", kept + 1) == std::string::npos);  // miniWrite's only
}

TEST_CASE("a conditional size may compare with API constants; other unknown names are refused",
          "[codegen][generator]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  s.functions.push_back(function(
      "miniMatrix", {param("order", "int", K::Value), param("m", "int", K::Value), param("n", "int", K::Value),
                     param("a", "const double *", K::Buffer, D::In,
                           "order == MINI_ROW_MAJOR ? (m > 0 ? (m - 1) * lda + n : 0) : (n > 0 ? (n - 1) * lda + m : 0)"),
                     param("lda", "int", K::Value)}));
  s.functions.push_back(function("miniConstantArm", {param("order", "int", K::Value),
                                                     param("a", "const double *", K::Buffer, D::In,
                                                           "order == 1 ? MINI_ROW_MAJOR : 2")}));
  std::string dir = (fs::temp_directory_path() / ("remora-gen-cond-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  std::string unsupported;
  for (const auto& u : report.unsupported) unsupported += u + "\n";
  INFO(unsupported);
  CHECK(unsupported.find("miniMatrix") == std::string::npos);
  CHECK(unsupported.find("miniConstantArm: size of a ('order == 1 ? MINI_ROW_MAJOR : 2') refers to unknown "
                         "parameter 'MINI_ROW_MAJOR'") != std::string::npos);
  // Both sides compute the size from the tree, the constant as the API header spells it.
  CHECK(test::read_file(dir + "/server/server.cpp").find("(order == MINI_ROW_MAJOR) ?") != std::string::npos);
  CHECK(test::read_file(dir + "/guest/guest.cpp").find("(order == MINI_ROW_MAJOR) ?") != std::string::npos);
  fs::remove_all(dir);
}

// Sizes are computed in checked 64-bit arithmetic on both sides (runtime/remora_size.h),
// and a function declared noreturn is refused: its stub aborts instead of returning.
TEST_CASE("sizes are emitted as checked arithmetic; noreturn functions are refused", "[codegen][generator][size]") {
  spec::Spec s;
  s.api.name = "Mini";
  s.api.headers = {"mini.h"};
  s.types.push_back(status_type("mini_status", "MINI_OK", "MINI_GONE"));
  using K = spec::Kind;
  s.functions.push_back(function("miniStrided", {param("rows", "int", K::Value), param("ld", "int", K::Value),
                                                 param("m", "const float *", K::Buffer, spec::Direction::In,
                                                       "rows > 0 ? (rows - 1) * ld + min(ld, 4) : 0")}));
  auto fatal = ::function("miniFatal", "void", {param("why", "const char *", K::String)});
  fatal.noreturn = true;
  s.functions.push_back(fatal);
  std::string dir = (fs::temp_directory_path() / ("remora-gen-size-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  std::string server = test::read_file(dir + "/server/server.cpp");
  const std::string size =
      "((rows > 0) ? remora::sz((remora::sz((remora::sz((remora::sz(rows) - remora::sz(1))) * remora::sz(ld))) + "
      "remora::sz(remora::size_min(remora::sz(ld), remora::sz(4))))) : remora::sz(0))";
  CHECK(guest.find(size) != std::string::npos);
  CHECK(server.find(size) != std::string::npos);
  CHECK(server.find("remora::size_problem(rm_need)") != std::string::npos);
  bool refused = false;
  for (const auto& u : report.unsupported)
    refused |= u.rfind("miniFatal: declared noreturn", 0) == 0;
  CHECK(refused);
  CHECK(guest.find("remora::guest::abort_call(\"miniFatal\"") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("a value no `when` clause matches is refused where the clauses change what the pointer is",
          "[codegen][generator][when]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  // miniCopy(dst, src, count, kind): as cudaMemcpy is inferred, each pointer is an opaque
  // device value by default and host memory for some kinds.
  auto copy_like = [&](const std::string& name) {
    auto f = function(name, {param("dst", "void *", K::Opaque), param("src", "const void *", K::Opaque),
                             param("count", "size_t", K::Value), param("kind", "int", K::Value)});
    spec::When to_host;
    to_host.condition = "kind == 2";
    to_host.overrides.kind = K::Buffer;
    to_host.overrides.direction = D::Out;
    to_host.overrides.size = "count";
    to_host.overrides.size_unit = spec::SizeUnit::Bytes;
    f.params[0].when.push_back(to_host);
    spec::When from_host;
    from_host.condition = "kind == 1";
    from_host.overrides.kind = K::Buffer;
    from_host.overrides.size = "count";
    from_host.overrides.size_unit = spec::SizeUnit::Bytes;
    f.params[1].when.push_back(from_host);
    f.ret.type = "mini_status";
    return f;
  };
  s.functions.push_back(copy_like("miniCopy"));
  // The same with a last clause that always holds: the spec says the base applies.
  auto explicit_base = copy_like("miniCopyBase");
  for (auto& p : explicit_base.params)
    if (!p.when.empty()) {
      spec::When always;
      always.condition = "1";
      p.when.push_back(always);
    }
  s.functions.push_back(explicit_base);
  // Clauses that change only the direction of host memory: the base stays safe.
  auto direction_only = function("miniFill", {param("mode", "int", K::Value),
                                              param("data", "void *", K::Buffer, D::In, "16")});
  direction_only.params[1].ann.size_unit = spec::SizeUnit::Bytes;
  spec::When out;
  out.condition = "mode == 1";
  out.overrides.direction = D::Out;
  direction_only.params[1].when.push_back(out);
  s.functions.push_back(direction_only);

  auto g = generate(s, "when-unmatched");
  CHECK(g.reason("miniCopy").empty());  // supported: only the unmatched values fail
  CHECK(g.warned("miniCopy: calls no `when` clause of dst matches return an error: no `when` clause matches, and "
                 "the clauses (kind == 2) make dst memory the stack copies"));
  CHECK(g.warned("miniCopy: calls no `when` clause of src matches return an error"));
  CHECK_FALSE(g.warned("miniCopyBase: calls no `when` clause"));
  CHECK_FALSE(g.warned("miniFill: calls no `when` clause"));
  // Both sides refuse: the guest with the reason on stderr and the error value, the
  // server (a hostile guest may send the value anyway) with an error reply.
  CHECK(g.guest.find("log_unsupported_once(\"miniCopy for dst\"") != std::string::npos);
  CHECK(g.guest.find("log_unsupported_once(\"miniCopyBase for") == std::string::npos);
  CHECK(g.server.find("not remoted when %s\", \"miniCopy.dst\", \"other values (no `when` clause matches") !=
        std::string::npos);
}

namespace {
// The quoted or numeric entries of a generated `NAME[] = { ... };` table, in order.
std::vector<std::string> generated_table(const std::string& code, const std::string& name) {
  std::vector<std::string> out;
  auto at = code.find(name + "[] = {");
  if (at == std::string::npos) return out;
  std::istringstream lines(code.substr(at, code.find("};", at) - at));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    line.erase(0, line.find_first_not_of(' '));
    if (line.empty() || line.rfind("//", 0) == 0) continue;
    out.push_back(line.substr(0, line.find(',')));
  }
  return out;
}
}  // namespace

// Work queued on an object a barrier takes may outlive its call (the server keeps a
// released object's memory until a barrier names that object): the generator marks the
// handle types barrier functions take, from the spec, and no other.
TEST_CASE("the handle types a barrier takes are marked waitable for the server",
          "[codegen][generator]") {
  auto load = spec::load_spec_file(TOY_SPEC);
  REQUIRE(load.ok());
  std::string dir =
      (fs::temp_directory_path() / ("remora-waitable-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(load.spec, opt, report, error));
  const std::string server = test::read_file(dir + "/server/server.cpp");
  fs::remove_all(dir);
  const auto types = generated_table(server, "kHandleTypes");
  const auto waitable = generated_table(server, "kWaitableTypes");
  REQUIRE(types.size() == waitable.size());
  REQUIRE(types.size() > 2);
  for (std::size_t i = 0; i < types.size(); ++i) {
    INFO(types[i]);
    CHECK(waitable[i] ==
          (types[i] == "\"toy_queue\"" ? "1" : "0"));  // toyFinish(queue) is the barrier
  }
  CHECK(server.find("  kWaitableTypes,\n") !=
        std::string::npos);  // handed to the runtime in ApiInfo
}

TEST_CASE("a string pointer the library writes travels as text; one it does not write stays the program's",
          "[codegen][generator][out-string]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  auto described = [](D direction) {
    auto p = param("description", "const char **", K::Element, direction);
    spec::Annotation text;
    text.kind = K::String;
    p.ann.element = spec::Box<spec::Annotation>(text);
    return p;
  };
  s.functions.push_back(function("miniDescribe", {param("status", "int", K::Value), described(D::Out)}));
  s.functions.push_back(function("miniRename", {param("status", "int", K::Value), described(D::InOut)}));
  auto g = generate(s, "out-string");
  CHECK(g.reason("miniDescribe").empty());
  CHECK(g.reason("miniRename") ==
        "element description is a string pointer the library reads (only one it writes is remoted)");
  // The guest keeps a copy that outlives the call; the server sends the text only when
  // the library replaced the marker it started from.
  CHECK(g.guest.find("remora::guest::intern(rm_s)") != std::string::npos);
  CHECK(g.server.find("*static_cast<const char**>(rm_m) = remora::unwritten_string();") != std::string::npos);
  CHECK(g.server.find("remora::elem_at(description, 0) != remora::unwritten_string()") != std::string::npos);
}

TEST_CASE("a handle taken back through a pointer is checked, forgotten once released, and released at disconnect",
          "[codegen][generator][release]") {
  using K = spec::Kind;
  using D = spec::Direction;
  auto s = mini_spec();
  s.functions.clear();
  spec::Type obj;
  obj.name = "mini_obj";
  obj.kind = spec::TypeKind::Handle;
  obj.underlying = "struct mini_obj_s *";
  s.types.push_back(obj);
  auto created = param("out", "mini_obj *", K::Element, D::Out);
  spec::Annotation handle;
  handle.kind = K::Handle;
  created.ann.element = spec::Box<spec::Annotation>(handle);
  created.ann.allocates = true;
  s.functions.push_back(function("miniCreate", {created}));
  auto taken = param("obj", "mini_obj *", K::Element, D::In);
  taken.ann.element = spec::Box<spec::Annotation>(handle);
  taken.ann.deallocates = true;
  s.functions.push_back(function("miniDestroy", {taken}));
  auto g = generate(s, "release");
  CHECK(g.reason("miniDestroy").empty());
  // Read before the call (the library may clear the variable), checked, dropped on success.
  CHECK(g.server.find("const std::uint64_t rm_released_obj = rm_has_obj ? remora::to_u64(remora::elem_at(obj, 0)) : 0;") !=
        std::string::npos);
  CHECK(g.server.find("if (rm_released_obj && !rm.check_release(rm_released_obj, \"miniDestroy.obj\")) return false;") !=
        std::string::npos);
  CHECK(g.server.find("rm.drop_handle(rm_released_obj);") != std::string::npos);
  // What a guest leaves behind is destroyed through a pointer to it.
  CHECK(g.server.find("real_miniDestroy(&rm_h);") != std::string::npos);
}

TEST_CASE("a printf-style callback is refused with a reason, not generated", "[codegen][generator][callback]") {
  using K = spec::Kind;
  auto s = mini_spec();
  s.functions.clear();
  s.functions.push_back(function("miniSetErrorHandler", {param("ctx", "void *", K::Userdata),
                                                         param("handler", "void (*)(void *, const char *, ...)", K::Callback)}));
  auto g = generate(s, "variadic-callback");
  CHECK(g.reason("miniSetErrorHandler").empty());  // NULL goes through; a handler given is refused
  CHECK(g.warned("is variadic: the arguments after '...' cannot be marshalled"));
  CHECK(g.guest.find("remove_const_t<...>") == std::string::npos);
}

TEST_CASE("a function the header declares with C++ linkage is defined under its C symbol by a label",
          "[codegen][generator]") {
  using K = spec::Kind;
  auto s = mini_spec();
  s.functions.clear();
  auto outside = function("miniOutside", {param("a", "int", K::Value)});
  outside.cxx_linkage = true;  // declared after the header's extern "C" block (ALSA's error.h)
  s.functions.push_back(outside);
  s.functions.push_back(function("miniInside", {param("a", "int", K::Value)}));
  std::string dir = (fs::temp_directory_path() / ("remora-gen-link-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  codegen::GenerateReport report;
  std::string error;
  REQUIRE(codegen::generate_stack(s, opt, report, error));
  std::string guest = test::read_file(dir + "/guest/guest.cpp");
  // Declared with the label first, then defined under the local name; the header's own
  // declaration (C++ linkage) names another function, so the two do not conflict.
  CHECK(guest.find("REMORA_EXPORT int (remora_c_miniOutside)(int a) __asm__(\"miniOutside\");") != std::string::npos);
  CHECK(guest.find("REMORA_EXPORT int (remora_c_miniOutside)(int a) {") != std::string::npos);
  CHECK(guest.find("REMORA_EXPORT int (miniInside)(int a) {") != std::string::npos);
  CHECK(guest.find("__asm__(\"miniInside\")") == std::string::npos);
  fs::remove_all(dir);
}
