// Evaluator of size expressions over one recorded or live call.
//
// Values arrive from untrusted places (a traced program, a guest request), so
// overflow, division by zero and unknown names are reported as errors and
// never reach undefined behaviour.
#include <limits>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

struct EvalFailure {
  std::string message;
};

[[noreturn]] void fail(std::string message) {
  throw EvalFailure{std::move(message)};
}

// The message is built only on failure: evaluation runs once per traced call.
template <class Message>
std::int64_t require(const std::optional<std::int64_t>& v, Message&& what) {
  if (!v) fail(what());
  return *v;
}

// The operand of *p, p->f, strlen(p) must name a parameter: the evaluator reads
// memory only through the context's accessors.
const std::string& pointer_param(const SizeExpr& e, const char* form) {
  if (!e.a || e.a->op != SizeExpr::Op::Param)
    fail(std::string("cannot evaluate ") + form + " of a computed value; only a parameter name " +
         "is supported there");
  return e.a->name;
}

class Evaluator {
 public:
  explicit Evaluator(const SizeEvalContext& ctx) : ctx_(ctx) {}

  std::int64_t eval(const SizeExpr& e) {
    using Op = SizeExpr::Op;
    std::int64_t r = 0;
    switch (e.op) {
      case Op::Int:
        return e.value;
      case Op::Param:
        if (!ctx_.param) fail("no value for parameter '" + e.name + "'");
        return require(ctx_.param(e.name), [&] { return "unknown parameter '" + e.name + "'"; });
      case Op::Ret:
        return require(ctx_.ret, [&] { return "the return value is not known here"; });
      case Op::Deref: {
        const std::string& p = pointer_param(e, "*");
        if (!ctx_.deref_param) fail("cannot read *" + p + " here");
        return require(ctx_.deref_param(p),
                       [&] { return "cannot read *" + p + " (unknown or NULL pointer)"; });
      }
      case Op::Field: {
        const std::string& p = pointer_param(e, "->");
        if (!ctx_.field) fail("cannot read " + p + "->" + e.name + " here");
        return require(ctx_.field(p, e.name), [&] {
          return "cannot read " + p + "->" + e.name + " (unknown field or NULL pointer)";
        });
      }
      case Op::Sizeof:
        if (!ctx_.size_of) fail("size of type '" + e.name + "' is not known here");
        return require(ctx_.size_of(e.name),
                       [&] { return "unknown type '" + e.name + "' in sizeof"; });
      case Op::Strlen: {
        if (e.a && e.a->op == Op::Index &&
            e.a->a) {  // strlen(p[i]): one element of an array of strings
          const std::string& p = e.a->name;
          std::int64_t i = eval(*e.a->a);
          if (!ctx_.strlen_element) fail("cannot compute strlen(" + p + "[i]) here");
          return require(ctx_.strlen_element(p, i), [&] {
            return "cannot compute strlen(" + p + "[" + std::to_string(i) + "])";
          });
        }
        const std::string& p = pointer_param(e, "strlen");
        if (!ctx_.strlen_param) fail("cannot compute strlen(" + p + ") here");
        return require(ctx_.strlen_param(p), [&] { return "cannot compute strlen(" + p + ")"; });
      }
      case Op::Terminated:
        if (!e.args.empty()) fail("terminated(" + e.name + ", ...) is only known to generated code");
        if (!ctx_.terminated_param) fail("cannot compute terminated(" + e.name + ") here");
        return require(ctx_.terminated_param(e.name), [&] {
          return "cannot compute terminated(" + e.name + ") (unreadable array)";
        });
      case Op::ElementIndex:
        return require(ctx_.element_index, [] { return std::string("i is only known in the size of an element"); });
      case Op::Readable:
        if (!ctx_.readable) fail("readable(" + e.name + ") is only known to generated code");
        return require(ctx_.readable(e.name), [&] { return "cannot compute readable(" + e.name + ")"; });
      case Op::Measured:
        if (!ctx_.measured) fail("measured(" + e.name + ", ...) is only known to generated code");
        return require(ctx_.measured(e), [&] { return "cannot measure " + e.name + " (not an image of its formats)"; });
      case Op::Query: {
        std::int64_t k = e.a ? eval(*e.a) : 0;
        if (!ctx_.query) fail("query(" + e.name + ", ...) is only known to generated code");
        return require(ctx_.query(e, k), [&] { return "query(" + e.name + ", ...) gave no value"; });
      }
      case Op::Index: {
        std::int64_t at = e.a ? eval(*e.a) : e.value;
        std::string shown = e.name + "[" + std::to_string(at) + "]";
        if (!ctx_.index_param) fail("cannot read " + shown + " here");
        return require(ctx_.index_param(e.name, at), [&] {
          return "cannot read " + shown + " (unknown array, NULL pointer or index past its end)";
        });
      }
      case Op::Neg: {
        std::int64_t v = eval(*child(e.a));
        if (__builtin_sub_overflow(std::int64_t{0}, v, &r)) fail("integer overflow in negation");
        return r;
      }
      case Op::Add: {
        std::int64_t x = eval(*child(e.a));  // left first: deterministic error messages
        std::int64_t y = eval(*child(e.b));
        if (__builtin_add_overflow(x, y, &r)) fail("integer overflow in addition");
        return r;
      }
      case Op::Sub: {
        std::int64_t x = eval(*child(e.a));  // left first: deterministic error messages
        std::int64_t y = eval(*child(e.b));
        if (__builtin_sub_overflow(x, y, &r)) fail("integer overflow in subtraction");
        return r;
      }
      case Op::Mul: {
        std::int64_t x = eval(*child(e.a));  // left first: deterministic error messages
        std::int64_t y = eval(*child(e.b));
        if (__builtin_mul_overflow(x, y, &r)) fail("integer overflow in multiplication");
        return r;
      }
      case Op::Div: {
        std::int64_t num = eval(*child(e.a));
        std::int64_t den = eval(*child(e.b));
        if (den == 0) fail("division by zero");
        if (num == std::numeric_limits<std::int64_t>::min() && den == -1)
          fail("integer overflow in division");
        return num / den;
      }
      case Op::Not:
        return eval(*child(e.a)) == 0 ? 1 : 0;
      case Op::Logical: {  // short-circuit, as the generated C does
        bool x = eval(*child(e.a)) != 0;
        if (e.name == "&&") return x && eval(*child(e.b)) != 0 ? 1 : 0;
        if (e.name == "||") return x || eval(*child(e.b)) != 0 ? 1 : 0;
        fail("unknown logical operator '" + e.name + "'");
      }
      case Op::Compare: {
        std::int64_t x = eval(*child(e.a));
        std::int64_t y = eval(*child(e.b));
        if (e.name == "==") return x == y;
        if (e.name == "!=") return x != y;
        if (e.name == "<") return x < y;
        if (e.name == "<=") return x <= y;
        if (e.name == ">") return x > y;
        if (e.name == ">=") return x >= y;
        fail("unknown comparison '" + e.name + "'");
      }
      case Op::Cond: {  // only the chosen arm is evaluated, as the generated C does
        const SizeExpr* arms = child(e.b);
        if (arms->op != Op::Choice) fail("malformed size expression (conditional without arms)");
        return eval(*child(eval(*child(e.a)) != 0 ? arms->a : arms->b));
      }
      case Op::Choice:
        fail("malformed size expression (arms without a condition)");
      case Op::Min: {
        std::int64_t x = eval(*child(e.a));
        std::int64_t y = eval(*child(e.b));
        return x < y ? x : y;
      }
      case Op::Max: {
        std::int64_t x = eval(*child(e.a));
        std::int64_t y = eval(*child(e.b));
        return x > y ? x : y;
      }
      case Op::BitAnd: {
        std::int64_t x = eval(*child(e.a));
        std::int64_t y = eval(*child(e.b));
        return x & y;
      }
      case Op::Property: {
        if (e.args.size() != 1) fail("malformed size expression (property() without one key)");
        std::int64_t key = property_key(e.args[0]);
        if (!ctx_.property)
          fail("property(" + e.name + ", ...) is only known after the creating call");
        return require(ctx_.property(e.name, key), [&] {
          return "cannot read the key/value list " + e.name + " (unreadable array)";
        });
      }
    }
    fail("malformed size expression");
  }

 private:
  // The key of property(p, KEY): an integer literal, else an API constant or a parameter,
  // whose value the context's `param` gives (as for any name in a predicate).
  std::int64_t property_key(const std::string& key) {
    if (!key.empty() && key.find_first_not_of("0123456789") == std::string::npos) {
      std::int64_t v = 0;
      for (char c : key) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
          fail("property() key '" + key + "' is too large");
      }
      return v;
    }
    if (!ctx_.param) fail("no value for the property() key '" + key + "'");
    return require(ctx_.param(key), [&] { return "unknown property() key '" + key + "'"; });
  }

  static const SizeExpr* child(const SizeExprPtr& p) {
    if (!p) fail("malformed size expression (missing operand)");
    return p.get();
  }
  const SizeEvalContext& ctx_;
};

}  // namespace

SizeEvalResult evaluate_size_expr(const SizeExpr& e, const SizeEvalContext& ctx) {
  SizeEvalResult out;
  try {
    out.value = Evaluator(ctx).eval(e);
  } catch (const EvalFailure& f) {
    out.error = f.message;
  }
  return out;
}

}  // namespace remora::spec
