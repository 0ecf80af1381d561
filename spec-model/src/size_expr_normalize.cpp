// Semantic normal form of a size expression, for comparing two annotations
// ("n*sizeof(cl_mem)" vs "sizeof(cl_mem) * n") in `remora diff` and `score`.
//
// The expression is rewritten as a polynomial with integer coefficients over
// "atoms" (parameters, ret, *p, p->f, sizeof(T), strlen, terminated, min/max
// with sorted arguments, and non-exact divisions). Sums and products are
// flattened and multiplied out, constants folded, like terms collected, and
// the terms printed in a fixed order. Two expressions that are equal as
// polynomials get the same text. Integer division is kept as an atom unless
// it is exact (every coefficient divisible by a constant divisor), because
// (a + b) / 2 is not a/2 + b/2 in C.
#include <algorithm>
#include <cctype>
#include <limits>
#include <map>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

using Monomial = std::vector<std::string>;  // sorted atom keys; empty = constant term
using Poly = std::map<Monomial, std::int64_t>;

constexpr std::size_t kMaxTerms = 256;  // multiplying out (a+b)*(c+d)*... stays bounded

// Thrown when folding would overflow or blow up; the caller falls back to print().
struct GiveUp {};

std::int64_t add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) throw GiveUp{};
  return r;
}
std::int64_t mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) throw GiveUp{};
  return r;
}

void add_term(Poly& p, const Monomial& m, std::int64_t c) {
  std::int64_t sum = add(p[m], c);
  if (sum == 0)
    p.erase(m);
  else
    p[m] = sum;
  if (p.size() > kMaxTerms) throw GiveUp{};
}

Poly constant(std::int64_t v) {
  Poly p;
  if (v != 0) p[{}] = v;
  return p;
}

Poly atom(std::string key) {
  return Poly{{Monomial{std::move(key)}, 1}};
}

std::optional<std::int64_t> as_constant(const Poly& p) {
  if (p.empty()) return 0;
  if (p.size() == 1 && p.begin()->first.empty()) return p.begin()->second;
  return std::nullopt;
}

std::string to_text(const Poly& p);

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string wrap(const std::string& s) {
  return is_identifier(s) ? s : "(" + s + ")";
}

Poly normalize(const SizeExpr& e);

std::string normalized_text(const SizeExprPtr& p) {
  return p ? to_text(normalize(*p)) : "?";
}

Poly normalize(const SizeExpr& e) {
  using Op = SizeExpr::Op;
  bool unary = e.op == Op::Deref || e.op == Op::Field || e.op == Op::Strlen || e.op == Op::Neg;
  bool binary = e.op >= Op::Add && e.op <= Op::Max && e.op != Op::Neg;
  if (e.op == Op::BitAnd) binary = true;
  if ((unary || binary) && !e.a) throw GiveUp{};  // hand-built tree with a missing operand
  if (binary && !e.b) throw GiveUp{};
  switch (e.op) {
    case Op::Int:
      return constant(e.value);
    case Op::Param:
      return atom(e.name);
    case Op::Ret:
      return atom("ret");
    case Op::Sizeof:
      return atom("sizeof(" + e.name + ")");
    case Op::Terminated:
      return atom(print_size_expr(e));
    case Op::Index:
      return atom(e.name + "[" + (e.a ? std::string("i") : std::to_string(e.value)) + "]");
    case Op::ElementIndex:
      return atom("i");
    case Op::Cond:  // an atom: the condition as written, each arm in its normal form
      if (e.a && e.b && e.b->op == Op::Choice)
        return atom(print_size_expr(*e.a) + " ? " + normalized_text(e.b->a) + " : " +
                    normalized_text(e.b->b));
      return atom(print_size_expr(e));
    case Op::Readable:
    case Op::Measured:
    case Op::Query:
    case Op::Property:
    case Op::Choice:
    case Op::Compare:
    case Op::Logical:
    case Op::Not:
      return atom(print_size_expr(e));
    case Op::Deref:
      return atom("*" + wrap(normalized_text(e.a)));
    case Op::Field:
      return atom(wrap(normalized_text(e.a)) + "->" + e.name);
    case Op::Strlen:
      return atom("strlen(" + normalized_text(e.a) + ")");
    case Op::Neg: {
      Poly out;
      for (const auto& [m, c] : normalize(*e.a)) add_term(out, m, mul(c, -1));
      return out;
    }
    case Op::Add:
    case Op::Sub: {
      Poly out = normalize(*e.a);
      std::int64_t sign = e.op == Op::Add ? 1 : -1;
      for (const auto& [m, c] : normalize(*e.b)) add_term(out, m, mul(c, sign));
      return out;
    }
    case Op::Mul: {
      Poly x = normalize(*e.a), y = normalize(*e.b), out;
      for (const auto& [mx, cx] : x)
        for (const auto& [my, cy] : y) {
          Monomial m = mx;
          m.insert(m.end(), my.begin(), my.end());
          std::sort(m.begin(), m.end());
          add_term(out, m, mul(cx, cy));
        }
      return out;
    }
    case Op::Div: {
      Poly num = normalize(*e.a), den = normalize(*e.b);
      auto d = as_constant(den);
      if (d && *d != 0) {
        if (*d == -1) throw GiveUp{};  // INT64_MIN / -1 corner: not worth folding
        if (auto n = as_constant(num)) return constant(*n / *d);  // C truncation
        bool exact = std::all_of(num.begin(), num.end(),
                                 [&](const auto& term) { return term.second % *d == 0; });
        if (exact) {
          Poly out;
          for (const auto& [m, c] : num) add_term(out, m, c / *d);
          return out;
        }
      }
      return atom("(" + to_text(num) + ")/(" + to_text(den) + ")");
    }
    case Op::BitAnd: {  // an atom over its operands' normal forms, in a fixed order (& commutes)
      std::string sx = normalized_text(e.a), sy = normalized_text(e.b);
      if (sy < sx) std::swap(sx, sy);
      return atom("(" + wrap(sx) + " & " + wrap(sy) + ")");
    }
    case Op::Min:
    case Op::Max: {
      Poly x = normalize(*e.a), y = normalize(*e.b);
      auto cx = as_constant(x), cy = as_constant(y);
      if (cx && cy) return constant(e.op == Op::Min ? std::min(*cx, *cy) : std::max(*cx, *cy));
      std::string sx = to_text(x), sy = to_text(y);
      if (sx == sy) return x;
      if (sy < sx) std::swap(sx, sy);  // min and max are commutative
      return atom(std::string(e.op == Op::Min ? "min(" : "max(") + sx + ", " + sy + ")");
    }
  }
  throw GiveUp{};
}

std::string monomial_text(const Monomial& m, std::int64_t magnitude) {
  std::string s;
  if (magnitude != 1 || m.empty()) s = std::to_string(magnitude);
  for (const auto& f : m) {
    if (!s.empty()) s += '*';
    s += f;
  }
  return s;
}

std::string to_text(const Poly& p) {
  if (p.empty()) return "0";
  std::vector<std::pair<Monomial, std::int64_t>> terms(p.begin(), p.end());
  // Highest degree first, then by atom names; the constant comes last.
  std::stable_sort(terms.begin(), terms.end(), [](const auto& x, const auto& y) {
    if (x.first.size() != y.first.size()) return x.first.size() > y.first.size();
    return x.first < y.first;
  });
  std::string out;
  for (const auto& [m, c] : terms) {
    bool negative = c < 0;
    // |INT64_MIN| does not fit; such a polynomial is printed via the fallback.
    if (c == std::numeric_limits<std::int64_t>::min()) throw GiveUp{};
    std::int64_t magnitude = negative ? -c : c;
    if (out.empty())
      out = (negative ? "-" : "") + monomial_text(m, magnitude);
    else
      out += (negative ? " - " : " + ") + monomial_text(m, magnitude);
  }
  return out;
}

}  // namespace

std::string normalize_size_expr(const SizeExpr& e) {
  try {
    return to_text(normalize(e));
  } catch (const GiveUp&) {
    return print_size_expr(e);
  }
}

std::string normalize_size_expr_text(std::string_view source) {
  SizeExprParse parsed = parse_size_expr(source);
  if (!parsed) return std::string(source);
  return normalize_size_expr(*parsed.expr);
}

}  // namespace remora::spec
