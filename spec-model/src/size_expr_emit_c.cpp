// C emitter for size expressions (used by codegen and the trace interposer).
//
// Every compound sub-expression is parenthesised so the text is safe to paste
// into any context of generated code, and a renamed parameter that is not a
// plain access path (e.g. "args[2] + 1") is parenthesised too.
#include <cctype>

#include "remora/spec/size_expr.h"

namespace remora::spec {
namespace {

// True for "n", "args->n", "call.args.n", "p[3]": safe without parentheses.
bool is_access_path(std::string_view s) {
  if (s.empty()) return false;
  std::size_t i = 0;
  auto ident = [&] {
    if (i >= s.size() || !(std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_'))
      return false;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    return true;
  };
  if (!ident()) return false;
  while (i < s.size()) {
    if (s[i] == '.') {
      ++i;
      if (!ident()) return false;
    } else if (s.substr(i, 2) == "->") {
      i += 2;
      if (!ident()) return false;
    } else if (s[i] == '[') {
      ++i;
      std::size_t digits = 0;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
      if (digits == 0 || i >= s.size() || s[i] != ']') return false;
      ++i;
    } else {
      return false;
    }
  }
  return true;
}

// A C identifier or a decimal integer: the only keys property() pastes.
bool is_word(std::string_view s) {
  if (s.empty()) return false;
  bool digits = std::isdigit(static_cast<unsigned char>(s[0]));
  for (char c : s)
    if (!(digits ? std::isdigit(static_cast<unsigned char>(c))
                 : std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

class CEmitter {
 public:
  CEmitter(const std::function<std::string(std::string_view)>& rename,
           const std::function<std::string(std::string_view, std::int64_t)>& index,
           const std::function<std::string(const SizeExpr&)>& custom)
      : rename_(rename), index_(index), custom_(custom) {}

  std::string emit(const SizeExpr& e) const {
    using Op = SizeExpr::Op;
    if (custom_)
      if (std::string c = custom_(e); !c.empty()) return c;
    switch (e.op) {
      case Op::Int:
        return int_literal(e.value);
      case Op::Param:
        return param(e.name);
      case Op::Ret:
        return "ret";
      case Op::Sizeof:
        return "sizeof(" + e.name + ")";
      case Op::Terminated:
        if (!e.args.empty())
          return "remora_terminated_count_by(" + param(e.name) + ", " + terminator_predicate_c(e) + ")";
        return "remora_terminated_count(" + param(e.name) + ")";
      case Op::Index:
        if (e.a) return param(e.name) + "[" + sub(e.a) + "]";
        if (index_) return index_(e.name, e.value);
        return param(e.name) + "[" + std::to_string(e.value) + "]";
      case Op::Deref:
        return "(*" + sub(e.a) + ")";
      case Op::Field:
        return sub(e.a) + "->" + e.name;
      case Op::Neg:
        return "(-" + sub(e.a) + ")";
      case Op::Add:
        return "(" + sub(e.a) + " + " + sub(e.b) + ")";
      case Op::Sub:
        return "(" + sub(e.a) + " - " + sub(e.b) + ")";
      case Op::Mul:
        return "(" + sub(e.a) + " * " + sub(e.b) + ")";
      case Op::Div:
        return "(" + sub(e.a) + " / " + sub(e.b) + ")";
      case Op::Strlen:
        return "strlen(" + sub(e.a) + ")";
      case Op::ElementIndex:
        return "i";
      case Op::Readable:
        return "remora_readable_bytes(" + param(e.name) + ")";
      case Op::Measured: {
        // The formats are the parser's closed list of words: safe to paste into a literal.
        std::string formats;
        for (const auto& fmt : e.args) formats += (formats.empty() ? "" : ",") + fmt;
        return "remora_measured_bytes(" + param(e.name) + ", \"" + formats + "\")";
      }
      case Op::Query: {
        std::string call = "remora_query_" + e.name + "(";
        for (std::size_t k = 0; k < e.args.size(); ++k) call += (k ? ", " : "") + e.args[k];
        return call + (e.args.empty() ? "" : ", ") + (e.a ? sub(e.a) : std::string("0")) + ")";
      }
      case Op::Compare:
      case Op::Logical:  // the operator is pasted: only the parser's own spellings
        for (const char* op : {"==", "!=", "<", "<=", ">", ">=", "&&", "||"})
          if (e.name == op) return "(" + sub(e.a) + " " + e.name + " " + sub(e.b) + ")";
        return "0";
      case Op::Not:
        return "(!" + sub(e.a) + ")";
      case Op::Cond:  // only the chosen arm is evaluated, as in the evaluator
        if (!e.b || e.b->op != Op::Choice) return "0";
        return "(" + sub(e.a) + " ? " + sub(e.b->a) + " : " + sub(e.b->b) + ")";
      case Op::Choice:
        return "0";
      case Op::Min:
      case Op::Max: {
        std::string a = sub(e.a), b = sub(e.b);
        const char* cmp = e.op == Op::Min ? " < " : " > ";
        return "((" + a + ")" + cmp + "(" + b + ") ? (" + a + ") : (" + b + "))";
      }
      case Op::BitAnd:  // parenthesised like every compound: C's & binds looser than ==
        return "(" + sub(e.a) + " & " + sub(e.b) + ")";
      case Op::Property:
        // The key is pasted: the parser's identifier or integer only (else no C at all).
        if (e.args.size() != 1 || !is_word(e.args[0])) return "0";
        return "remora_property_value(" + param(e.name) + ", " + e.args[0] + ")";
    }
    return "0";
  }

 private:
  std::string sub(const SizeExprPtr& p) const { return p ? emit(*p) : std::string("0"); }

  std::string param(const std::string& name) const {
    if (!rename_) return name;
    std::string c = rename_(name);
    if (c.empty()) return name;
    return is_access_path(c) ? c : "(" + c + ")";
  }

  // Literals larger than int get a suffix so C does not truncate them.
  static std::string int_literal(std::int64_t v) {
    std::string s = std::to_string(v);
    if (v > 2147483647LL || v < -2147483647LL) s += "LL";
    return v < 0 ? "(" + s + ")" : s;
  }

  const std::function<std::string(std::string_view)>& rename_;
  const std::function<std::string(std::string_view, std::int64_t)>& index_;
  const std::function<std::string(const SizeExpr&)>& custom_;
};

}  // namespace

std::string emit_size_expr_c(const SizeExpr& e,
                             const std::function<std::string(std::string_view)>& rename) {
  return emit_size_expr_c(e, rename, {});
}

std::string emit_size_expr_c(
    const SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
    const std::function<std::string(std::string_view name, std::int64_t i)>& index) {
  return CEmitter(rename, index, {}).emit(e);
}

std::string emit_size_expr_c(
    const SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
    const std::function<std::string(std::string_view name, std::int64_t i)>& index,
    const std::function<std::string(const SizeExpr&)>& custom) {
  return CEmitter(rename, index, custom).emit(e);
}

std::string terminator_predicate_c(const SizeExpr& e) {
  if (e.op != SizeExpr::Op::Terminated || e.args.empty()) return "";
  // The parser's identifiers or integer literals: safe to paste. An integer stays bare: a
  // literal 0 is a null pointer constant for an array of pointers, a parenthesised one is not.
  auto value = [](const std::string& v) {
    return std::isdigit(static_cast<unsigned char>(v[0])) ? v : "(" + v + ")";
  };
  if (e.args.size() == 1) return "[](const auto& rm_e) { return rm_e == " + value(e.args[0]) + "; }";
  return "[](const auto& rm_e) { return rm_e." + e.args[0] + " == " + value(e.args[1]) + "; }";
}

}  // namespace remora::spec
