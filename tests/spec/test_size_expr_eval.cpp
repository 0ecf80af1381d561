// Evaluator: values from a call context; overflow, division by zero and
// unknown names are errors, never undefined behaviour.
#include <catch2/catch.hpp>
#include <limits>
#include <map>

#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

struct FakeCall {
  std::map<std::string, std::int64_t, std::less<>> scalars{
      {"n", 3},          {"size", 64},
      {"zero", 0},       {"big", std::numeric_limits<std::int64_t>::max()},
      {"minus_one", -1}, {"lowest", std::numeric_limits<std::int64_t>::min()}};
  std::map<std::string, std::int64_t, std::less<>> pointees{{"count", 5}};
  std::map<std::string, std::int64_t, std::less<>> strings{{"name", 11}};
  std::map<std::string, std::int64_t, std::less<>> terminated{{"props", 7}};

  SizeEvalContext context(std::optional<std::int64_t> ret = std::nullopt) const {
    SizeEvalContext c;
    auto lookup = [](const auto& m) {
      return [&m](std::string_view k) -> std::optional<std::int64_t> {
        auto it = m.find(k);
        if (it == m.end()) return std::nullopt;
        return it->second;
      };
    };
    c.param = lookup(scalars);
    c.deref_param = lookup(pointees);
    c.strlen_param = lookup(strings);
    c.terminated_param = lookup(terminated);
    c.field = [](std::string_view p, std::string_view f) -> std::optional<std::int64_t> {
      if (p == "desc" && f == "width") return 640;
      return std::nullopt;
    };
    c.size_of = [](std::string_view t) -> std::optional<std::int64_t> {
      if (t == "cl_mem" || t == "void *") return 8;
      if (t == "unsigned int") return 4;
      return std::nullopt;
    };
    c.ret = ret;
    return c;
  }
};

SizeEvalResult eval(std::string_view src, const SizeEvalContext& ctx) {
  auto parsed = parse_size_expr(src);
  INFO("source: " << src);
  REQUIRE(parsed);
  return evaluate_size_expr(*parsed.expr, ctx);
}

std::int64_t value(std::string_view src, std::optional<std::int64_t> ret = std::nullopt) {
  FakeCall call;
  auto r = eval(src, call.context(ret));
  INFO("source: " << src << " error: " << r.error);
  REQUIRE(r.value);
  CHECK(r.error.empty());
  return *r.value;
}

std::string error_of(std::string_view src, std::optional<std::int64_t> ret = std::nullopt) {
  FakeCall call;
  auto r = eval(src, call.context(ret));
  INFO("source: " << src);
  CHECK_FALSE(r.value);
  CHECK_FALSE(r.error.empty());
  return r.error;
}

}  // namespace

TEST_CASE("arithmetic evaluates like C integer arithmetic") {
  CHECK(value("n * sizeof(cl_mem)") == 24);
  CHECK(value("size / n") == 21);
  CHECK(value("-7 / 2") == -3);  // truncation toward zero
  CHECK(value("n - size") == -61);
  CHECK(value("1 + 2 * 3 - 4 / 2") == 5);
  CHECK(value("min(n, size) + max(n, size)") == 67);
  CHECK(value("*count * sizeof(unsigned int)") == 20);
  CHECK(value("desc->width * 4") == 2560);
  CHECK(value("strlen(name) + 1") == 12);
  CHECK(value("terminated(props) * sizeof(void *)") == 56);
  CHECK(value("ret * 2", 21) == 42);
}

TEST_CASE("overflow and division by zero are errors") {
  CHECK(error_of("size / zero") == "division by zero");
  CHECK(error_of("size / (n - 3)") == "division by zero");
  CHECK(error_of("big + 1").find("overflow") != std::string::npos);
  CHECK(error_of("big * 2").find("overflow") != std::string::npos);
  CHECK(error_of("lowest - 1").find("overflow") != std::string::npos);
  CHECK(error_of("-lowest").find("overflow") != std::string::npos);
  CHECK(error_of("lowest / minus_one").find("overflow") != std::string::npos);
  CHECK(error_of("9223372036854775807 * 9223372036854775807").find("overflow") !=
        std::string::npos);
}

TEST_CASE("unknown names are errors that say which name") {
  CHECK(error_of("missing * 2").find("'missing'") != std::string::npos);
  CHECK(error_of("*nothing").find("*nothing") != std::string::npos);
  CHECK(error_of("desc->height").find("desc->height") != std::string::npos);
  CHECK(error_of("sizeof(struct foo)").find("struct foo") != std::string::npos);
  CHECK(error_of("ret + 1").find("return value") != std::string::npos);
  CHECK(error_of("strlen(other)").find("strlen(other)") != std::string::npos);
  CHECK(error_of("terminated(other)").find("terminated(other)") != std::string::npos);
}

TEST_CASE("pointer reads need a parameter operand") {
  CHECK(error_of("*(n + 1)").find("only a parameter") != std::string::npos);
  CHECK(error_of("(*count)->x").find("only a parameter") != std::string::npos);
  CHECK(error_of("strlen(*count)").find("only a parameter") != std::string::npos);
}

TEST_CASE("an empty context gives errors, not crashes") {
  SizeEvalContext empty;
  for (const char* src : {"n", "*p", "p->f", "sizeof(int)", "strlen(s)", "terminated(p)", "ret"}) {
    auto r = evaluate_size_expr(*parse_size_expr(src).expr, empty);
    INFO(src);
    CHECK_FALSE(r.value);
    CHECK_FALSE(r.error.empty());
  }
  CHECK(*evaluate_size_expr(*parse_size_expr("2 * 3").expr, empty).value == 6);
}
