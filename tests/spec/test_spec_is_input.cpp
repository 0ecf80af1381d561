// A spec is input, not code: predicates are parsed (never pasted), and every
// name or type spelling that reaches generated C, CMake or a linker script is
// checked at load. Each case is an injection a crafted spec could attempt.
#include <catch2/catch.hpp>

#include "remora/spec/c_names.h"
#include "remora/spec/json_io.h"
#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

std::string print_predicate(const std::string& text) {
  SizeExprParse p = parse_predicate(text);
  INFO(text << ": " << (p.error ? p.error->message : ""));
  REQUIRE(p);
  return print_size_expr(*p.expr);
}

std::string predicate_error(const std::string& text) {
  SizeExprParse p = parse_predicate(text);
  INFO(text);
  REQUIRE_FALSE(p);
  return p.error->message;
}

std::int64_t eval_predicate(const std::string& text, std::int64_t a, std::int64_t b) {
  SizeExprParse p = parse_predicate(text);
  REQUIRE(p);
  SizeEvalContext ctx;
  ctx.param = [&](std::string_view n) -> std::optional<std::int64_t> {
    if (n == "a") return a;
    if (n == "b") return b;
    if (n == "CL_FALSE") return 0;
    return std::nullopt;
  };
  auto r = evaluate_size_expr(*p.expr, ctx);
  INFO(r.error);
  REQUIRE(r.value);
  return *r.value;
}

// One function f(size_t n, void *p) whose parts the caller fills.
// An empty p_fields means the default (an input buffer of n bytes).
std::string doc(const std::string& fn_fields, std::string p_fields = "",
                const std::string& api = R"({"name": "Toy", "headers": ["toy.h"]})",
                const std::string& types = "[]") {
  if (p_fields.empty()) p_fields = R"("direction": "in", "kind": "buffer", "size": "n")";
  return R"({"format": "remora-spec/1", "api": )" + api + R"(, "types": )" + types +
         R"(, "functions": [{"name": "f", )" + fn_fields + R"( "params": [
      {"name": "n", "type": "size_t", "direction": "in", "kind": "value"},
      {"name": "p", "type": "void *", )" +
         p_fields + "}]}]}";
}

std::string errors_of(const std::string& text) {
  SpecLoad load = spec_from_json_text(text);
  std::string out;
  for (const auto& e : load.errors) out += format_issue(e) + "\n";
  return out;
}

void expect_refused(const std::string& text, const std::string& expected) {
  std::string errors = errors_of(text);
  INFO("errors:\n" << errors);
  CHECK(errors.find(expected) != std::string::npos);
}

}  // namespace

TEST_CASE("predicates parse with comparisons, && || ! and C precedence") {
  CHECK(print_predicate("blocking_read == CL_FALSE") == "blocking_read == CL_FALSE");
  CHECK(print_predicate("row_pitch != 0 || slice_pitch != 0") ==
        "row_pitch != 0 || slice_pitch != 0");
  CHECK(print_predicate("a<b&&b<=2||!c") == "a < b && b <= 2 || !c");
  CHECK(print_predicate("a && (b || c)") == "a && (b || c)");
  CHECK(print_predicate("!(a == 1)") == "!(a == 1)");
  CHECK(print_predicate("pfn_notify != NULL") == "pfn_notify != NULL");
  CHECK(print_predicate("n * 2 > sizeof(cl_int)") == "n * 2 > sizeof(cl_int)");
  // The printed form parses back to the same tree.
  for (const char* text :
       {"a && (b || c)", "!(a == 1) && !b", "(a || b) && (c || d)", "a - b >= -1"}) {
    auto once = parse_predicate(text);
    auto twice = parse_predicate(print_size_expr(*once.expr));
    REQUIRE(twice);
    CHECK(size_expr_equal(*once.expr, *twice.expr));
  }
}

TEST_CASE("predicates evaluate like C, short-circuit included") {
  CHECK(eval_predicate("a == CL_FALSE", 0, 0) == 1);
  CHECK(eval_predicate("a == CL_FALSE", 1, 0) == 0);
  CHECK(eval_predicate("a < b && b < 10", 1, 5) == 1);
  CHECK(eval_predicate("a > b || b >= 5", 1, 5) == 1);
  CHECK(eval_predicate("!a", 0, 0) == 1);
  CHECK(eval_predicate("!a + 1", 0, 0) == 2);                  // ! binds tighter than +, as in C
  CHECK(eval_predicate("a == 0 || unknown_name", 0, 0) == 1);  // the right side is never read
  CHECK(eval_predicate("a & b == 0", 6, 1) == 1);              // & binds tighter than ==, unlike C
  CHECK(eval_predicate("a & b == 0", 7, 1) == 0);
}

TEST_CASE("a predicate is only parameters, constants, integers and operators") {
  CHECK(predicate_error("a = 1").find("write == to compare") != std::string::npos);
  CHECK(predicate_error("a | 1").find("bitwise '|' is not supported") != std::string::npos);
  CHECK(predicate_error("property(p, K) != 0").find("only allowed in an in_order predicate") !=
        std::string::npos);
  CHECK(predicate_error("system(\"id\")").find("unknown function 'system'") != std::string::npos);
  CHECK(predicate_error("a == 1; system(x)").find("unexpected character ';'") != std::string::npos);
  CHECK(predicate_error("a == \"x\"").find("unexpected character '\"'") != std::string::npos);
  CHECK(predicate_error("a ? b : c").find("unexpected character '?'") != std::string::npos);
  CHECK(predicate_error("a < b < c").find("chained comparison") != std::string::npos);
  CHECK(predicate_error("*p == 0").find("reads memory") != std::string::npos);
  CHECK(predicate_error("p[1] == 0").find("reads memory") != std::string::npos);
  CHECK(predicate_error("a / b == 1").find("'/' is not allowed") != std::string::npos);
  CHECK(predicate_error("ret == 0").find("'ret' is not allowed") != std::string::npos);
  CHECK(predicate_error("").find("empty predicate") != std::string::npos);
  CHECK(predicate_error(std::string(300, '(') + "a" + std::string(300, ')'))
            .find("nested too deeply") != std::string::npos);
  // Sizes stay arithmetic.
  auto size = parse_size_expr("n == 1");
  REQUIRE_FALSE(size);
  CHECK(size.error->message.find("belong in predicates") != std::string::npos);
}

TEST_CASE("generated C of a predicate comes from the tree, never from the text") {
  auto p = parse_predicate("a==1||  !b");
  REQUIRE(p);
  CHECK(emit_size_expr_c(*p.expr) == "((a == 1) || (!b))");
}

TEST_CASE("load refuses when.if and async_if that are not predicates") {
  expect_refused(doc(R"x("sync": {"async_if": "n == 0 || system(\"touch /tmp/pwned\")"},)x"),
                 "f: async_if \"n == 0 || system(\"touch /tmp/pwned\")\" is not a predicate");
  expect_refused(doc("", R"x("direction": "in", "kind": "buffer", "size": "n",
                            "when": [{"if": "n) { abort(); } if (n", "size": "1"}])x"),
                 "f.p.when[0]: if \"n) { abort(); } if (n\" is not a predicate");
  expect_refused(doc(R"("sync": {"async_if": "n == while"},)"),
                 "'while' is neither a parameter nor an API constant");
  CHECK(errors_of(doc(R"("sync": {"async_if": "n == CL_FALSE && p != NULL"},)")).empty());
}

TEST_CASE("names and type spellings that reach generated code are C names and C types") {
  CHECK(is_c_identifier("clGetDeviceInfo"));
  CHECK_FALSE(is_c_identifier("return"));
  CHECK_FALSE(is_c_identifier("f(); system"));
  CHECK_FALSE(c_type_spelling_problem("const cl_mem *"));
  CHECK_FALSE(c_type_spelling_problem("void (*)(cl_event, cl_int, void *)"));
  CHECK_FALSE(c_type_spelling_problem("void (const char *errinfo, const void *, size_t, void *)"));
  CHECK_FALSE(c_type_spelling_problem("struct _cl_image_format"));
  CHECK_FALSE(c_type_spelling_problem("char[64]"));
  CHECK_FALSE(c_type_spelling_problem("void *[]"));
  // A C++ header's extern "C" API spells types qualified (libclang prints std::size_t).
  CHECK_FALSE(c_type_spelling_problem("std::size_t"));
  CHECK_FALSE(c_type_spelling_problem("const ::ns::inner::handle_t *"));
  CHECK(c_type_spelling_problem("std::"));
  CHECK(c_type_spelling_problem("std::return"));
  CHECK(c_type_spelling_problem("unsigned::x"));
  CHECK(c_type_spelling_problem("std:size_t"));
  CHECK(c_type_spelling_problem("int)abort("));
  CHECK(c_type_spelling_problem("int; int"));
  CHECK(c_type_spelling_problem("void (*)(int) = system"));
  CHECK(c_type_spelling_problem("int[n]"));
  CHECK(c_type_spelling_problem("return"));

  expect_refused(
      R"({"format": "remora-spec/1", "functions": [{"name": "f(); void g", "params": []}]})",
      "function name \"f(); void g\" is not a C identifier");
  expect_refused(
      doc("",
          R"x("direction": "in", "kind": "buffer", "size": "n", "pointee": "int)system((char*)")x"),
      "pointee \"int)system((char*)\" is not a C type name");
  expect_refused(doc(R"x("return": {"type": "int; system(0)"},)x"),
                 "f.return: type \"int; system(0)\" is not a C type name");
  expect_refused(
      doc("", "", R"x({"name": "Toy\nexecute_process(COMMAND id)", "headers": ["toy.h"]})x"),
      "api.name");
  expect_refused(doc("", "", R"({"name": "Toy", "headers": ["toy.h>\n#include <evil.h"]})"),
                 "is not a header path");
  expect_refused(
      doc("", "", R"({"name": "Toy", "headers": ["toy.h"], "sonames": ["libtoy.so ${X}"]})"),
      "is not a library file name");
  expect_refused(
      doc("", "",
          R"x({"name": "Toy", "headers": ["toy.h"], "defines": ["memcpy=system(\"id\")"]})x"),
      "the value must be an integer or a C identifier");
  expect_refused(
      doc("", "", R"({"name": "Toy", "headers": ["toy.h"], "defines": ["REMORA_MAX_MESSAGE=1"]})"),
      "outside remora*/rm_*");
  expect_refused(
      doc("",
          R"("direction": "in", "kind": "buffer", "size": "n"}, {"name": "q\"", "type": "int", "kind": "value")"),
      "parameter name \"q\"\" is not a C identifier");
  // A C header may name a parameter `new`; the C++ stack cannot: said so, with what to do.
  expect_refused(
      doc("",
          R"("direction": "in", "kind": "buffer", "size": "n"}, {"name": "new", "type": "int", "kind": "value")"),
      "parameter name \"new\" is a C++ keyword: the generated stack is C++");
  expect_refused(
      doc("", "", R"({"name": "Toy", "headers": ["toy.h"]})",
          R"x([{"name": "toy_status", "kind": "status", "success": "0) || system(0"}])x"),
      "success \"0) || system(0\" is not a C constant");
  CHECK(
      errors_of(
          doc("", "",
              R"({"name": "CUDA runtime", "headers": ["cuda_runtime_api.h"], "sonames": ["libcudart.so.13"],
                                  "defines": ["CL_TARGET_OPENCL_VERSION=300", "FOO", "BAR=0x10"]})"))
          .empty());
}
