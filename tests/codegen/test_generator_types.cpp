// Unit tests of how the generator reads C types (typedef chains, arrays, function
// pointers, structs holding pointers) and what a call that cannot be made does.
#include <catch2/catch.hpp>
#include <filesystem>

#include "c_type.h"
#include "remora/spec/json_io.h"
#include "remora/codegen/generate.h"
#include "generated_text.h"
#include "spec_builders.h"
#include "stack_fixture.h"

using namespace remora;
namespace fs = std::filesystem;
using codegen::CType;

namespace {

spec::Type alias(const std::string& name, const std::string& underlying, spec::TypeKind kind = spec::TypeKind::Alias) {
  spec::Type t;
  t.name = name;
  t.kind = kind;
  t.underlying = underlying;
  return t;
}

spec::Type structure(const std::string& name, std::vector<std::pair<std::string, std::string>> fields) {
  spec::Type t;
  t.name = name;
  t.kind = spec::TypeKind::Struct;
  for (auto& [n, ty] : fields) t.fields.push_back({n, ty});
  return t;
}

// A zlib/Vulkan-like API: pointer typedefs, a stream struct holding pointers, a flat
// struct, handles, a proc-address function, a function-like macro shadowing a function.
spec::Spec typed_spec() {
  using K = spec::Kind;
  using D = spec::Direction;
  spec::Spec s;
  s.api.name = "Typed";
  s.api.headers = {"typed.h"};
  s.types.push_back(alias("Bytef", "unsigned char"));
  s.types.push_back(structure("stream_s", {{"next_in", "Bytef *"}, {"avail_in", "unsigned int"}}));
  s.types.push_back(alias("stream", "struct stream_s"));
  s.types.push_back(alias("streamp", "stream *"));
  s.types.push_back(structure("point_s", {{"x", "int"}, {"y", "int"}, {"dev", "dev_t"}}));
  s.types.push_back(alias("pointp", "struct point_s *"));
  s.types.push_back(structure("outer_s", {{"inner", "struct stream_s[2]"}}));
  s.types.push_back(alias("dev_t", "struct dev_T *", spec::TypeKind::Handle));
  s.types.push_back(alias("PFN_void", "void (*)(void)"));
  spec::Type ret_error = alias("res_t", "int");
  ret_error.error = "RES_FAILED";
  s.types.push_back(ret_error);
  s.functions.push_back(function("streamRun", "int", {param("strm", "streamp", K::Element, D::InOut)}));
  s.functions.push_back(function("pointMove", "res_t", {param("p", "pointp", K::Element, D::InOut)}));
  s.functions.push_back(function("streamInit", "int", {param("strm", "streamp", K::Element, D::InOut)}));
  s.functions.back().ret.ann.error = "-7";
  s.functions.push_back(function("outerUse", "res_t", {param("o", "const struct outer_s *", K::Element)}));
  s.functions.push_back(function("byValue", "res_t", {param("s", "stream", K::Value)}));
  s.functions.push_back(function("getProc", "PFN_void", {param("d", "dev_t", K::Handle), param("name", "const char *", K::String)}));
  s.functions.push_back(function("getProcNoName", "PFN_void", {param("d", "dev_t", K::Handle)}));
  s.functions.push_back(function("fill", "void", {param("dst", "void *", K::Opaque), param("n", "int", K::Value)}));
  s.functions.push_back(function("vprint", "void", {param("fmt", "const char *", K::String)}));
  s.functions.back().variadic = true;
  s.functions.push_back(function("pairs", "res_t", {param("v", "const int[2]", K::Buffer, D::In, "2")}));
  s.functions.push_back(function("retParam", "res_t", {param("ret", "int *", K::Element, D::Out)}));
  s.functions.push_back(function("rmParam", "res_t", {param("rm_w", "int", K::Value)}));
  s.functions.push_back(function("rmExact", "res_t", {param("rm", "int", K::Value)}));  // Z3's rounding mode
  s.functions.push_back(function("onLog", "res_t",
                                 {param("fn", "void (*)(void *, char *)", K::Callback), param("ud", "void *", K::Userdata)}));
  return s;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
bool listed(const std::vector<std::string>& list, const std::string& prefix) {
  for (const auto& s : list)
    if (s.rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("C type spellings parse into pointers, arrays and function types", "[codegen][types]") {
  auto t = codegen::parse_c_type("const char *const *");
  REQUIRE(t->kind == CType::Kind::Pointer);
  CHECK(t->is_const == false);
  REQUIRE(t->inner->kind == CType::Kind::Pointer);
  CHECK(t->inner->is_const);
  CHECK(t->inner->inner->name == "char");
  CHECK(t->inner->inner->is_const);

  auto a = codegen::parse_c_type("const VkOp[2]");
  REQUIRE(a->kind == CType::Kind::Array);
  CHECK(a->extent == 2);
  CHECK(a->inner->name == "VkOp");

  auto f = codegen::parse_c_type("void (CL_CALLBACK *)(cl_program program, void *user_data)");
  REQUIRE(f->kind == CType::Kind::Pointer);
  REQUIRE(f->inner->kind == CType::Kind::Function);
  REQUIRE(f->inner->args.size() == 2);
  CHECK(f->inner->args[0]->name == "cl_program");
  CHECK(f->inner->args[1]->kind == CType::Kind::Pointer);

  auto sig = codegen::parse_c_type("int (void *, unsigned char *, unsigned int)");
  REQUIRE(sig->kind == CType::Kind::Function);
  CHECK(sig->args.size() == 3);
  CHECK(sig->args[2]->name == "unsigned int");
  CHECK(codegen::parse_c_type("struct z_stream_s *")->inner->name == "z_stream_s");
  CHECK(codegen::parse_c_type("unsigned long long")->name == "unsigned long long");
  CHECK(codegen::parse_c_type("int (const char *, ...)")->variadic);
  // A C++ header's qualified name is one name (cxx_api.hpp's std::size_t).
  CHECK(codegen::parse_c_type("const std::size_t *")->inner->name == "std::size_t");
  CHECK(codegen::parse_c_type("::ns::handle_t")->name == "::ns::handle_t");
}

TEST_CASE("typedefs resolve to what they name: pointers, structs, function pointers, handles", "[codegen][types]") {
  spec::Spec s = typed_spec();
  codegen::TypeModel types(s);
  CHECK(types.is_pointer("streamp"));
  REQUIRE(types.pointee("streamp"));
  CHECK(types.struct_type(*types.pointee("streamp"))->name == "stream_s");
  CHECK(types.function_pointer("PFN_void"));
  CHECK(!types.is_pointer("stream"));
  CHECK(types.handle(*codegen::parse_c_type("dev_t")));
  CHECK(types.pointer_depth("const char *const *") == 2);
  CHECK(types.flat_copy_blocker(codegen::parse_c_type("stream")) == "field stream_s.next_in (Bytef *) is a pointer");
  CHECK(types.flat_copy_blocker(codegen::parse_c_type("struct unlisted")) ==
        "the fields of struct unlisted are not in the spec, so it may hold pointers");
  CHECK(types.flat_copy_blocker(codegen::parse_c_type("struct point_s")).empty());  // a handle field is an identity
  CHECK(types.flat_copy_blocker(codegen::parse_c_type("struct outer_s")).find("stream_s.next_in") != std::string::npos);
  CHECK(types.error_value("res_t") == "RES_FAILED");
}

TEST_CASE("structs holding pointers are never copied flat: the reason names the field", "[codegen][types]") {
  Generated g = generate(typed_spec(), "types");
  CHECK(contains(g.reason("streamRun"), "parameter strm points to stream_s, which cannot be copied as bytes: field "
                                        "stream_s.next_in (Bytef *) is a pointer"));
  CHECK(contains(g.reason("outerUse"), "in field outer_s.inner: field stream_s.next_in (Bytef *) is a pointer"));
  CHECK(contains(g.reason("byValue"), "struct passed by value that cannot be copied as bytes: field stream_s.next_in"));
  // A pointer typedef to a struct of plain values and handles is remoted as one element.
  CHECK(g.reason("pointMove").empty());
  CHECK(contains(g.guest, "REMORA_EXPORT res_t (pointMove)(pointp p)"));
  // A parameter may not take a name the generated code uses for itself.
  CHECK(g.reason("retParam").empty());  // the generated code's result is rm_result
  CHECK(contains(g.reason("rmParam"), "parameter name 'rm_w' collides with the generated code's names"));
  CHECK(contains(g.reason("rmExact"), "parameter name 'rm' collides with the generated code's names"));
  // An array parameter is a pointer.
  CHECK(g.reason("pairs").empty());
}

TEST_CASE("a call that cannot be made never returns a success-looking value", "[codegen][types]") {
  Generated g = generate(typed_spec(), "types");
  // int has no error value: the stub of streamRun aborts with the function's name.
  CHECK(contains(g.guest, "remora::guest::abort_call(\"streamRun\", \"it is not supported by this remoting stack"));
  CHECK(listed(g.report.aborting, "streamRun: its return type int has no error value"));
  // A void function cannot report a failure: it aborts too, even when remoted.
  CHECK(listed(g.report.aborting, "fill: it returns void"));
  CHECK(contains(g.guest, "remora::guest::abort_call(\"fill\", \"it returns void, so it cannot report the failure\");"));
  // The spec's `error` on the return type (a plain int typedef) is returned instead.
  CHECK(contains(g.guest, "return static_cast<rm_ret_t>(RES_FAILED);"));
  CHECK(!listed(g.report.aborting, "pointMove"));
  // A plain int whose failure value the return gives ("0 on error") returns it too.
  CHECK(contains(g.guest, "return static_cast<rm_ret_t>(-7);"));
  CHECK(!listed(g.report.aborting, "streamInit"));
  // The variadic stub still compiles against the prototype and says why it aborts.
  CHECK(g.reason("vprint") == "variadic function");
  CHECK(contains(g.guest, "REMORA_EXPORT void (vprint)(const char *fmt, ...) {"));
  // The opaque pointer is listed as passed by address.
  CHECK(listed(g.report.raw_addresses, "fill.dst (void *)"));
}

TEST_CASE("proc-address functions hand out the guest's own stubs by name", "[codegen][types]") {
  Generated g = generate(typed_spec(), "types");
  CHECK(g.reason("getProc").empty());
  CHECK(contains(g.reason("getProcNoName"), "returns a function pointer, but takes no single `const char *` name"));
  CHECK(contains(g.guest, "if (!rm_own_function(name)) return nullptr;"));
  CHECK(contains(g.guest, "rm_result = rm_ret ? reinterpret_cast<rm_ret_t>(rm_own_function(name)) : nullptr;"));
  // Only remoted functions are in the table; stubs are answered with NULL.
  CHECK(contains(g.guest, "{\"pointMove\", reinterpret_cast<rm_fn>(static_cast<res_t (*)(pointp)>(&::pointMove))},"));
  CHECK(!contains(g.guest, "{\"streamRun\", reinterpret_cast<rm_fn>"));
  // Failure returns NULL (a pointer), not an abort.
  CHECK(!listed(g.report.aborting, "getProc:"));
}

TEST_CASE("callbacks get strings through their exact parameter type", "[codegen][types]") {
  Generated g = generate(typed_spec(), "types");
  CHECK(g.reason("onLog").empty());
  // a1.data() is a `char *`: it fits `char *` and `const char *` parameters alike.
  CHECK(contains(g.guest, "a1_present ? a1.data() : nullptr"));
}

TEST_CASE("a real library path that is not a library file is ignored, not a crash", "[codegen][types]") {
  std::string dir = (fs::temp_directory_path() / ("remora-types-lib-" + std::to_string(getpid()))).string();
  codegen::GenerateOptions opt;
  opt.out_dir = dir;
  opt.real_library = fs::temp_directory_path().string();  // a folder
  codegen::GenerateReport report;
  std::string error;
  CHECK(codegen::generate_stack(typed_spec(), opt, report, error));
  CHECK(report.symbol_versions_from.empty());
  CHECK(!fs::exists(dir + "/guest/exports.map"));
  fs::remove_all(dir);
}

TEST_CASE("a struct member without an annotation saying how to copy it names itself in the reason",
          "[codegen][types][structs]") {
  spec::SpecLoad loaded = spec::load_spec_file(TOY_SPEC);
  REQUIRE(loaded.ok());
  spec::Spec s = loaded.spec;
  // As the toy spec is, every deep copy is planned (only the vendor secret is stubbed).
  Generated ok = generate(s, "types");
  CHECK(ok.reason("toyDescribe").empty());
  CHECK(ok.reason("toyListSquares").empty());
  CHECK(contains(ok.guest, "rm_chain_put"));
  CHECK(contains(ok.server, "extension chain: unknown tag value"));
  // The array of structs loses its size: where the program may leave it NULL, only NULL
  // travels there (a call that sets it fails, naming it)...
  spec::Type* config = s.find_type("toy_config");
  REQUIRE(config);
  config->find_field("items")->ann.size = "";
  config->find_field("items")->ann.nullable = true;
  Generated null_only = generate(s, "types");
  CHECK(null_only.reason("toyDescribe").empty());
  CHECK(contains(null_only.guest, "member toy_config.items (const toy_item *) is an array of unknown size; only NULL "
                                  "is remoted"));
  // ... and where it may not, the calls passing the struct are refused. A string member
  // loses its kind.
  config->find_field("items")->ann.nullable = false;
  spec::Type* label = s.find_type("toy_ext_label");
  label->find_field("label")->ann.kind = spec::Kind::Value;
  label->find_field("label")->ann.nullable = false;
  Generated g = generate(s, "types");
  CHECK(contains(g.reason("toyDescribe"), "member toy_config.items (const toy_item *) is an array of unknown size"));
  // A chain member that cannot be copied fails only the calls whose chain holds it.
  CHECK(contains(g.server, "toy_ext_label.label (const char *) is a pointer without an annotation"));
}
