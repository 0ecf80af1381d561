// Fuzz-style robustness: thousands of random and mutated inputs must give a
// parse error or an expression that survives print/parse/evaluate/emit.
#include <catch2/catch.hpp>
#include <random>

#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

const char* const kFragments[] = {"n",
                                  "size",
                                  "*",
                                  "/",
                                  "+",
                                  "-",
                                  "(",
                                  ")",
                                  "->",
                                  ",",
                                  "min",
                                  "max",
                                  "strlen",
                                  "terminated",
                                  "sizeof",
                                  "ret",
                                  "0",
                                  "1",
                                  "9223372036854775807",
                                  "cl_mem",
                                  "unsigned",
                                  "int",
                                  " ",
                                  "x",
                                  "p",
                                  ".",
                                  "#",
                                  "\x01",
                                  "\xff",
                                  "[",
                                  "]",
                                  "p[0]",
                                  "region[2]",
                                  "99999999999999999999"};

void exercise(const std::string& src) {
  auto parsed = parse_size_expr(src);
  if (!parsed) {
    REQUIRE(parsed.error);
    REQUIRE(parsed.error->position <= src.size());
    REQUIRE_FALSE(parsed.error->message.empty());
    return;
  }
  REQUIRE_FALSE(parsed.error);
  std::string text = print_size_expr(*parsed.expr);
  auto again = parse_size_expr(text);
  INFO("source: " << src << " printed: " << text);
  REQUIRE(again);
  REQUIRE(size_expr_equal(*parsed.expr, *again.expr));
  SizeEvalContext ctx;
  ctx.param = [](std::string_view n) -> std::optional<std::int64_t> {
    return static_cast<std::int64_t>(n.size()) - 2;  // includes zero and negatives
  };
  ctx.deref_param = ctx.param;
  ctx.strlen_param = ctx.param;
  ctx.terminated_param = ctx.param;
  ctx.index_param = [](std::string_view n, std::int64_t i) -> std::optional<std::int64_t> {
    if (i > 4) return std::nullopt;  // past the array
    return static_cast<std::int64_t>(n.size()) - i;
  };
  ctx.size_of = [](std::string_view) -> std::optional<std::int64_t> { return 8; };
  ctx.ret = 9223372036854775807LL;
  auto r = evaluate_size_expr(*parsed.expr, ctx);
  REQUIRE(r.value.has_value() != !r.error.empty());
  REQUIRE_FALSE(emit_size_expr_c(*parsed.expr).empty());
  REQUIRE_FALSE(normalize_size_expr(*parsed.expr).empty());
  (void)size_expr_params(*parsed.expr);
}

}  // namespace

TEST_CASE("random token soups never crash") {
  std::mt19937 rng(12345);
  const std::size_t n_fragments = sizeof(kFragments) / sizeof(kFragments[0]);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string src;
    int len = static_cast<int>(rng() % 12);
    for (int k = 0; k < len; ++k) src += kFragments[rng() % n_fragments];
    exercise(src);
    if (parse_size_expr(src)) ++parsed;
  }
  CHECK(parsed > 100);  // the generator does reach valid expressions
}

TEST_CASE("random bytes never crash") {
  std::mt19937 rng(777);
  for (int i = 0; i < 5000; ++i) {
    std::string src(rng() % 40, '\0');
    for (auto& c : src) c = static_cast<char>(rng() % 256);
    exercise(src);
  }
}

TEST_CASE("mutations of valid expressions never crash") {
  const std::string seeds[] = {"num_entries * sizeof(cl_device_id)", "min(*count, size) - 1",
                               "(*p)->len * (strlen(name) + 1) / 2",
                               "terminated(properties) * sizeof(cl_context_properties)"};
  std::mt19937 rng(99);
  for (int i = 0; i < 10000; ++i) {
    std::string src = seeds[rng() % 4];
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !src.empty(); ++e) {
      std::size_t at = rng() % src.size();
      switch (rng() % 3) {
        case 0:
          src.erase(at, 1);
          break;
        case 1:
          src.insert(at, 1, "()*-+,>a1 "[rng() % 10]);
          break;
        default:
          src[at] = "()*-+,>a1 "[rng() % 10];
          break;
      }
    }
    exercise(src);
  }
}
