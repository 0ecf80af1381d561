#include "checked_size.h"

namespace remora::codegen {

std::string bounded_terminated_count_c(const spec::SizeExpr& e, const std::string& pointer, const std::string& limit) {
  return "remora_terminated_count_by(" + pointer + ", " + spec::terminator_predicate_c(e) + ", " + limit + ")";
}

std::string checked_size_c(const spec::SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
                           const std::function<std::string(std::string_view name, std::int64_t i)>& index,
                           const std::function<std::string(const spec::SizeExpr&)>& custom) {
  using Op = spec::SizeExpr::Op;
  std::function<std::string(const spec::SizeExpr&)> checked;
  // Under *p, p[e] and p->f the operand is a pointer or an index, not a size:
  // emitted without Size (its value is read, not computed into a size).
  auto plain = [&](const spec::SizeExpr& n) { return spec::emit_size_expr_c(n, rename, index, custom); };
  auto emit = [&](const spec::SizeExprPtr& n) { return n ? spec::emit_size_expr_c(*n, rename, index, checked) : "0"; };
  auto sz = [&](const spec::SizeExprPtr& n) { return "remora::sz(" + emit(n) + ")"; };
  checked = [&](const spec::SizeExpr& n) -> std::string {
    if (custom)
      if (std::string c = custom(n); !c.empty()) return c;
    switch (n.op) {
      case Op::Add: return "(" + sz(n.a) + " + " + sz(n.b) + ")";
      case Op::Sub: return "(" + sz(n.a) + " - " + sz(n.b) + ")";
      case Op::Mul: return "(" + sz(n.a) + " * " + sz(n.b) + ")";
      case Op::Div: return "(" + sz(n.a) + " / " + sz(n.b) + ")";
      case Op::Neg: return "(-" + sz(n.a) + ")";
      case Op::Min: return "remora::size_min(" + sz(n.a) + ", " + sz(n.b) + ")";
      case Op::Max: return "remora::size_max(" + sz(n.a) + ", " + sz(n.b) + ")";
      case Op::Cond:
        if (!n.b || n.b->op != Op::Choice) return "";
        return "(" + emit(n.a) + " ? " + sz(n.b->a) + " : " + sz(n.b->b) + ")";
      case Op::Deref:
      case Op::Field:
      case Op::Index:
      case Op::BitAnd:  // a predicate's flag test: the operands' own integers, never a size
        return plain(n);
      default:
        return "";  // the plain emitter's text, its sub-expressions checked
    }
  };
  return spec::emit_size_expr_c(e, rename, index, checked);
}

}  // namespace remora::codegen
