// The emitted C is compiled by the system C compiler and must compute what
// the evaluator computes, for curated and randomly generated expressions.
// (All values here are non-negative, where C's size_t arithmetic and the
// evaluator's checked int64 arithmetic agree by design.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "remora/spec/size_expr.h"

using namespace remora::spec;
namespace fs = std::filesystem;

namespace {

// Random expressions over the call below, without subtraction or negation.
std::string random_expr(std::mt19937& rng, int depth) {
  static const char* leaves[] = {"n",
                                 "m",
                                 "k",
                                 "*p",
                                 "desc->w",
                                 "sizeof(int)",
                                 "sizeof(void *)",
                                 "strlen(s)",
                                 "terminated(props)",
                                 "2",
                                 "3",
                                 "10"};
  if (depth == 0 || rng() % 3 == 0) return leaves[rng() % 12];
  std::string a = random_expr(rng, depth - 1), b = random_expr(rng, depth - 1);
  switch (rng() % 6) {
    case 0:
      return a + " + " + b;
    case 1:
      return a + " * " + b;
    case 2:
      return a + " / " + b;
    case 3:
      return "(" + a + " + " + b + ") * " + b;
    case 4:
      return "min(" + a + ", " + b + ")";
    default:
      return "max(" + a + ", " + b + ")";
  }
}

SizeEvalContext call_context() {
  SizeEvalContext c;
  c.param = [](std::string_view n) -> std::optional<std::int64_t> {
    if (n == "n") return 7;
    if (n == "m") return 3;
    if (n == "k") return 12;
    return std::nullopt;
  };
  c.deref_param = [](std::string_view n) -> std::optional<std::int64_t> {
    if (n == "p") return 5;
    return std::nullopt;
  };
  c.field = [](std::string_view p, std::string_view f) -> std::optional<std::int64_t> {
    if (p == "desc" && f == "w") return 640;
    return std::nullopt;
  };
  c.size_of = [](std::string_view t) -> std::optional<std::int64_t> {
    if (t == "int") return static_cast<std::int64_t>(sizeof(int));
    if (t == "void *") return static_cast<std::int64_t>(sizeof(void*));
    return std::nullopt;
  };
  c.strlen_param = [](std::string_view) -> std::optional<std::int64_t> { return 5; };
  c.terminated_param = [](std::string_view) -> std::optional<std::int64_t> { return 5; };
  return c;
}

const char* kPrelude = R"(#include <stdio.h>
#include <string.h>
struct desc_t { unsigned long long w; };
/* Key/value list: keys at even positions until a 0 key, terminator counted. */
static unsigned long long remora_terminated_count(const long long* p) {
  unsigned long long i = 0;
  while (p[i] != 0) i += 2;
  return i + 1;
}
int main(void) {
  unsigned long long n = 7, m = 3, k = 12;
  unsigned int pv = 5;
  const unsigned int* p = &pv;
  struct desc_t d = {640};
  const struct desc_t* desc = &d;
  const char* s = "hello";
  const long long props[] = {1, 2, 3, 4, 0, 9};
  (void)n; (void)m; (void)k; (void)p; (void)desc; (void)s; (void)props;
)";

}  // namespace

TEST_CASE("emitted C computes what the evaluator computes") {
  if (std::system("cc --version > /dev/null 2>&1") != 0) {
    WARN("skipped: no C compiler (cc) found");
    return;
  }
  std::vector<std::string> sources = {"n * sizeof(int)",     "n + m * k",
                                      "(n + m) * k",         "k / m / 2",
                                      "k / (m / 2)",         "min(n, m) * max(n, k)",
                                      "*p * sizeof(void *)", "desc->w * 4 + 1",
                                      "strlen(s) + 1",       "terminated(props) * sizeof(int)",
                                      "n * (m + k) / 2",     "max(min(n, k), m * 3)",
                                      "4294967296 * 2 / n"};
  std::mt19937 rng(31337);
  while (sources.size() < 300) sources.push_back(random_expr(rng, 3));

  std::ostringstream program;
  program << kPrelude;
  std::vector<std::int64_t> expected;
  std::vector<std::string> used;
  SizeEvalContext ctx = call_context();
  for (const auto& src : sources) {
    auto parsed = parse_size_expr(src);
    INFO(src);
    REQUIRE(parsed);
    auto value = evaluate_size_expr(*parsed.expr, ctx);
    if (!value.value) continue;  // division by zero: nothing to compare
    expected.push_back(*value.value);
    used.push_back(src);
    program << "  printf(\"%lld\\n\", (long long)(" << emit_size_expr_c(*parsed.expr) << "));\n";
  }
  program << "  return 0;\n}\n";
  REQUIRE(used.size() > 200);

  fs::path dir = fs::temp_directory_path() / ("remora-emit-c-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "sizes.c") << program.str();
  std::string compile = "cc -std=c11 -w -o " + (dir / "sizes").string() + " " +
                        (dir / "sizes.c").string() + " 2>" + (dir / "cc.log").string();
  int rc = std::system(compile.c_str());
  if (rc != 0) {
    std::ifstream log(dir / "cc.log");
    std::stringstream text;
    text << log.rdbuf();
    FAIL("emitted C does not compile:\n" << text.str());
  }
  FILE* out = ::popen((dir / "sizes").string().c_str(), "r");
  REQUIRE(out);
  char line[64];
  for (std::size_t i = 0; i < used.size(); ++i) {
    REQUIRE(std::fgets(line, sizeof line, out));
    INFO(used[i] << " emitted as " << emit_size_expr_c(*parse_size_expr(used[i]).expr));
    CHECK(std::stoll(line) == expected[i]);
  }
  ::pclose(out);
  fs::remove_all(dir);
}
