// Strided vectors (x, incx) and matrices with a leading dimension (a, lda):
// tests/data/headers/strided_demo.h through the whole pipeline.
#include <catch2/catch.hpp>

#include "remora/spec/size_expr.h"
#include "test_support.h"

using namespace remora::spec;

namespace {

const remora::inference::InferResult& strided() {
  return remora::test::inferred_header("strided_demo.h", "libdemo.so.1");
}

const Annotation& ann(const char* function, const char* name) {
  const Function* f = strided().spec.find_function(function);
  REQUIRE(f);
  const Param* p = f->find_param(name);
  REQUIRE(p);
  return p->ann;
}

// The size, evaluated for n/count = 4 and every stride = s.
std::int64_t elements(const Annotation& a, std::int64_t s) {
  auto parsed = parse_size_expr(a.size);
  INFO(a.size);
  REQUIRE(parsed);
  SizeEvalContext c;
  c.param = [&](std::string_view name) -> std::optional<std::int64_t> {
    if (name == "n" || name == "count") return 4;
    return s;
  };
  auto v = evaluate_size_expr(*parsed.expr, c);
  REQUIRE(v.value);
  return *v.value;
}

}  // namespace

TEST_CASE("a strided vector of the only dimension holds 1 + (n - 1) * |inc| elements", "[rules]") {
  const Annotation& x = ann("demo_dot", "x");
  CHECK(x.kind == Kind::Buffer);
  CHECK(x.direction == Direction::In);
  CHECK(x.size_unit == SizeUnit::Elements);
  CHECK(elements(x, 1) == 4);
  CHECK(elements(x, 3) == 10);
  CHECK(elements(x, -2) == 7);  // a negative stride walks the same memory backwards
  CHECK(elements(ann("demo_dot", "y"), 2) == 7);
  // Any case of the stride's name; a written vector is read first (y := alpha x + y).
  const Annotation& y = ann("demo_axpy", "Y");
  CHECK(y.direction == Direction::InOut);
  CHECK(elements(y, 1) == 4);
  CHECK(elements(ann("demo_axpy", "X"), 2) == 7);
}

TEST_CASE("sizes the prototype cannot give stay unknown, and the function unsupported", "[rules]") {
  for (const char* name : {"a", "x", "y"}) {
    INFO(name);
    CHECK(ann("demo_mv", name).kind == Kind::Buffer);
    CHECK(ann("demo_mv", name).size.empty());
  }
  CHECK(ann("demo_mv", "y").direction == Direction::InOut);
  CHECK(ann("demo_copy", "a").size.empty());  // clda: the family prefix 'c'
  CHECK(ann("demo_copy", "b").kind == Kind::Buffer);
  CHECK(ann("demo_packed", "ap").kind == Kind::Buffer);  // not one element
  CHECK(ann("demo_packed", "ap").size.empty());
  CHECK(ann("demo_caxpy", "x").size.empty());  // void *: the element size is unknown
  CHECK(ann("demo_caxpy", "alpha").kind == Kind::Buffer);
  CHECK(ann("demo_caxpy", "alpha").size.empty());
  for (const char* f : {"demo_mv", "demo_copy", "demo_packed", "demo_caxpy"}) {
    INFO(f);
    CHECK_FALSE(strided().spec.find_function(f)->supported);
  }
  CHECK(strided().spec.find_function("demo_dot")->supported);
}

TEST_CASE("a matrix in a call with one dimension is n x n, rows lda apart", "[rules]") {
  const Annotation& a = ann("demo_trsv", "a");
  CHECK(a.kind == Kind::Buffer);
  CHECK(a.direction == Direction::In);
  CHECK(elements(a, 6) == 3 * 6 + 4);  // n = 4, lda = 6: (n - 1) * lda + n, not n * lda
  CHECK(ann("demo_trsv", "x").direction == Direction::InOut);
  CHECK(strided().spec.find_function("demo_trsv")->supported);
}

TEST_CASE("without strides the lone-pointer rules still apply", "[rules]") {
  CHECK(ann("demo_rot", "a").kind == Kind::Element);
}
