// Printer: canonical text with minimal parentheses; parse(print(e)) == e.
#include <catch2/catch.hpp>

#include "remora/spec/size_expr.h"

using namespace remora::spec;

namespace {

std::string reprint(std::string_view src) {
  auto r = parse_size_expr(src);
  INFO("source: " << src);
  REQUIRE(r);
  return print_size_expr(*r.expr);
}

}  // namespace

TEST_CASE("printing is canonical") {
  CHECK(reprint("n*sizeof( cl_mem )") == "n * sizeof(cl_mem)");
  CHECK(reprint("((n))") == "n");
  CHECK(reprint("(a + b) * c") == "(a + b) * c");
  CHECK(reprint("a + (b * c)") == "a + b * c");
  CHECK(reprint("a - (b - c)") == "a - (b - c)");
  CHECK(reprint("(a - b) - c") == "a - b - c");
  CHECK(reprint("a + (b + c)") == "a + (b + c)");  // kept: it is a different tree
  CHECK(reprint("a / (b * c)") == "a / (b * c)");
  CHECK(reprint("(a / b) * c") == "a / b * c");
  CHECK(reprint("-(a + b)") == "-(a + b)");
  CHECK(reprint("- - a") == "-(-a)");
  CHECK(reprint("*(p)") == "*p");
  CHECK(reprint("*(p->n)") == "*p->n");
  CHECK(reprint("(*p)->n") == "(*p)->n");
  CHECK(reprint("n * (*p)") == "n * *p");
  CHECK(reprint("(-n)->x") == "(-n)->x");
  CHECK(reprint("min( a,b )") == "min(a, b)");
  CHECK(reprint("max(a + 1, (b))") == "max(a + 1, b)");
  CHECK(reprint("strlen((s))+1") == "strlen(s) + 1");
  CHECK(reprint("terminated( props )") == "terminated(props)");
  CHECK(reprint("sizeof(unsigned   int)*ret") == "sizeof(unsigned int) * ret");
  CHECK(reprint("sizeof(void*)") == "sizeof(void *)");
}

TEST_CASE("parse(print(e)) is structurally equal to e") {
  const char* sources[] = {
      "a + b * c - d / e",
      "(a + b) * (c - d) / -e",
      "a - (b + c) - (d - e)",
      "a / (b / c)",
      "-(-(a))",
      "*(*p)",
      "(*p)->len * sizeof(cl_image_format)",
      "*p->len",
      "(a->b)->c",
      "min(max(a, b), -c) * 2",
      "strlen(*names) + 1",
      "terminated(properties) * sizeof(cl_context_properties)",
      "param_value_size",
      "ret * sizeof(void **)",
      "num_events_in_wait_list * sizeof(cl_event)",
      "region->x * (region->y + 3) - - 4",
  };
  for (const char* src : sources) {
    auto first = parse_size_expr(src);
    REQUIRE(first);
    std::string text = print_size_expr(*first.expr);
    auto second = parse_size_expr(text);
    INFO(src << " printed as " << text);
    REQUIRE(second);
    CHECK(size_expr_equal(*first.expr, *second.expr));
    CHECK(print_size_expr(*second.expr) == text);  // printing is idempotent
  }
}

TEST_CASE("structural equality distinguishes trees") {
  auto a = parse_size_expr("a + (b + c)");
  auto b = parse_size_expr("a + b + c");
  CHECK_FALSE(size_expr_equal(*a.expr, *b.expr));
  CHECK(size_expr_equal(*a.expr, *parse_size_expr("a+(b+c)").expr));
}
