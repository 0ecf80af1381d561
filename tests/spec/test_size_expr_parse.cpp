// Parser of the size-expression language: structure, precedence, and every
// error with its position.
#include <catch2/catch.hpp>

#include "remora/spec/size_expr.h"

using namespace remora::spec;
using Op = SizeExpr::Op;

namespace {

SizeExprPtr parse_ok(std::string_view src) {
  auto r = parse_size_expr(src);
  INFO("source: " << src << (r.error ? " error: " + r.error->message : std::string()));
  REQUIRE(r);
  REQUIRE_FALSE(r.error);
  return r.expr;
}

SizeExprError parse_error(std::string_view src) {
  auto r = parse_size_expr(src);
  INFO("source: " << src);
  REQUIRE_FALSE(r);
  REQUIRE(r.error);
  return *r.error;
}

}  // namespace

TEST_CASE("atoms parse to the right node kinds") {
  auto e = parse_ok("42");
  CHECK(e->op == Op::Int);
  CHECK(e->value == 42);
  e = parse_ok("param_value_size");
  CHECK(e->op == Op::Param);
  CHECK(e->name == "param_value_size");
  CHECK(parse_ok("ret")->op == Op::Ret);
  e = parse_ok("*num_devices");
  CHECK(e->op == Op::Deref);
  CHECK(e->a->op == Op::Param);
  e = parse_ok("desc->image_width");
  CHECK(e->op == Op::Field);
  CHECK(e->name == "image_width");
  CHECK(e->a->name == "desc");
  e = parse_ok("strlen(name)");
  CHECK(e->op == Op::Strlen);
  CHECK(e->a->name == "name");
  e = parse_ok("terminated(properties)");
  CHECK(e->op == Op::Terminated);
  CHECK(e->name == "properties");
  CHECK(e->args.empty());
  // An array of structs ended by the element whose member holds a constant (or integer).
  e = parse_ok("terminated(filters, id, LZMA_VLI_UNKNOWN)");
  CHECK(e->op == Op::Terminated);
  CHECK(e->name == "filters");
  CHECK(e->args == std::vector<std::string>{"id", "LZMA_VLI_UNKNOWN"});
  CHECK(print_size_expr(*e) == "terminated(filters, id, LZMA_VLI_UNKNOWN)");
  CHECK(print_size_expr(*parse_ok("terminated(entries,name,0)")) == "terminated(entries, name, 0)");
  // terminated(p, END): an array ended by the element equal to END (argv-like pointers).
  e = parse_ok("terminated(atts, 0)");
  REQUIRE(e->args.size() == 1);
  CHECK(e->args[0] == "0");
  CHECK(print_size_expr(*parse_ok("terminated(atts,NULL_ID)")) == "terminated(atts, NULL_ID)");
  CHECK(parse_ok("min(a, b)")->op == Op::Min);
  CHECK(parse_ok("max(a,b)")->op == Op::Max);
}

TEST_CASE("sizeof accepts multiword and pointer types and canonicalises spelling") {
  CHECK(parse_ok("sizeof(cl_mem)")->name == "cl_mem");
  CHECK(parse_ok("sizeof( unsigned   int )")->name == "unsigned int");
  CHECK(parse_ok("sizeof(void*)")->name == "void *");
  CHECK(parse_ok("sizeof(void *)")->name == "void *");
  CHECK(parse_ok("sizeof(const char **)")->name == "const char **");
  CHECK(parse_ok("sizeof(struct _cl_image_desc)")->name == "struct _cl_image_desc");
  CHECK(parse_ok("sizeof(unsigned long long)")->name == "unsigned long long");
}

TEST_CASE("precedence and associativity follow C") {
  auto e = parse_ok("a + b * c");
  CHECK(e->op == Op::Add);
  CHECK(e->b->op == Op::Mul);
  e = parse_ok("a - b - c");  // (a - b) - c
  CHECK(e->op == Op::Sub);
  CHECK(e->a->op == Op::Sub);
  CHECK(e->b->name == "c");
  e = parse_ok("a / b * c");  // (a / b) * c
  CHECK(e->op == Op::Mul);
  CHECK(e->a->op == Op::Div);
  e = parse_ok("(a + b) * c");
  CHECK(e->op == Op::Mul);
  CHECK(e->a->op == Op::Add);
  e = parse_ok("-a * b");  // (-a) * b
  CHECK(e->op == Op::Mul);
  CHECK(e->a->op == Op::Neg);
  e = parse_ok("*p->count");  // *(p->count), as in C
  CHECK(e->op == Op::Deref);
  CHECK(e->a->op == Op::Field);
  e = parse_ok("(*p)->count");
  CHECK(e->op == Op::Field);
  CHECK(e->a->op == Op::Deref);
  e = parse_ok("n * *p");
  CHECK(e->op == Op::Mul);
  CHECK(e->b->op == Op::Deref);
  e = parse_ok("a->b->c");
  CHECK(e->op == Op::Field);
  CHECK(e->name == "c");
  CHECK(e->a->op == Op::Field);
  e = parse_ok("num_entries * sizeof(cl_device_id)");
  CHECK(e->op == Op::Mul);
  CHECK(e->b->op == Op::Sizeof);
}

TEST_CASE("builtin names are parameters unless called") {
  CHECK(parse_ok("min")->op == Op::Param);
  CHECK(parse_ok("strlen + 1")->a->op == Op::Param);
  CHECK(parse_ok("sizeof")->op == Op::Param);
}

TEST_CASE("whitespace is insignificant") {
  auto a = parse_ok("  n*sizeof(cl_mem)  ");
  auto b = parse_ok("n * sizeof ( cl_mem )");
  CHECK(size_expr_equal(*a, *b));
}

TEST_CASE("every error names its position") {
  struct Case {
    const char* src;
    std::size_t pos;
    const char* fragment;
  };
  const Case cases[] = {
      {"", 0, "empty"},
      {"   ", 0, "empty"},
      {"n +", 3, "ends where an operand"},
      {"n + )", 4, "before ')'"},
      {"(n + 1", 6, "expected ')' to close the '(' at offset 0"},
      {"n)", 1, "unmatched ')'"},
      {"n m", 2, "after a complete expression"},
      {"n # 2", 2, "unexpected character '#'"},
      {"p.field", 1, "'.' is not supported"},
      {"p[", 2, "integer constant"},
      {"p[n]", 2, "integer constant or i, as in p[0]"},
      {"p[-1]", 2, "integer constant"},
      {"p[0", 3, "expected ']' to close the '[' at offset 1"},
      {"p[0 + 1]", 4, "expected ']'"},
      {"(p)[0]", 3, "only a parameter name can be indexed"},
      {"p[0][1]", 4, "only a parameter name can be indexed"},
      {"ret[0]", 3, "only a parameter name can be indexed"},
      {"[0]", 0, "expected an operand"},
      {"p]", 1, "after a complete expression"},
      {"p[99999999999999999999]", 2, "too large"},
      {"12abc", 0, "malformed integer literal"},
      {"0x10", 0, "malformed integer literal"},
      {"99999999999999999999", 0, "too large"},
      {"p->", 3, "field name after '->'"},
      {"p->1", 3, "field name after '->'"},
      {"min(a)", 5, "expected ','"},
      {"min(a, b, c)", 8, "exactly two"},
      {"max(a, b", 8, "to close max( at offset 3"},
      {"strlen(a, b)", 8, "exactly one"},
      {"terminated(1)", 11, "parameter name"},
      {"terminated(a", 12, "to close terminated("},
      {"terminated(a, 1, END)", 14, "member name second"},
      {"terminated(a, id, n + 1)", 20, "to close terminated("},
      {"terminated(a, id, END, x)", 21, "a parameter, a member and the value"},
      {"terminated(a, id, -1)", 18, "API constant or an integer"},
      {"sizeof()", 7, "type name"},
      {"sizeof(1)", 7, "type name"},
      {"sizeof(void * x)", 14, "after '*'"},
      {"sizeof(int", 10, "to close sizeof("},
      {"foo(n)", 0, "unknown function 'foo'"},
      {"*", 1, "ends where an operand"},
      {"n * / 2", 4, "expected an operand"},
      {"a,b", 1, "after a complete expression"},
  };
  for (const auto& c : cases) {
    auto err = parse_error(c.src);
    INFO("source: \"" << c.src << "\" message: " << err.message);
    CHECK(err.position == c.pos);
    CHECK(err.message.find(c.fragment) != std::string::npos);
  }
}

TEST_CASE("non-ASCII bytes are rejected with their offset") {
  auto err = parse_error("n \xc3\xa9");
  CHECK(err.position == 2);
  CHECK(err.message.find("ASCII") != std::string::npos);
}

TEST_CASE("nesting and length are bounded instead of exhausting the stack") {
  std::string deep(100000, '(');
  auto err = parse_error(deep);
  CHECK(err.message.find("too long") != std::string::npos);
  std::string nested = std::string(300, '(') + "n" + std::string(300, ')');
  err = parse_error(nested);
  CHECK(err.message.find("nested too deeply") != std::string::npos);
  std::string negs(1000, '-');
  err = parse_error(negs + "n");
  CHECK(err.message.find("nested too deeply") != std::string::npos);
  std::string ok = std::string(50, '(') + "n" + std::string(50, ')');
  CHECK(parse_size_expr(ok));
}

TEST_CASE("size_expr_params lists each parameter once in order") {
  auto e = parse_ok(
      "n * sizeof(cl_mem) + *count + desc->w * n + strlen(name) + terminated(props) + ret");
  CHECK(size_expr_params(*e) == std::vector<std::string>{"n", "count", "desc", "name", "props"});
  CHECK(size_expr_params(*parse_ok("4 * ret")).empty());
}
