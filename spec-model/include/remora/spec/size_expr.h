// The size-expression language: how big a buffer is, in terms of the call.
//
// Grammar (C-like precedence):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/') unary)*
//   unary   := '-' unary | postfix
//   postfix := primary ('->' IDENT)*
//   primary := INT | IDENT | IDENT '[' INT ']' | 'ret' | '*' unary | '(' expr ')'
//            | 'sizeof' '(' TYPE ')' | ('min'|'max') '(' expr ',' expr ')'
//            | 'strlen' '(' expr ')' | 'terminated' '(' IDENT (',' IDENT ',' (IDENT | INT))? ')'
//            | IDENT '[' 'i' ']' | 'readable' '(' IDENT ')'
//            | 'measured' '(' IDENT (',' FORMAT)+ ')'
//            | 'query' '(' IDENT (',' (IDENT | INT))* ')' ('[' (INT | 'i') ']')?
//   size    := expr | pred '?' size ':' size      (top level, inside ( ), min/max arguments)
//   bitand  := expr ('&' expr)*                    (conditions and predicates only, see below)
// pred ? a : b: a when the predicate (comparisons, && || !, grammar below) holds,
// else b, as in C. A size that depends on a mode parameter (a matrix stored by
// rows or by columns, transposed or not) says so: `order == RowMajor ? m : k`.
// Inside the condition a name may also be an API constant (an enumerator), as
// in a predicate; everywhere else a name is a parameter.
// terminated(p): number of elements of a 0-terminated key/value property list p
// (cl_context_properties style): scan keys at even positions until a 0 key; the
// count includes the terminator. Values may be 0, so only keys terminate.
// terminated(p, MEMBER, END): number of elements of the array of structs p up to and
// including the first whose MEMBER equals END (an API constant or an integer): a chain
// "terminated with .id = LZMA_VLI_UNKNOWN". The terminator travels with the array.
// strlen(p[i]): in an element size of p itself, the length of element i (a source
// string "of lengths[i] bytes, or NUL-terminated when lengths is NULL or lengths[i]
// is 0": `lengths != 0 && lengths[i] != 0 ? lengths[i] : strlen(strings[i]) + 1`).
// p[INT]: element INT of the array parameter p (e.g. `region[0] * region[1]`);
// only a parameter name can be indexed, and only with a constant, or with `i`:
// in the size of an `element` annotation (a buffer of buffers), `i` is the index
// of the element being sized (`lengths[i]`).
// readable(p): bytes that can be read from p to the end of its memory mapping (a
// bound for input buffers whose size no argument carries; use it inside min()).
// measured(p, fmt, ...): the length of the self-describing image p points to, read
// from its own bytes by the format's measurer (a fat binary's header, an ELF file's
// header and tables, a NUL-terminated text): for input buffers the API sizes by their
// format rather than by an argument (a module image). The formats are tried in a fixed
// order (those with a magic number first, text last); bytes none of them recognises
// fail the call. The formats are size_expr_image_formats()'s.
// query(FN, args...): the integer FN of the same API writes when called with
// these leading arguments (a parameter or an API constant each); the generated
// code fills FN's remaining parameters from its own spec (a value buffer and its
// byte size). `query(...)[k]` reads element k of an array result (`[i]` too).
// a & b: bitwise AND of two integers, in predicates and in the condition of a size's
// `c ? a : b` (a size itself is never a bit pattern). Unlike C it binds tighter than
// the comparisons, so `p & F == 0` is `(p & F) == 0`; the printer and the C emitter
// always parenthesise it, so no reader has to remember that.
// property(p, KEY): the value that follows KEY in the 0-terminated key/value list p
// ({KEY, VALUE, KEY, VALUE, ..., 0}, an input array of integers), 0 when p is NULL or
// KEY is absent. Only in the predicate of `in_order` (parse_creation_predicate): it is
// evaluated after the creating call, on inputs the server has already decoded.
// One parser, one printer, one evaluator, one C emitter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace remora::spec {

struct SizeExpr;
using SizeExprPtr = std::shared_ptr<const SizeExpr>;

struct SizeExpr {
  enum class Op {
    Int,      // value
    Param,    // name
    Ret,      // the return value
    Deref,    // *a
    Field,    // a->name
    Sizeof,   // sizeof(name)   (name = type spelling)
    Add, Sub, Mul, Div, Neg,
    Min, Max,
    Strlen,   // strlen(a)
    Terminated,  // terminated(name): elements up to and including the first 0;
                 // args {MEMBER, END}: up to and including the first element whose MEMBER is END
    Index,       // name[value]: element `value` of the array parameter `name`; a = ElementIndex for name[i]
    ElementIndex,  // i: the index of the element being sized (element sizes only)
    Readable,      // readable(name): bytes readable from pointer parameter `name`
    Measured,      // measured(name, args...): bytes of the image `name` in one of the formats args
    Query,         // query(name, args...)[a]: an integer the API's function `name` returns
    // Predicates only (parse_predicate): 0 or 1.
    Compare,       // a name b, name one of == != < <= > >=
    Logical,       // a name b, name one of && || (short-circuit)
    Not,           // !a
    // Sizes only: a ? b->a : b->b. The two arms hang under one Choice node so that
    // every walker over a and b sees the whole tree.
    Cond,          // a = the condition (a predicate), b = Choice
    Choice,        // a = the value when the condition holds, b = otherwise
    // Predicates and conditions only: a & b (bitwise AND).
    BitAnd,
    // parse_creation_predicate only: property(name, args[0]), the value following the key
    // args[0] (an API constant, a parameter or an integer) in the key/value list `name`.
    Property,
  };
  Op op = Op::Int;
  std::int64_t value = 0;
  std::string name;
  SizeExprPtr a, b;
  std::vector<std::string> args;  // Query: the leading arguments, as written (parameters, constants, integers);
                                  // Measured: the format names; Property: the key
};

struct SizeExprError {
  std::size_t position = 0;  // 0-based offset into the source where the problem is
  std::string message;       // "expected ')' after argument of min"
};

struct SizeExprParse {
  SizeExprPtr expr;                  // null on error
  std::optional<SizeExprError> error;
  explicit operator bool() const { return expr != nullptr; }
};

SizeExprParse parse_size_expr(std::string_view source);

// A predicate (`when.if`, `async_if`, `cacheable`): the size-expression language plus
// comparisons (== != < <= > >=), && || !, the bitwise & and parentheses around them:
//   pred := and ('||' and)* ; and := not ('&&' not)* ; not := '!' not | cmp
//   cmp  := bitand (CMPOP bitand)?    (one comparison: `a < b < c` is refused)
//   bitand := expr ('&' expr)*        (tighter than a comparison, unlike C)
// Its operands may only be parameters, API constants (C identifiers), integers,
// sizeof(T), min/max and + - * &: a predicate runs on the server with the guest's
// values before any pointer is checked, so it reads no memory (*p, p->f, p[k],
// strlen, query, readable), does not divide (a guest-chosen 0 would trap) and
// cannot name `ret` (it is evaluated before the call). A spec is input, not code:
// generated code emits the parsed tree (emit_size_expr_c), never the source text.
SizeExprParse parse_predicate(std::string_view source);

// The predicate of `in_order` (model.h): evaluated after the creating call succeeded, on
// its decoded inputs. Everything parse_predicate accepts, plus property(p, KEY) (the value
// under KEY in the key/value list p). parse_predicate and parse_size_expr refuse property()
// with that reason.
SizeExprParse parse_creation_predicate(std::string_view source);

// Canonical text; parse(print(e)) is structurally equal to e.
std::string print_size_expr(const SizeExpr& e);

// Parameter names the expression refers to (each once, in order of appearance).
// A name used only in the condition of `c ? a : b` may be an API constant instead:
// size_expr_condition_only_names lists those.
std::vector<std::string> size_expr_params(const SizeExpr& e);

// The alternatives of a predicate `a || b || c` (the predicate itself when it is no `||`).
std::vector<const SizeExpr*> predicate_disjuncts(const SizeExpr& e);

// Names that appear only inside conditions of `c ? a : b` (never as a value): a
// spec may use API constants there (`order == CblasRowMajor ? m : k`), as in a
// predicate; a checker accepts such a name when it is a C identifier.
std::vector<std::string> size_expr_condition_only_names(const SizeExpr& e);

// Everything the evaluator needs to know about one call.
struct SizeEvalContext {
  // Value of a scalar parameter, or nullopt if unknown.
  std::function<std::optional<std::int64_t>(std::string_view name)> param;
  // *p for a pointer parameter p (reads an integer pointee), nullopt if unreadable.
  std::function<std::optional<std::int64_t>(std::string_view name)> deref_param;
  // p->field for a pointer-to-struct parameter.
  std::function<std::optional<std::int64_t>(std::string_view name, std::string_view field)> field;
  // sizeof(T), nullopt if the type is unknown.
  std::function<std::optional<std::int64_t>(std::string_view type)> size_of;
  // strlen(p) for a string parameter.
  std::function<std::optional<std::int64_t>(std::string_view name)> strlen_param;
  // strlen(p[i]) for an array of strings p (element i, without the NUL), nullopt if unreadable.
  std::function<std::optional<std::int64_t>(std::string_view name, std::int64_t index)>
      strlen_element;
  // terminated(p) for an array parameter.
  std::function<std::optional<std::int64_t>(std::string_view name)> terminated_param;
  // p[i] for an array parameter p (reads an integer element), nullopt if unreadable
  // (NULL pointer, index past the array, unknown parameter).
  std::function<std::optional<std::int64_t>(std::string_view name, std::int64_t index)>
      index_param;
  std::optional<std::int64_t> ret;
  // `i` in the size of an element (nullopt outside element sizes).
  std::optional<std::int64_t> element_index;
  // readable(p) and query(FN, ...)[k]: known only to generated code; nullopt = unknown.
  std::function<std::optional<std::int64_t>(std::string_view name)> readable;
  std::function<std::optional<std::int64_t>(const SizeExpr& query, std::int64_t index)> query;
  // measured(p, fmt...): the image's length by its format; nullopt = unknown or malformed.
  std::function<std::optional<std::int64_t>(const SizeExpr& measured)> measured;
  // property(p, KEY): the value under `key` in the key/value list p (0 when p is NULL or
  // the key is absent), nullopt if p is unreadable. The key arrives evaluated: an integer
  // literal, else `param(KEY)` (an API constant or a parameter).
  std::function<std::optional<std::int64_t>(std::string_view name, std::int64_t key)> property;
};

struct SizeEvalResult {
  std::optional<std::int64_t> value;
  std::string error;  // "division by zero", "unknown parameter 'n'"
};

SizeEvalResult evaluate_size_expr(const SizeExpr& e, const SizeEvalContext& ctx);

// C expression text for generated code, every compound sub-expression parenthesised.
// The C text computes in the operands' own C types (size_t arithmetic wraps, never UB);
// it agrees with evaluate_size_expr whenever no intermediate value is negative or
// overflows (tests/spec/test_size_expr_emit_c_compiles.cpp compiles and checks this).
// `ret` emits `ret` (name the return-value variable so). p[i] emits `p[i]`. strlen(p) emits `strlen(p)`; terminated(p)
// emits `remora_terminated_count(p)` (the generated runtime provides it for any T*), terminated(p, M, END)
// `remora_terminated_count_by(p, PRED)` with PRED terminator_predicate_c(); property(p, KEY)
// emits `remora_property_value(p, KEY)` (codegen passes its own through `custom`). `rename` maps a parameter name to the
// C expression that holds its value in the generated function (identity by default).
std::string emit_size_expr_c(const SizeExpr& e,
                             const std::function<std::string(std::string_view)>& rename = {});

// terminated(p, MEMBER, END): the C++ predicate an element ends the array by,
// `[](const auto& rm_e) { return rm_e.MEMBER == (END); }` ("" for other nodes).
std::string terminator_predicate_c(const SizeExpr& e);

// Same, with `index` producing the C text of p[i] (e.g. a NULL-safe accessor
// "remora::index_or_zero(p, 2)"); an empty `index` emits `rename(p)[i]`.
std::string emit_size_expr_c(
    const SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
    const std::function<std::string(std::string_view name, std::int64_t i)>& index);

// Same, with `custom` consulted first for every node: a non-empty result is that
// node's C text (codegen emits query(...) and readable(p) through it).
std::string emit_size_expr_c(
    const SizeExpr& e, const std::function<std::string(std::string_view)>& rename,
    const std::function<std::string(std::string_view name, std::int64_t i)>& index,
    const std::function<std::string(const SizeExpr&)>& custom);

// The formats measured() knows, in the order a measurer tries them: "fatbin" (an
// nvcc fat binary container: magic, header size, payload size), "elf" (an ELF32/64
// file: its header, section and program header tables and the sections they describe),
// "text" (bytes up to and including the first NUL). The generated runtime implements
// each (codegen/runtime/remora_image_size.h).
const std::vector<std::string>& size_expr_image_formats();

// Does the expression contain a node with this op (query, readable, `i`, ...)?
bool size_expr_uses(const SizeExpr& e, SizeExpr::Op op);

// Semantic normal form for comparison (e.g. "a*b" == "b * a"); used by `remora score`.
// A polynomial over atoms (params, p[i], ret, *p, p->f, sizeof, strlen, terminated, min/max,
// inexact divisions) with folded constants and sorted terms: "(n)*4" -> "4*n".
std::string normalize_size_expr(const SizeExpr& e);

// Convenience: normal form of source text; text that does not parse is returned unchanged.
std::string normalize_size_expr_text(std::string_view source);

// Structural equality of two trees (same ops, values, names, children).
bool size_expr_equal(const SizeExpr& x, const SizeExpr& y);

}  // namespace remora::spec
