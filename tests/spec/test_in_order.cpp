// `in_order` (docs/spec-format.md): the bitwise `&` of every predicate, `property(p, KEY)`
// of in_order predicates only, and the field itself through JSON, the project store,
// `remora diff` and validation.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"
#include "remora/spec/size_expr.h"
#include "remora/spec/spec_diff.h"

using namespace remora::spec;

namespace {

std::string printed(const std::string& text,
                    SizeExprParse (*parse)(std::string_view) = parse_predicate) {
  SizeExprParse p = parse(text);
  REQUIRE(p);
  return print_size_expr(*p.expr);
}

std::string refusal(const std::string& text, SizeExprParse (*parse)(std::string_view)) {
  SizeExprParse p = parse(text);
  REQUIRE_FALSE(p);
  return p.error->message;
}

// A queue-like API: create(ctx, flags, props, &err) returns a handle it allocates.
const char* kSpec = R"js({"format": "remora-spec/1", "api": {"name": "t"},
  "types": [{"name": "queue_t", "kind": "handle"}],
  "functions": [
    {"name": "createQueue", "return": {"type": "queue_t", "kind": "handle", "allocates": true},
     "in_order": "(flags & OUT_OF_ORDER) == 0",
     "params": [{"name": "flags", "type": "unsigned long", "direction": "in", "kind": "value"}]},
    {"name": "createQueueWithProperties", "return": {"type": "queue_t", "kind": "handle", "allocates": true},
     "in_order": "(property(props, QUEUE_PROPERTIES) & OUT_OF_ORDER) == 0",
     "params": [{"name": "props", "type": "const unsigned long *", "direction": "in", "kind": "buffer",
                 "size": "terminated(props)", "nullable": true},
                {"name": "err", "type": "int *", "direction": "out", "kind": "element", "nullable": true}]},
    {"name": "createStream", "return": {"type": "int"}, "in_order": true,
     "params": [{"name": "stream", "type": "queue_t *", "direction": "out", "kind": "element", "allocates": true,
                 "element": {"kind": "handle", "handle_type": "queue_t"}}]},
    {"name": "finish", "return": {"type": "int"},
     "params": [{"name": "q", "type": "queue_t", "direction": "in", "kind": "handle"}]}]})js";

std::string all_errors(const SpecLoad& l) {
  std::string out;
  for (const auto& e : l.errors) out += format_issue(e) + "\n";
  return out;
}

}  // namespace

TEST_CASE("& binds tighter than a comparison and always prints in parentheses") {
  SizeExprParse p = parse_predicate("flags & F == 0");
  REQUIRE(p);
  REQUIRE(p.expr->op == SizeExpr::Op::Compare);
  CHECK(p.expr->a->op == SizeExpr::Op::BitAnd);
  CHECK(print_size_expr(*p.expr) == "(flags & F) == 0");
  CHECK(printed("(flags & F) == 0") == "(flags & F) == 0");
  CHECK(printed("a & b & c") == "((a & b) & c)");
  CHECK(printed("a + 1 & b") == "(a + 1 & b)");  // + binds tighter, as in C
  CHECK(printed("(a & F) != 0 && (b & G) == 0") == "(a & F) != 0 && (b & G) == 0");
  // Round trip: the printed text parses back to the same tree.
  for (const char* text : {"flags & F == 0", "a & b & c", "(a == 1) & b", "!(a & 4)"}) {
    SizeExprParse once = parse_predicate(text);
    REQUIRE(once);
    SizeExprParse again = parse_predicate(print_size_expr(*once.expr));
    REQUIRE(again);
    CHECK(size_expr_equal(*once.expr, *again.expr));
  }
}

TEST_CASE("& in a size belongs to the condition of c ? a : b only, and | stays refused") {
  SizeExprParse cond = parse_size_expr("(flags & 4) != 0 ? n : 0");
  REQUIRE(cond);
  CHECK(print_size_expr(*cond.expr) == "(flags & 4) != 0 ? n : 0");
  CHECK(refusal("n & 3", parse_size_expr).find("'&' belongs in predicates") != std::string::npos);
  CHECK(refusal("a | b", parse_predicate).find("bitwise '|' is not supported") !=
        std::string::npos);
  CHECK(refusal("a & ", parse_predicate).find("operand") != std::string::npos);
}

TEST_CASE("& evaluates, emits parenthesised C and has a normal form") {
  SizeExprParse p = parse_predicate("(flags & F) == 0");
  REQUIRE(p);
  std::map<std::string, std::int64_t> values{{"flags", 6}, {"F", 1}};
  SizeEvalContext ctx;
  ctx.param = [&](std::string_view n) -> std::optional<std::int64_t> {
    auto it = values.find(std::string(n));
    return it == values.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
  };
  CHECK(evaluate_size_expr(*p.expr, ctx).value == 1);
  values["flags"] = 7;
  CHECK(evaluate_size_expr(*p.expr, ctx).value == 0);
  CHECK(emit_size_expr_c(*p.expr) == "((flags & F) == 0)");
  // & commutes: both orders have one normal form.
  SizeExprParse x = parse_size_expr("(a & b) != 0 ? n : 0"),
                y = parse_size_expr("(b & a) != 0 ? n : 0");
  REQUIRE(x);
  REQUIRE(y);
  SizeExprParse ax = parse_predicate("a & b"), bx = parse_predicate("b & a");
  REQUIRE(ax);
  REQUIRE(bx);
  CHECK(normalize_size_expr(*ax.expr) == normalize_size_expr(*bx.expr));
}

TEST_CASE("property() parses, prints and evaluates in an in_order predicate") {
  const std::string text = "(property(props, QUEUE_PROPERTIES) & OUT_OF_ORDER) == 0";
  SizeExprParse p = parse_creation_predicate(text);
  REQUIRE(p);
  CHECK(print_size_expr(*p.expr) == text);
  const SizeExpr& prop = *p.expr->a->a;
  REQUIRE(prop.op == SizeExpr::Op::Property);
  CHECK(prop.name == "props");
  CHECK(prop.args == std::vector<std::string>{"QUEUE_PROPERTIES"});
  // The list is a parameter; the key is not a name the expression uses as a value.
  CHECK(size_expr_params(*p.expr) == std::vector<std::string>{"props", "OUT_OF_ORDER"});
  CHECK(printed("property(p, 4146) != 0", parse_creation_predicate) == "property(p, 4146) != 0");

  // {QUEUE_PROPERTIES, flags, 0}: the list of one key.
  std::map<std::string, std::int64_t> constants{{"QUEUE_PROPERTIES", 0x1093}, {"OUT_OF_ORDER", 1}};
  std::vector<std::int64_t> list{0x1093, 2, 0};
  SizeEvalContext ctx;
  ctx.param = [&](std::string_view n) -> std::optional<std::int64_t> {
    auto it = constants.find(std::string(n));
    return it == constants.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
  };
  ctx.property = [&](std::string_view name, std::int64_t key) -> std::optional<std::int64_t> {
    if (name != "props") return std::nullopt;
    for (std::size_t i = 0; i + 1 < list.size() && list[i] != 0; i += 2)
      if (list[i] == key) return list[i + 1];
    return 0;
  };
  CHECK(evaluate_size_expr(*p.expr, ctx).value == 1);  // profiling only: in order
  list = {0x1093, 3, 0};
  CHECK(evaluate_size_expr(*p.expr, ctx).value == 0);  // out-of-order bit set
  list = {0};
  CHECK(evaluate_size_expr(*p.expr, ctx).value == 1);  // key absent: the default, in order
  // Without the callback (a context before the call) it is an error, not a guess.
  SizeEvalContext before;
  before.param = ctx.param;
  CHECK_FALSE(evaluate_size_expr(*p.expr, before).value);
  CHECK(evaluate_size_expr(*p.expr, before).error.find("only known after the creating call") !=
        std::string::npos);
}

TEST_CASE("property() emits remora_property_value by default") {
  SizeExprParse p = parse_creation_predicate("(property(props, KEY) & F) == 0");
  REQUIRE(p);
  CHECK(emit_size_expr_c(*p.expr) == "((remora_property_value(props, KEY) & F) == 0)");
  auto rename = [](std::string_view n) { return n == "props" ? "args.props" : std::string(n); };
  CHECK(emit_size_expr_c(*p.expr, rename) == "((remora_property_value(args.props, KEY) & F) == 0)");
  // A hand-built node whose key is not a word emits no C text from it.
  SizeExpr bad;
  bad.op = SizeExpr::Op::Property;
  bad.name = "props";
  bad.args = {"1); exit(0"};
  CHECK(emit_size_expr_c(bad) == "0");
}

TEST_CASE("property() is refused outside an in_order predicate, with the reason") {
  for (auto parse : {parse_predicate, parse_size_expr}) {
    std::string why = refusal("property(props, KEY) != 0", parse);
    CHECK(why.find("only allowed in an in_order predicate") != std::string::npos);
  }
  CHECK(refusal("property(props) != 0", parse_creation_predicate).find("takes a key") !=
        std::string::npos);
  CHECK(refusal("property(props, (a)) != 0", parse_creation_predicate).find("keys are") !=
        std::string::npos);
  CHECK(refusal("property(1, K) != 0", parse_creation_predicate).find("parameter name first") !=
        std::string::npos);
  // Everything else a predicate refuses stays refused.
  CHECK(refusal("*p != 0", parse_creation_predicate).find("reads memory") != std::string::npos);
  CHECK(refusal("ret != 0", parse_creation_predicate).find("'ret'") != std::string::npos);
}

TEST_CASE("in_order round-trips through JSON and the project store") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  CHECK(a.spec.find_function("createQueue")->in_order == "(flags & OUT_OF_ORDER) == 0");
  CHECK(a.spec.find_function("createStream")->in_order == "true");
  CHECK(a.spec.find_function("finish")->in_order.empty());
  std::string text = spec_to_json_text(a.spec);
  CHECK(text.find("\"in_order\": true") != std::string::npos);
  CHECK(text.find("\"in_order\": \"(property(props, QUEUE_PROPERTIES) & OUT_OF_ORDER) == 0\"") !=
        std::string::npos);
  SpecLoad b = spec_from_json_text(text);
  REQUIRE(b.ok());
  CHECK(b.spec == a.spec);

  // An evidence claim says it too; false is a claim as well.
  Spec with_claims = a.spec;
  Evidence e;
  e.source = EvidenceSource::Docs;
  e.says.in_order = "(flags & OUT_OF_ORDER) == 0";
  with_claims.find_function("createQueue")->evidence.push_back(e);
  e.says.in_order = "false";
  with_claims.find_function("createStream")->evidence.push_back(e);
  SpecLoad c = spec_from_json_text(spec_to_json_text(with_claims));
  REQUIRE(c.ok());
  CHECK(c.spec == with_claims);

  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("remora-in-order-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    auto store = ProjectStore::open((dir / "q.remora").string());
    store->save_spec(with_claims);
    CHECK(store->load_spec() == with_claims);
  }
  fs::remove_all(dir);
}

TEST_CASE("in_order is read as true, false or a predicate, nothing else") {
  std::string doc = kSpec;
  doc.replace(doc.find("\"in_order\": true"), 16, "\"in_order\": 3");
  SpecLoad l = spec_from_json_text(doc);
  CHECK_FALSE(l.ok());
  CHECK(all_errors(l).find("in_order must be true, false or a non-empty C predicate") !=
        std::string::npos);
}

TEST_CASE("remora diff shows an in_order change") {
  SpecLoad a = spec_from_json_text(kSpec);
  REQUIRE(a.ok());
  Spec after = a.spec;
  after.find_function("createQueue")->in_order.clear();
  SpecDiff d = diff_specs(a.spec, after);
  CHECK(d.changed_functions() == 1);
  std::string text = format_spec_diff(d);
  CHECK(text.find("in_order") != std::string::npos);
  CHECK(text.find("(flags & OUT_OF_ORDER) == 0 -> false") != std::string::npos);
}

TEST_CASE("validation: in_order only where a handle is made, property() only on an input list") {
  auto errors_with = [](const std::string& from, const std::string& to) {
    std::string doc = kSpec;
    doc.replace(doc.find(from), from.size(), to);
    return all_errors(spec_from_json_text(doc));
  };
  // finish creates nothing.
  std::string none =
      errors_with(R"js("name": "finish", "return": {"type": "int"},)js",
                  R"js("name": "finish", "return": {"type": "int"}, "in_order": true,)js");
  CHECK(none.find("finish.in_order: in_order describes the object a call creates, but finish "
                  "creates none") != std::string::npos);
  // A predicate that does not parse as an in_order predicate.
  std::string bad = errors_with("\"(flags & OUT_OF_ORDER) == 0\"", "\"flags | 1\"");
  CHECK(bad.find("in_order \"flags | 1\" is not a predicate") != std::string::npos);
  // property() of a by-value parameter, of an output, of a missing parameter.
  std::string value =
      errors_with("property(props, QUEUE_PROPERTIES)", "property(props2, QUEUE_PROPERTIES)");
  CHECK(value.find("property() reads 'props2', which is not a parameter") != std::string::npos);
  std::string out =
      errors_with("property(props, QUEUE_PROPERTIES)", "property(err, QUEUE_PROPERTIES)");
  CHECK(out.find("'err' is not an input array of integers (it is out element") !=
        std::string::npos);
  std::string scalar = errors_with(R"js("in_order": "(flags & OUT_OF_ORDER) == 0")js",
                                   R"js("in_order": "property(flags, KEY) == 0")js");
  CHECK(scalar.find("'flags' is not an input array of integers") != std::string::npos);
  CHECK(all_errors(spec_from_json_text(kSpec)).empty());
}
