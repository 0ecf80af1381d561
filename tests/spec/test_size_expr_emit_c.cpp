// C emitter: parenthesised C text, with a rename hook for generated code.
#include <catch2/catch.hpp>

#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

std::string emit(std::string_view src,
                 const std::function<std::string(std::string_view)>& rename = {}) {
  auto parsed = parse_size_expr(src);
  REQUIRE(parsed);
  return emit_size_expr_c(*parsed.expr, rename);
}

}  // namespace

TEST_CASE("emitted C keeps the expression's structure") {
  CHECK(emit("n * sizeof(cl_mem)") == "(n * sizeof(cl_mem))");
  CHECK(emit("a - (b - c)") == "(a - (b - c))");
  CHECK(emit("a - b - c") == "((a - b) - c)");
  CHECK(emit("-n") == "(-n)");
  CHECK(emit("*count") == "(*count)");
  CHECK(emit("desc->width") == "desc->width");
  CHECK(emit("(*p)->w") == "(*p)->w");
  CHECK(emit("strlen(name) + 1") == "(strlen(name) + 1)");
  CHECK(emit("terminated(props)") == "remora_terminated_count(props)");
  CHECK(emit("min(a, b)") == "((a) < (b) ? (a) : (b))");
  CHECK(emit("max(a, b)") == "((a) > (b) ? (a) : (b))");
  CHECK(emit("ret * 4") == "(ret * 4)");
  CHECK(emit("sizeof(unsigned int)") == "sizeof(unsigned int)");
  CHECK(emit("4294967296") == "4294967296LL");
}

TEST_CASE("rename maps parameters to generated variables") {
  auto rename = [](std::string_view n) { return "args->" + std::string(n); };
  CHECK(emit("n * sizeof(cl_mem)", rename) == "(args->n * sizeof(cl_mem))");
  CHECK(emit("*count", rename) == "(*args->count)");
  CHECK(emit("desc->width", rename) == "args->desc->width");
  CHECK(emit("terminated(props)", rename) == "remora_terminated_count(args->props)");
  // A rename that is not a plain access path is parenthesised.
  auto complex = [](std::string_view n) { return std::string(n) + "_base + 1"; };
  CHECK(emit("n * 2", complex) == "((n_base + 1) * 2)");
  auto indexed = [](std::string_view) { return std::string("values[3]"); };
  CHECK(emit("n * 2", indexed) == "(values[3] * 2)");
  // An empty answer keeps the parameter name.
  auto none = [](std::string_view) { return std::string(); };
  CHECK(emit("n", none) == "n");
}
