// Constant indexing p[INT]: one element of an array parameter (rect/image
// transfer sizes such as `region[0] * region[1]`). Parse, print, evaluate,
// emit C, normalize and list parameters.
#include <catch2/catch.hpp>
#include <map>
#include <vector>

#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

SizeExprPtr parse(std::string_view src) {
  auto parsed = parse_size_expr(src);
  INFO("source: " << src << (parsed.error ? " error: " + parsed.error->message : ""));
  REQUIRE(parsed);
  return parsed.expr;
}

SizeEvalContext region_context(const std::vector<std::int64_t>& region) {
  SizeEvalContext c;
  c.param = [](std::string_view n) -> std::optional<std::int64_t> {
    if (n == "row_pitch") return 0;
    return std::nullopt;
  };
  c.index_param = [region](std::string_view n, std::int64_t i) -> std::optional<std::int64_t> {
    if (n != "region" || i < 0 || i >= static_cast<std::int64_t>(region.size()))
      return std::nullopt;
    return region[static_cast<std::size_t>(i)];
  };
  return c;
}

}  // namespace

TEST_CASE("p[INT] parses to an Index node holding the parameter and the index") {
  auto e = parse("region[2]");
  CHECK(e->op == SizeExpr::Op::Index);
  CHECK(e->name == "region");
  CHECK(e->value == 2);
  CHECK_FALSE(e->a);

  auto product = parse("region[0] * region [ 1 ]");
  REQUIRE(product->op == SizeExpr::Op::Mul);
  CHECK(product->a->op == SizeExpr::Op::Index);
  CHECK(product->b->value == 1);

  // Indexing binds tighter than '*' (deref) and '-', as in C.
  auto deref = parse("*p[0]");
  REQUIRE(deref->op == SizeExpr::Op::Deref);
  CHECK(deref->a->op == SizeExpr::Op::Index);
  auto neg = parse("-p[1]");
  REQUIRE(neg->op == SizeExpr::Op::Neg);
  CHECK(neg->a->op == SizeExpr::Op::Index);

  // A parameter named like a builtin can be indexed.
  CHECK(parse("min[3]")->op == SizeExpr::Op::Index);
}

TEST_CASE("indexing prints canonically and round-trips") {
  const char* cases[][2] = {
      {"region[0]*region[1]", "region[0] * region[1]"},
      {"max(row_pitch,region[0])", "max(row_pitch, region[0])"},
      {"(origin[2]+region[2]-1)*slice", "(origin[2] + region[2] - 1) * slice"},
      {"*p[0]", "*p[0]"},
      {"p[0]->f", "p[0]->f"},
  };
  for (const auto& c : cases) {
    auto e = parse(c[0]);
    std::string text = print_size_expr(*e);
    CHECK(text == c[1]);
    auto again = parse(text);
    CHECK(size_expr_equal(*e, *again));
  }
  CHECK_FALSE(size_expr_equal(*parse("p[0]"), *parse("p[1]")));
  CHECK_FALSE(size_expr_equal(*parse("p[0]"), *parse("p")));
}

TEST_CASE("the evaluator reads elements through index_param") {
  auto ctx = region_context({16, 4, 2});
  auto bytes = parse("region[0] * region[1] * region[2]");
  auto r = evaluate_size_expr(*bytes, ctx);
  REQUIRE(r.value);
  CHECK(*r.value == 128);

  auto row = evaluate_size_expr(*parse("max(row_pitch, region[0])"), ctx);
  REQUIRE(row.value);
  CHECK(*row.value == 16);

  auto past = evaluate_size_expr(*parse("region[3]"), ctx);
  CHECK_FALSE(past.value);
  CHECK(past.error.find("region[3]") != std::string::npos);
  CHECK(past.error.find("past its end") != std::string::npos);

  SizeEvalContext empty;
  auto none = evaluate_size_expr(*parse("region[0]"), empty);
  CHECK_FALSE(none.value);
  CHECK(none.error == "cannot read region[0] here");

  auto overflow = evaluate_size_expr(*parse("region[0] * 9223372036854775807"), ctx);
  CHECK_FALSE(overflow.value);
  CHECK(overflow.error.find("overflow") != std::string::npos);
}

TEST_CASE("indexing emits C subscripts over renamed parameters") {
  CHECK(emit_size_expr_c(*parse("region[0] * region[1]")) == "(region[0] * region[1])");
  auto rename = [](std::string_view n) -> std::string {
    if (n == "region") return "args.region";
    if (n == "p") return "base + 1";
    return std::string(n);
  };
  CHECK(emit_size_expr_c(*parse("region[2]"), rename) == "args.region[2]");
  CHECK(emit_size_expr_c(*parse("p[1]"), rename) == "(base + 1)[1]");
}

TEST_CASE("normal form treats p[i] as an atom distinct from p and other indices") {
  CHECK(normalize_size_expr_text("region[1] * region[0]") ==
        normalize_size_expr_text("region[0]*region[1]"));
  CHECK(normalize_size_expr_text("region[0] + region[0]") == normalize_size_expr_text("2*region[0]"));
  CHECK(normalize_size_expr_text("region[0]") != normalize_size_expr_text("region[1]"));
  CHECK(normalize_size_expr_text("region[0]") != normalize_size_expr_text("region"));
}

TEST_CASE("size_expr_params lists indexed parameters once") {
  auto names = size_expr_params(*parse("region[0] * region[1] + origin[0] * n"));
  CHECK(names == std::vector<std::string>{"region", "origin", "n"});
}
