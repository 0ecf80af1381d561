// `c ? a : b` in sizes: a size that depends on a mode parameter (a matrix
// stored by rows or by columns, transposed or not, a stride that may be
// negative). Parse, print, evaluate, emit C (compiled and compared), names in
// conditions that are API constants, and the errors.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "remora/spec/json_io.h"
#include "remora/spec/size_expr.h"

using namespace remora::spec;
using Op = SizeExpr::Op;
namespace fs = std::filesystem;

namespace {

SizeExprPtr parse_ok(std::string_view src) {
  auto r = parse_size_expr(src);
  INFO("source: " << src << (r.error ? " error: " + r.error->message : std::string()));
  REQUIRE(r);
  return r.expr;
}

std::string parse_error(std::string_view src) {
  auto r = parse_size_expr(src);
  INFO("source: " << src);
  REQUIRE_FALSE(r);
  return r.error->message;
}

// A BLAS-like call: order 101 (row major) or 102, trans 111 (no) or 112.
SizeEvalContext call(std::int64_t order, std::int64_t trans, std::int64_t n, std::int64_t inc) {
  SizeEvalContext c;
  c.param = [=](std::string_view name) -> std::optional<std::int64_t> {
    if (name == "order") return order;
    if (name == "trans") return trans;
    if (name == "n") return n;
    if (name == "inc") return inc;
    if (name == "m") return 3;
    if (name == "k") return 5;
    if (name == "lda") return 8;
    if (name == "RowMajor") return 101;  // API constants, as the tracer would know them
    if (name == "NoTrans") return 111;
    return std::nullopt;
  };
  return c;
}

std::int64_t eval(std::string_view src, const SizeEvalContext& ctx) {
  auto r = evaluate_size_expr(*parse_ok(src), ctx);
  INFO(src << ": " << r.error);
  REQUIRE(r.value);
  return *r.value;
}

const char* kStrided = "n > 0 ? 1 + (n - 1) * (inc < 0 ? -inc : inc) : 0";
const char* kMatrix = "(order == RowMajor) == (trans == NoTrans) ? (m - 1) * lda + k : (k - 1) * lda + m";

}  // namespace

TEST_CASE("a conditional parses into Cond over Choice, right-associative, lowest precedence") {
  auto e = parse_ok("n > 0 ? n * 2 : 1");
  REQUIRE(e->op == Op::Cond);
  CHECK(e->a->op == Op::Compare);
  REQUIRE(e->b->op == Op::Choice);
  CHECK(e->b->a->op == Op::Mul);
  CHECK(e->b->b->op == Op::Int);
  e = parse_ok("a == 1 ? x : a == 2 ? y : z");  // a == 1 ? x : (a == 2 ? y : z)
  CHECK(e->b->b->op == Op::Cond);
  e = parse_ok("a == 1 && !(b != 2) || c < 3 ? x : y");
  CHECK(e->a->op == Op::Logical);
  CHECK(parse_ok("2 * (n > 0 ? n : 0) + 1")->op == Op::Add);
  CHECK(parse_ok("max(n > 0 ? n : 1, m)")->op == Op::Max);
}

TEST_CASE("a conditional prints back to what parses to the same tree") {
  for (const char* src : {kStrided, kMatrix, "a == 1 ? x : a == 2 ? y : z", "(a == 1 ? x : y) * 2",
                          "max(n > 0 ? n : 1, m)", "(n > 0 ? a : b) == 1 ? c : d"}) {
    auto e = parse_ok(src);
    std::string printed = print_size_expr(*e);
    INFO(src << " printed as " << printed);
    CHECK(size_expr_equal(*e, *parse_ok(printed)));
  }
  CHECK(print_size_expr(*parse_ok("(n>0)?(n):(0)")) == "n > 0 ? n : 0");
}

TEST_CASE("a conditional evaluates only the chosen arm") {
  CHECK(eval(kStrided, call(101, 111, 4, 2)) == 7);
  CHECK(eval(kStrided, call(101, 111, 4, -3)) == 10);
  CHECK(eval(kStrided, call(101, 111, 0, 1)) == 0);
  // Row major, not transposed: m rows of lda; column major, not transposed: k columns.
  CHECK(eval(kMatrix, call(101, 111, 0, 0)) == 2 * 8 + 5);
  CHECK(eval(kMatrix, call(102, 111, 0, 0)) == 4 * 8 + 3);
  CHECK(eval(kMatrix, call(102, 112, 0, 0)) == 2 * 8 + 5);
  // The other arm would divide by zero.
  CHECK(eval("n == 0 ? 0 : k / n", call(101, 111, 0, 1)) == 0);
}

TEST_CASE("comparisons outside a condition, and conditions that are not comparisons, are refused") {
  CHECK(parse_error("n == 1").find("belong in predicates") != std::string::npos);
  CHECK(parse_error("n + (m < 2)").find("belong in predicates") != std::string::npos);
  CHECK(parse_error("n > 0 ? m < 2 : 1").find("belong in predicates") != std::string::npos);
  CHECK(parse_error("!n").find("belong in predicates") != std::string::npos);
  CHECK(parse_error("n ? 1 : 2").find("must be a comparison") != std::string::npos);
  CHECK(parse_error("n > 0 ? 1").find("':' of `c ? a : b`") != std::string::npos);
  CHECK(parse_error("n > 0 ? 1 : ").find("operand") != std::string::npos);
  CHECK_FALSE(parse_predicate("n > 0 ? 1 : 2"));  // predicates stay true/false
}

TEST_CASE("names only a condition uses may be API constants") {
  auto e = parse_ok(kMatrix);
  auto only = size_expr_condition_only_names(*e);
  CHECK(only == std::vector<std::string>{"order", "RowMajor", "trans", "NoTrans"});
  CHECK(size_expr_condition_only_names(*parse_ok("n > 0 ? n : 0")).empty());  // n is also a value

  auto doc = [](const std::string& size) {
    return R"({"format": "remora-spec/1", "functions": [{"name": "f", "params": [
      {"name": "order", "type": "int", "direction": "in", "kind": "value"},
      {"name": "n", "type": "int", "direction": "in", "kind": "value"},
      {"name": "p", "type": "double *", "direction": "in", "kind": "buffer", "size": ")" +
           size + R"("}]}]})";
  };
  CHECK(spec_from_json_text(doc("order == RowMajor ? n : 2 * n")).ok());
  SpecLoad bad = spec_from_json_text(doc("order == 1 ? RowMajor : n"));
  REQUIRE_FALSE(bad.ok());
  CHECK(format_issue(bad.errors[0]).find("missing parameter 'RowMajor'") != std::string::npos);
}

TEST_CASE("emitted C of a conditional computes what the evaluator computes") {
  if (std::system("cc --version > /dev/null 2>&1") != 0) {
    WARN("skipped: no C compiler (cc) found");
    return;
  }
  struct Case {
    const char* src;
    std::int64_t order, trans, n, inc;
  };
  std::vector<Case> cases = {{kStrided, 101, 111, 4, 2},  {kStrided, 101, 111, 4, -3},
                             {kStrided, 101, 111, 0, 1},  {kMatrix, 101, 111, 0, 0},
                             {kMatrix, 102, 111, 0, 0},   {kMatrix, 102, 112, 0, 0},
                             {"n == 0 ? 0 : k / n", 101, 111, 0, 1}};
  std::ostringstream program;
  program << "#include <stdio.h>\nenum { RowMajor = 101, NoTrans = 111 };\n"
          << "static long long f(int order, int trans, int n, int inc, int m, int k, int lda, int which) {\n"
          << "  (void)order; (void)trans; (void)n; (void)inc; (void)m; (void)k; (void)lda;\n";
  for (std::size_t i = 0; i < cases.size(); ++i)
    program << "  if (which == " << i << ") return " << emit_size_expr_c(*parse_ok(cases[i].src)) << ";\n";
  program << "  return -1;\n}\nint main(void) {\n";
  for (std::size_t i = 0; i < cases.size(); ++i)
    program << "  printf(\"%lld\\n\", f(" << cases[i].order << ", " << cases[i].trans << ", " << cases[i].n
            << ", " << cases[i].inc << ", 3, 5, 8, " << i << "));\n";
  program << "  return 0;\n}\n";

  fs::path dir = fs::temp_directory_path() / ("remora-cond-c-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "cond.c") << program.str();
  std::string compile = "cc -std=c11 -Wall -Werror -o " + (dir / "cond").string() + " " +
                        (dir / "cond.c").string() + " 2>" + (dir / "cc.log").string();
  if (std::system(compile.c_str()) != 0) {
    std::ifstream log(dir / "cc.log");
    std::stringstream text;
    text << log.rdbuf();
    FAIL("emitted C does not compile:\n" << text.str() << "\n" << program.str());
  }
  FILE* out = ::popen((dir / "cond").string().c_str(), "r");
  REQUIRE(out);
  char line[64];
  for (const Case& c : cases) {
    REQUIRE(std::fgets(line, sizeof line, out));
    INFO(c.src);
    CHECK(std::stoll(line) == eval(c.src, call(c.order, c.trans, c.n, c.inc)));
  }
  ::pclose(out);
  fs::remove_all(dir);
}

TEST_CASE("normal form keeps a conditional as one atom") {
  CHECK(normalize_size_expr_text("2 * (n > 0 ? n : 0)") == normalize_size_expr_text("(n > 0 ? n : 0) * 2"));
}
