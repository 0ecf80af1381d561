// The size-expression forms for buffers of buffers and sizes only generated code
// can know: p[i] (the element index), readable(p) and query(FN, args...)[k].
// Parse, print, evaluate, normalize and emit each, and reject their misuse with
// a position and a message that says what to write instead.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>

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

// A call where lengths = {5, 7, 11}, n = 3, readable(p) = 100 and the info query
// `f` answers 10 * (k + 1) for element k of what it writes about (obj, K_CONST).
struct ElementCall {
  std::map<std::string, std::int64_t, std::less<>> scalars{{"n", 3}, {"count", 3}};
  std::map<std::string, std::vector<std::int64_t>, std::less<>> arrays{{"lengths", {5, 7, 11}}};
  std::vector<std::string> queries_seen;

  SizeEvalContext context(std::optional<std::int64_t> element_index) {
    SizeEvalContext c;
    c.param = [this](std::string_view k) -> std::optional<std::int64_t> {
      auto it = scalars.find(k);
      if (it == scalars.end()) return std::nullopt;
      return it->second;
    };
    c.index_param = [this](std::string_view k, std::int64_t i) -> std::optional<std::int64_t> {
      auto it = arrays.find(k);
      if (it == arrays.end() || i < 0 || i >= static_cast<std::int64_t>(it->second.size())) return std::nullopt;
      return it->second[static_cast<std::size_t>(i)];
    };
    c.element_index = element_index;
    c.readable = [](std::string_view p) -> std::optional<std::int64_t> {
      if (p == "p" || p == "host_ptr") return 100;
      return std::nullopt;  // e.g. an unmapped pointer
    };
    c.query = [this](const SizeExpr& q, std::int64_t k) -> std::optional<std::int64_t> {
      std::string seen = q.name + "(";
      for (const auto& a : q.args) seen += a + ",";
      queries_seen.push_back(seen + ")[" + std::to_string(k) + "]");
      if (q.name != "f" || q.args.empty() || q.args[0] != "obj") return std::nullopt;
      return 10 * (k + 1);
    };
    return c;
  }
};

SizeEvalResult eval(std::string_view src, const SizeEvalContext& ctx) {
  auto parsed = parse_size_expr(src);
  INFO("source: " << src);
  REQUIRE(parsed);
  return evaluate_size_expr(*parsed.expr, ctx);
}

}  // namespace

TEST_CASE("p[i], readable(p) and query(...) parse to their nodes") {
  auto e = parse_ok("lengths[i]");
  CHECK(e->op == Op::Index);
  CHECK(e->name == "lengths");
  REQUIRE(e->a);
  CHECK(e->a->op == Op::ElementIndex);

  e = parse_ok("readable(host_ptr)");
  CHECK(e->op == Op::Readable);
  CHECK(e->name == "host_ptr");
  CHECK_FALSE(e->a);

  e = parse_ok("query(f, obj, K_CONST)");
  CHECK(e->op == Op::Query);
  CHECK(e->name == "f");
  CHECK(e->args == std::vector<std::string>{"obj", "K_CONST"});
  CHECK_FALSE(e->a);  // no subscript: element 0 of the value

  e = parse_ok("query(f, obj, K_CONST)[2]");
  REQUIRE(e->a);
  CHECK(e->a->op == Op::Int);
  CHECK(e->a->value == 2);

  e = parse_ok("query(f, obj, 3)[i] * 2");
  CHECK(e->op == Op::Mul);
  CHECK(e->a->op == Op::Query);
  CHECK(e->a->args == std::vector<std::string>{"obj", "3"});
  REQUIRE(e->a->a);
  CHECK(e->a->a->op == Op::ElementIndex);

  // A query with no leading arguments is allowed: the function takes only the value.
  e = parse_ok("query(g)");
  CHECK(e->op == Op::Query);
  CHECK(e->args.empty());

  // A constant index still parses to the old form (value, no child).
  e = parse_ok("lengths[2]");
  CHECK(e->op == Op::Index);
  CHECK(e->value == 2);
  CHECK_FALSE(e->a);
}

TEST_CASE("printing the new forms is canonical and round-trips structurally") {
  struct Case {
    const char* source;
    const char* canonical;
  };
  const Case cases[] = {
      {"lengths[i]", "lengths[i]"},
      {"lengths[ i ]", "lengths[i]"},
      {"readable(host_ptr)", "readable(host_ptr)"},
      {"readable( host_ptr )", "readable(host_ptr)"},
      {"min(readable(p), n * 16)", "min(readable(p), n * 16)"},
      {"min(readable(p),n*16)", "min(readable(p), n * 16)"},
      {"query(f, obj, K_CONST)", "query(f, obj, K_CONST)"},
      {"query(f,obj,K_CONST)", "query(f, obj, K_CONST)"},
      {"query(f, obj, K_CONST)[2]", "query(f, obj, K_CONST)[2]"},
      {"query(f, obj, 3)[i] * 2", "query(f, obj, 3)[i] * 2"},
      {"(query(f,obj,3)[i])*2", "query(f, obj, 3)[i] * 2"},
      {"2 * lengths[i] + query(g)", "2 * lengths[i] + query(g)"},
  };
  for (const auto& c : cases) {
    INFO("source: " << c.source);
    auto e = parse_ok(c.source);
    std::string printed = print_size_expr(*e);
    CHECK(printed == c.canonical);
    auto again = parse_ok(printed);
    CHECK(size_expr_equal(*e, *again));
    CHECK(print_size_expr(*again) == printed);
  }
  // Structural equality sees the differences the printer shows.
  CHECK_FALSE(size_expr_equal(*parse_ok("lengths[i]"), *parse_ok("lengths[0]")));
  CHECK_FALSE(size_expr_equal(*parse_ok("query(f, a, B)"), *parse_ok("query(f, a, C)")));
  CHECK_FALSE(size_expr_equal(*parse_ok("query(f, a)"), *parse_ok("query(f, a)[0]")));
  CHECK_FALSE(size_expr_equal(*parse_ok("query(f, a)[1]"), *parse_ok("query(f, a)[i]")));
  CHECK_FALSE(size_expr_equal(*parse_ok("readable(p)"), *parse_ok("p")));
}

TEST_CASE("misused element indexes, queries and readable() are errors with positions") {
  struct Case {
    const char* source;
    std::size_t position;
    const char* message_part;
  };
  const Case cases[] = {
      // Only `i` (or a constant) may index: any other name could be unbounded data.
      {"p[j]", 2, "an index must be a non-negative integer constant or i"},
      {"p[j]", 2, "found 'j'"},
      {"query()", 6, "query() takes a function name first, found ')'"},
      {"query(3)", 6, "query() takes a function name first"},
      // Arguments are names or integers, never expressions.
      {"query(f, a + 1)", 11, "expected ')' to close query( at offset 5, found '+'"},
      {"query(f, (a))", 9, "query() arguments are parameter names, API constants or integers, found '('"},
      {"query(f, a", 10, "found end of expression"},
      {"readable(3)", 9, "readable() takes a parameter name, found '3'"},
      {"readable(p, q)", 10, "expected ')' to close readable("},
      {"query(f, a)[n]", 12, "an index must be a non-negative integer constant or i"},
      {"query(f, a)[i", 13, "expected ']'"},
      {"lengths[i + 1]", 10, "expected ']'"},
      {"frobnicate(p)", 0, "readable, measured, query"},  // the list of functions names the new ones
  };
  for (const auto& c : cases) {
    INFO("source: " << c.source);
    auto err = parse_error(c.source);
    INFO("message: " << err.message);
    CHECK(err.position == c.position);
    CHECK(err.message.find(c.message_part) != std::string::npos);
  }
}

TEST_CASE("size_expr_params lists readable()'s pointer and the array p[i] reads") {
  CHECK(size_expr_params(*parse_ok("lengths[i]")) == std::vector<std::string>{"lengths"});
  CHECK(size_expr_params(*parse_ok("min(readable(data), hint)")) == std::vector<std::string>{"data", "hint"});
  CHECK(size_expr_params(*parse_ok("readable(p) + lengths[i] + p")) == std::vector<std::string>{"p", "lengths"});
  // `i` itself is not a parameter, nor is the queried function's name.
  CHECK(size_expr_params(*parse_ok("query(toyGetInfo, b, K)[i]")).empty());
}

TEST_CASE("i, readable() and query() evaluate through the context") {
  ElementCall call;
  for (std::int64_t i = 0; i < 3; ++i) {
    auto r = eval("lengths[i]", call.context(i));
    INFO("i = " << i << " error: " << r.error);
    REQUIRE(r.value);
    CHECK(*r.value == std::vector<std::int64_t>{5, 7, 11}[static_cast<std::size_t>(i)]);
  }
  auto r = eval("2 * lengths[i] + 1", call.context(2));
  REQUIRE(r.value);
  CHECK(*r.value == 23);
  // A bare `i` is an ordinary parameter name: only p[i] and query(...)[i] mean the index.
  CHECK(parse_ok("i")->op == Op::Param);
  r = eval("i", call.context(2));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("unknown parameter 'i'") != std::string::npos);

  r = eval("min(readable(p), n * 16)", call.context(std::nullopt));
  REQUIRE(r.value);
  CHECK(*r.value == 48);
  r = eval("min(readable(p), n * 64)", call.context(std::nullopt));
  REQUIRE(r.value);
  CHECK(*r.value == 100);

  r = eval("query(f, obj, K_CONST)", call.context(std::nullopt));
  REQUIRE(r.value);
  CHECK(*r.value == 10);  // no subscript reads element 0
  r = eval("query(f, obj, K_CONST)[2]", call.context(std::nullopt));
  REQUIRE(r.value);
  CHECK(*r.value == 30);
  r = eval("query(f, obj, 3)[i] * 2", call.context(1));
  REQUIRE(r.value);
  CHECK(*r.value == 40);
  // The callback saw the function, the arguments as written and the index.
  CHECK(call.queries_seen ==
        std::vector<std::string>{"f(obj,K_CONST,)[0]", "f(obj,K_CONST,)[2]", "f(obj,3,)[1]"});
}

TEST_CASE("missing context for i, readable() or query() is an error, not a crash") {
  ElementCall call;
  // `i` outside the size of an element.
  auto r = eval("lengths[i]", call.context(std::nullopt));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("i is only known in the size of an element") != std::string::npos);
  r = eval("query(f, obj)[i]", call.context(std::nullopt));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("i is only known") != std::string::npos);
  // An index past the array the context knows.
  r = eval("lengths[i]", call.context(3));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("lengths[3]") != std::string::npos);

  // The callbacks answer "unknown".
  r = eval("readable(q)", call.context(std::nullopt));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("cannot compute readable(q)") != std::string::npos);
  r = eval("query(other, obj)", call.context(std::nullopt));
  CHECK_FALSE(r.value);
  CHECK(r.error.find("query(other, ...) gave no value") != std::string::npos);

  // No callbacks at all (a traced call: only generated code knows these).
  SizeEvalContext bare;
  bare.param = [](std::string_view) -> std::optional<std::int64_t> { return 4; };
  r = eval("min(readable(p), n)", bare);
  CHECK_FALSE(r.value);
  CHECK(r.error.find("readable(p) is only known to generated code") != std::string::npos);
  r = eval("query(f, obj)[1] + n", bare);
  CHECK_FALSE(r.value);
  CHECK(r.error.find("query(f, ...) is only known to generated code") != std::string::npos);
  r = eval("lengths[i]", bare);  // neither i nor an index reader
  CHECK_FALSE(r.value);
  CHECK_FALSE(r.error.empty());
  bare.element_index = 0;
  r = eval("lengths[i]", bare);
  CHECK_FALSE(r.value);
  CHECK(r.error.find("cannot read lengths[0] here") != std::string::npos);
}

TEST_CASE("normal forms treat the new atoms like any other") {
  CHECK(normalize_size_expr_text("2 * lengths[i]") == normalize_size_expr_text("lengths[i] * 2"));
  CHECK(normalize_size_expr_text("lengths[i] + lengths[i]") == normalize_size_expr_text("2 * lengths[i]"));
  CHECK(normalize_size_expr_text("lengths[i]") != normalize_size_expr_text("lengths[0]"));
  CHECK(normalize_size_expr_text("query(f, a, B)[i] * 4") == normalize_size_expr_text("4 * query(f,a,B)[i]"));
  CHECK(normalize_size_expr_text("query(f, a, B)") != normalize_size_expr_text("query(f, a, C)"));
  CHECK(normalize_size_expr_text("min(readable(p), n)") == normalize_size_expr_text("min(readable(p),n)"));
  CHECK(normalize_size_expr_text("readable(p) + 1") == normalize_size_expr_text("1 + readable(p)"));
}

TEST_CASE("C text of the new forms, and the custom hook that replaces nodes") {
  auto c = [](std::string_view src) { return emit_size_expr_c(*parse_ok(src)); };
  CHECK(c("lengths[i]") == "lengths[i]");
  CHECK(c("readable(host_ptr)").find("remora_readable_bytes(host_ptr)") != std::string::npos);
  CHECK(c("min(readable(p), n * 16)").find("remora_readable_bytes(p)") != std::string::npos);
  CHECK(c("query(f, obj, K_CONST)[2]").find("f(obj, K_CONST, 2)") != std::string::npos);

  // rename reaches the array and the pointer of readable().
  auto rename = [](std::string_view n) { return "args." + std::string(n); };
  CHECK(emit_size_expr_c(*parse_ok("lengths[i]"), rename) == "args.lengths[i]");
  CHECK(emit_size_expr_c(*parse_ok("readable(p)"), rename) == "remora_readable_bytes(args.p)");

  // The custom hook is consulted first for every node; "" falls back to the default.
  std::vector<Op> visited;
  auto custom = [&](const SizeExpr& n) -> std::string {
    visited.push_back(n.op);
    if (n.op == Op::ElementIndex) return "rm_i";
    if (n.op == Op::Readable) return "READABLE_" + n.name;
    if (n.op == Op::Query) return "Q_" + n.name + "_" + std::to_string(n.args.size());
    return "";
  };
  auto idx = [](std::string_view p, std::int64_t i) { return "at(" + std::string(p) + ", " + std::to_string(i) + ")"; };
  CHECK(emit_size_expr_c(*parse_ok("min(readable(p), n * 16)"), {}, idx, custom) ==
        "((READABLE_p) < ((n * 16)) ? (READABLE_p) : ((n * 16)))");
  CHECK(emit_size_expr_c(*parse_ok("query(f, obj, 3)[i] * 2"), {}, idx, custom) == "(Q_f_2 * 2)");
  // p[i] keeps the default form, with the hook's text for `i`; p[0] goes through `index`.
  CHECK(emit_size_expr_c(*parse_ok("lengths[i] + lengths[1]"), rename, idx, custom) ==
        "(args.lengths[rm_i] + at(lengths, 1))");
  // Every node was offered to the hook, children of nodes it declined included.
  CHECK(std::count(visited.begin(), visited.end(), Op::ElementIndex) == 1);
  CHECK(std::count(visited.begin(), visited.end(), Op::Index) == 2);
  CHECK(std::count(visited.begin(), visited.end(), Op::Param) >= 1);
}

TEST_CASE("size_expr_uses finds i, query() and readable() anywhere in the tree") {
  auto uses = [](std::string_view src, Op op) { return size_expr_uses(*parse_ok(src), op); };
  CHECK(uses("lengths[i]", Op::ElementIndex));
  CHECK(uses("4 + max(n, 2 * lengths[i])", Op::ElementIndex));
  CHECK(uses("query(f, a)[i]", Op::ElementIndex));
  CHECK_FALSE(uses("lengths[0] * n", Op::ElementIndex));
  CHECK(uses("query(f, a)", Op::Query));
  CHECK(uses("n * (1 + query(f, a, B)[2])", Op::Query));
  CHECK_FALSE(uses("n * 2", Op::Query));
  CHECK(uses("min(readable(p), n * 16)", Op::Readable));
  CHECK(uses("-readable(p)", Op::Readable));
  CHECK_FALSE(uses("min(p, n * 16)", Op::Readable));
  CHECK(uses("min(readable(p), n * 16)", Op::Min));  // any op, not only the new ones
}

TEST_CASE("measured(p, formats...) parses, prints, evaluates and emits; misuse is an error", "[measured]") {
  SizeExprPtr e = parse_ok("measured( image , fatbin,elf, text )");
  CHECK(e->op == Op::Measured);
  CHECK(e->name == "image");
  CHECK(e->args == std::vector<std::string>{"fatbin", "elf", "text"});
  CHECK(print_size_expr(*e) == "measured(image, fatbin, elf, text)");
  CHECK(size_expr_equal(*parse_ok(print_size_expr(*e)), *e));
  CHECK(size_expr_params(*e) == std::vector<std::string>{"image"});
  CHECK(size_expr_uses(*parse_ok("1 + measured(p, text)"), Op::Measured));
  CHECK(normalize_size_expr_text("measured(p, elf)") == "measured(p, elf)");
  CHECK(emit_size_expr_c(*e) == "remora_measured_bytes(image, \"fatbin,elf,text\")");
  // Only the runtime's formats, each once, at least one; never in a predicate.
  CHECK(parse_error("measured(p, zip)").message.find("formats are fatbin, elf, text") != std::string::npos);
  CHECK(parse_error("measured(p, elf, elf)").message.find("twice") != std::string::npos);
  CHECK(parse_error("measured(p)").message.find("at least one format") != std::string::npos);
  CHECK(parse_error("measured(3, elf)").message.find("parameter name") != std::string::npos);
  CHECK(parse_error("measured(p, 1)").message.find("formats are") != std::string::npos);
  CHECK_FALSE(parse_predicate("measured(p, elf) > 0"));
  // The value is generated code's: the evaluator asks its context, or says it cannot.
  SizeEvalContext none;
  CHECK(evaluate_size_expr(*e, none).error.find("only known to generated code") != std::string::npos);
  SizeEvalContext c;
  c.measured = [](const SizeExpr& m) -> std::optional<std::int64_t> {
    if (m.name == "image" && m.args.size() == 3) return 4096;
    return std::nullopt;  // not an image of its formats
  };
  CHECK(evaluate_size_expr(*e, c).value == 4096);
  CHECK(evaluate_size_expr(*parse_ok("measured(other, elf)"), c).error.find("cannot measure other") != std::string::npos);
}

// "strings[i] is lengths[i] bytes when lengths is given and lengths[i] is not 0, else
// NUL-terminated" (clCreateProgramWithSource, glShaderSource): the conditional, p[i]
// and strlen(p[i]) together, with the NUL counted in the bytes the element takes.
TEST_CASE("an element sized by an optional length array or its NUL", "[spec][size][element]") {
  const char* src = "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1";
  auto e = parse_ok(src);
  REQUIRE(e->op == Op::Cond);
  CHECK(print_size_expr(*e) == src);
  CHECK(size_expr_equal(*parse_ok(print_size_expr(*e)), *e));
  // Spacing and redundant parentheses do not change it; other arms do.
  CHECK(print_size_expr(*parse_ok(
            "(lengths!=0&&lengths[ i ]!=0) ? (lengths[i]) : (strlen(strings[i])+1)")) == src);
  CHECK(normalize_size_expr_text(
            "lengths != 0 && lengths[i] != 0 ? lengths[i] : 1 + strlen(strings[i])") ==
        normalize_size_expr_text(src));
  CHECK(normalize_size_expr_text(
            "lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i])") !=
        normalize_size_expr_text(src));
  CHECK(size_expr_params(*e) == std::vector<std::string>{"lengths", "strings"});

  // Evaluation: lengths NULL (0), a zero entry, a sized entry.
  std::vector<std::string> strings{"abc", "hello", "xy"};
  std::vector<std::int64_t> lengths{2, 0, 9};
  bool lengths_given = true;
  SizeEvalContext c;
  c.param = [&](std::string_view k) -> std::optional<std::int64_t> {
    if (k == "lengths")
      return lengths_given ? 0x1000 : 0;  // the pointer's value: only its nullness matters
    return std::nullopt;
  };
  c.index_param = [&](std::string_view k, std::int64_t i) -> std::optional<std::int64_t> {
    if (k != "lengths" || !lengths_given || i < 0 || i >= 3) return std::nullopt;
    return lengths[static_cast<std::size_t>(i)];
  };
  c.strlen_element = [&](std::string_view k, std::int64_t i) -> std::optional<std::int64_t> {
    if (k != "strings" || i < 0 || i >= 3) return std::nullopt;
    return static_cast<std::int64_t>(strings[static_cast<std::size_t>(i)].size());
  };
  auto at = [&](std::int64_t i) {
    c.element_index = i;
    auto r = evaluate_size_expr(*e, c);
    INFO("i = " << i << " error: " << r.error);
    REQUIRE(r.value);
    return *r.value;
  };
  CHECK(at(0) == 2);  // lengths[0] bytes, no NUL
  CHECK(at(1) == 6);  // lengths[1] == 0: "hello" and its NUL
  CHECK(at(2) == 9);
  lengths_given =
      false;  // lengths == NULL: every element is NUL-terminated (lengths[i] is never read)
  CHECK(at(0) == 4);
  CHECK(at(1) == 6);
  c.strlen_element = nullptr;
  c.element_index = 0;
  CHECK(evaluate_size_expr(*e, c).error.find("cannot compute strlen(strings[i])") !=
        std::string::npos);
}
