// The emitted C is compiled by the system C compiler and must compute what
// the evaluator computes, for curated and randomly generated expressions.
// (All values here are non-negative, where C's size_t arithmetic and the
// evaluator's checked int64 arithmetic agree by design.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
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

// `&` (tighter than ==, unlike C) and property() (in_order predicates): the C text, where
// & binds looser than ==, must still compute what the evaluator computes.
TEST_CASE("emitted C of & and property() computes what the evaluator computes") {
  if (std::system("cc --version > /dev/null 2>&1") != 0) {
    WARN("skipped: no C compiler (cc) found");
    return;
  }
  const char* prelude = R"(#include <stdio.h>
/* The value after `key` in a 0-terminated key/value list, 0 when absent or NULL. */
static long long remora_property_value(const long long* p, long long key) {
  if (!p) return 0;
  for (; p[0] != 0; p += 2)
    if (p[0] == key) return p[1];
  return 0;
}
enum { KEY_A = 4243, KEY_B = 7, OUT_OF_ORDER = 1, PROFILING = 2 };
int main(void) {
  unsigned long long n = 7, m = 3, flags = 6;
  const long long props[] = {KEY_A, 3, KEY_B, 2, 0};
  const long long* none = 0;
  (void)n; (void)m; (void)flags; (void)props; (void)none;
)";
  const std::vector<std::string> sources = {
      "n & m == 3",
      "flags & OUT_OF_ORDER == 0",
      "(flags & PROFILING) != 0 && (flags & OUT_OF_ORDER) == 0",
      "n & m & 1",
      "n + 1 & m * 2",
      "!(n & 8)",
      "(property(props, KEY_A) & OUT_OF_ORDER) == 0",
      "(property(props, KEY_B) & OUT_OF_ORDER) == 0",
      "property(props, 99) == 0",
      "property(none, KEY_A) == 0",
  };
  std::map<std::string, std::int64_t> names{{"n", 7},        {"m", 3},     {"flags", 6},
                                            {"KEY_A", 4243}, {"KEY_B", 7}, {"OUT_OF_ORDER", 1},
                                            {"PROFILING", 2}};
  const std::map<std::string, std::vector<std::int64_t>> lists{{"props", {4243, 3, 7, 2, 0}},
                                                               {"none", {}}};
  SizeEvalContext ctx;
  ctx.param = [&](std::string_view n) -> std::optional<std::int64_t> {
    auto it = names.find(std::string(n));
    return it == names.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
  };
  ctx.property = [&](std::string_view name, std::int64_t key) -> std::optional<std::int64_t> {
    auto it = lists.find(std::string(name));
    if (it == lists.end()) return std::nullopt;
    const auto& l = it->second;
    for (std::size_t i = 0; i + 1 < l.size() && l[i] != 0; i += 2)
      if (l[i] == key) return l[i + 1];
    return 0;
  };
  std::ostringstream program;
  program << prelude;
  std::vector<std::int64_t> expected;
  for (const auto& src : sources) {
    INFO(src);
    auto parsed = parse_creation_predicate(src);
    REQUIRE(parsed);
    auto value = evaluate_size_expr(*parsed.expr, ctx);
    REQUIRE(value.value);
    expected.push_back(*value.value);
    program << "  printf(\"%lld\\n\", (long long)(" << emit_size_expr_c(*parsed.expr) << "));\n";
  }
  program << "  return 0;\n}\n";
  fs::path dir = fs::temp_directory_path() / ("remora-emit-c-bitand-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "preds.c") << program.str();
  std::string compile = "cc -std=c11 -w -o " + (dir / "preds").string() + " " +
                        (dir / "preds.c").string() + " 2>" + (dir / "cc.log").string();
  if (std::system(compile.c_str()) != 0) {
    std::ifstream log(dir / "cc.log");
    std::stringstream text;
    text << log.rdbuf();
    FAIL("emitted C does not compile:\n" << text.str());
  }
  FILE* out = ::popen((dir / "preds").string().c_str(), "r");
  REQUIRE(out);
  char line[64];
  for (std::size_t i = 0; i < sources.size(); ++i) {
    REQUIRE(std::fgets(line, sizeof line, out));
    INFO(sources[i] << " emitted as "
                    << emit_size_expr_c(*parse_creation_predicate(sources[i]).expr));
    CHECK(std::stoll(line) == expected[i]);
  }
  ::pclose(out);
  fs::remove_all(dir);
}
