// Canonical printer of size expressions: C-like spacing, the fewest
// parentheses that keep parse(print(e)) structurally equal to e.
#include <algorithm>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

// Binding strength of the form a node prints as; a child printed in a slot
// that needs more gets parentheses.
enum Level { kCond = -3, kOr = -2, kAnd = -1, kCompare = 0, kAdditive = 1, kMultiplicative = 2, kUnary = 3, kPostfix = 4, kPrimary = 5 };

int level_of(const SizeExpr& e) {
  using Op = SizeExpr::Op;
  switch (e.op) {
    case Op::Add:
    case Op::Sub:
      return kAdditive;
    case Op::Mul:
    case Op::Div:
      return kMultiplicative;
    case Op::Neg:
    case Op::Deref:
    case Op::Not:
      return kUnary;
    case Op::Compare:
      return kCompare;
    case Op::Logical:
      return e.name == "&&" ? kAnd : kOr;
    case Op::Field:
      return kPostfix;
    case Op::Cond:
      return kCond;
    case Op::Int:
      return e.value < 0 ? kUnary : kPrimary;  // "-5" reads back as a negation
    case Op::BitAnd:  // printed in its own parentheses: a primary wherever it sits
    default:
      return kPrimary;
  }
}

void print(const SizeExpr& e, std::string& out);

void print_at(const SizeExpr* e, int needed, std::string& out) {
  if (!e) {
    out += "<missing>";
    return;
  }
  bool parens = level_of(*e) < needed;
  if (parens) out += '(';
  print(*e, out);
  if (parens) out += ')';
}

void print(const SizeExpr& e, std::string& out) {
  using Op = SizeExpr::Op;
  switch (e.op) {
    case Op::Int:
      out += std::to_string(e.value);
      return;
    case Op::Param:
      out += e.name;
      return;
    case Op::Ret:
      out += "ret";
      return;
    case Op::Sizeof:
      out += "sizeof(" + e.name + ")";
      return;
    case Op::Terminated:
      out += "terminated(" + e.name;
      for (const auto& arg : e.args) out += ", " + arg;
      out += ')';
      return;
    case Op::Index:
      out += e.name + "[" + (e.a ? std::string("i") : std::to_string(e.value)) + "]";
      return;
    case Op::ElementIndex:
      out += "i";
      return;
    case Op::Readable:
      out += "readable(" + e.name + ")";
      return;
    case Op::Measured:
      out += "measured(" + e.name;
      for (const auto& fmt : e.args) out += ", " + fmt;
      out += ')';
      return;
    case Op::Query:
      out += "query(" + e.name;
      for (const auto& arg : e.args) out += ", " + arg;
      out += ')';
      if (e.a) {
        out += '[';
        print(*e.a, out);
        out += ']';
      }
      return;
    case Op::Deref:
      out += '*';
      print_at(e.a.get(), kUnary, out);
      return;
    case Op::Not:
      out += '!';
      print_at(e.a.get(), kUnary, out);
      return;
    case Op::Compare:
      print_at(e.a.get(), kAdditive, out);  // one comparison: a compared child keeps parentheses
      out += " " + e.name + " ";
      print_at(e.b.get(), kAdditive, out);
      return;
    case Op::Logical: {
      int level = level_of(e);
      print_at(e.a.get(), level, out);
      out += " " + e.name + " ";
      print_at(e.b.get(), level + 1, out);
      return;
    }
    case Op::Neg:
      out += '-';
      // "-(-a)", not "--a", which a C reader takes for a decrement.
      print_at(e.a.get(),
               e.a && level_of(*e.a) == kUnary && e.a->op != Op::Deref ? kPostfix : kUnary, out);
      return;
    case Op::Field:
      print_at(e.a.get(), kPostfix, out);
      out += "->" + e.name;
      return;
    case Op::Add:
    case Op::Sub:
      print_at(e.a.get(), kAdditive, out);
      out += e.op == Op::Add ? " + " : " - ";
      print_at(e.b.get(), kMultiplicative, out);  // a - (b - c) keeps its parentheses
      return;
    case Op::Mul:
    case Op::Div:
      print_at(e.a.get(), kMultiplicative, out);
      out += e.op == Op::Mul ? " * " : " / ";
      print_at(e.b.get(), kUnary, out);
      return;
    case Op::Cond:  // c ? a : b, right-associative: only a conditional condition needs ( )
      print_at(e.a.get(), kOr, out);
      out += " ? ";
      print_at(e.b ? e.b->a.get() : nullptr, kCond, out);
      out += " : ";
      print_at(e.b ? e.b->b.get() : nullptr, kCond, out);
      return;
    case Op::Choice:  // printed by its Cond; alone only in a hand-built tree
      print_at(e.a.get(), kCond, out);
      out += " : ";
      print_at(e.b.get(), kCond, out);
      return;
    case Op::Min:
    case Op::Max:
      out += e.op == Op::Min ? "min(" : "max(";
      print_at(e.a.get(), kCond, out);
      out += ", ";
      print_at(e.b.get(), kCond, out);
      out += ')';
      return;
    case Op::Strlen:
      out += "strlen(";
      print_at(e.a.get(), kAdditive, out);
      out += ')';
      return;
    case Op::BitAnd:
      // Always "(a & b)": the language binds & tighter than ==, C does not; written so,
      // the text means the same to both.
      out += '(';
      print_at(e.a.get(), kAdditive, out);
      out += " & ";
      print_at(e.b.get(), kAdditive, out);
      out += ')';
      return;
    case Op::Property:
      out += "property(" + e.name;
      for (const auto& arg : e.args) out += ", " + arg;
      out += ')';
      return;
  }
}

void collect_params(const SizeExpr& e, std::vector<std::string>& names) {
  auto add = [&](const std::string& n) {
    for (const auto& existing : names)
      if (existing == n) return;
    names.push_back(n);
  };
  if (e.op == SizeExpr::Op::Param || e.op == SizeExpr::Op::Terminated ||
      e.op == SizeExpr::Op::Index || e.op == SizeExpr::Op::Readable ||
      e.op == SizeExpr::Op::Measured || e.op == SizeExpr::Op::Property)
    add(e.name);
  if (e.a) collect_params(*e.a, names);
  if (e.b) collect_params(*e.b, names);
}

}  // namespace

std::string print_size_expr(const SizeExpr& e) {
  std::string out;
  print(e, out);
  return out;
}

std::vector<std::string> size_expr_params(const SizeExpr& e) {
  std::vector<std::string> names;
  collect_params(e, names);
  return names;
}

std::vector<const SizeExpr*> predicate_disjuncts(const SizeExpr& e) {
  if (e.op != SizeExpr::Op::Logical || e.name != "||" || !e.a || !e.b) return {&e};
  std::vector<const SizeExpr*> out = predicate_disjuncts(*e.a);
  for (const SizeExpr* d : predicate_disjuncts(*e.b)) out.push_back(d);
  return out;
}

std::vector<std::string> size_expr_condition_only_names(const SizeExpr& e) {
  std::vector<std::string> in_conditions, as_values;
  // Walks the tree, sorting each name by whether it sits inside a condition.
  struct Walk {
    std::vector<std::string>& cond;
    std::vector<std::string>& value;
    void operator()(const SizeExpr& n, bool in_condition) const {
      if (n.op == SizeExpr::Op::Param || n.op == SizeExpr::Op::Terminated ||
          n.op == SizeExpr::Op::Index || n.op == SizeExpr::Op::Readable ||
          n.op == SizeExpr::Op::Measured || n.op == SizeExpr::Op::Property)
        (in_condition ? cond : value).push_back(n.name);
      if (n.op == SizeExpr::Op::Cond) {
        if (n.a) (*this)(*n.a, true);
        if (n.b) (*this)(*n.b, in_condition);
        return;
      }
      if (n.a) (*this)(*n.a, in_condition);
      if (n.b) (*this)(*n.b, in_condition);
    }
  };
  Walk{in_conditions, as_values}(e, false);
  std::vector<std::string> out;
  for (const auto& n : in_conditions) {
    bool is_value = std::find(as_values.begin(), as_values.end(), n) != as_values.end();
    bool seen = std::find(out.begin(), out.end(), n) != out.end();
    if (!is_value && !seen) out.push_back(n);
  }
  return out;
}

bool size_expr_equal(const SizeExpr& x, const SizeExpr& y) {
  if (x.op != y.op || x.value != y.value || x.name != y.name || x.args != y.args) return false;
  if (static_cast<bool>(x.a) != static_cast<bool>(y.a)) return false;
  if (static_cast<bool>(x.b) != static_cast<bool>(y.b)) return false;
  if (x.a && !size_expr_equal(*x.a, *y.a)) return false;
  if (x.b && !size_expr_equal(*x.b, *y.b)) return false;
  return true;
}

const std::vector<std::string>& size_expr_image_formats() {
  static const std::vector<std::string> formats = {"fatbin", "elf", "text"};
  return formats;
}

bool size_expr_uses(const SizeExpr& e, SizeExpr::Op op) {
  if (e.op == op) return true;
  return (e.a && size_expr_uses(*e.a, op)) || (e.b && size_expr_uses(*e.b, op));
}

}  // namespace remora::spec
