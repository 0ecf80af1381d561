#include "default_arguments.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "clang_util.h"

namespace remora::inference {
namespace {

bool is_null_value(CXCursor expression);

// The first expression under `parent` is a null value: a parameter's default argument
// (its only expression), or the value an implicit conversion or a cast converts.
bool first_expression_is_null(CXCursor parent) {
  bool null = false;
  clang_visitChildren(
      parent,
      [](CXCursor child, CXCursor, CXClientData found) {
        if (!clang_isExpression(clang_getCursorKind(child))) return CXChildVisit_Continue;
        *static_cast<bool*>(found) = is_null_value(child);
        return CXChildVisit_Break;
      },
      &null);
  return null;
}

// Is `expression` (a default argument) a null value: 0, NULL (`__null`), nullptr, or a
// cast of one of them?
bool is_null_value(CXCursor expression) {
  CXCursorKind kind = clang_getCursorKind(expression);
  if (kind == CXCursor_CXXNullPtrLiteralExpr || kind == CXCursor_GNUNullExpr) return true;
  if (CXEvalResult value = clang_Cursor_Evaluate(expression)) {
    bool zero = clang_EvalResult_getKind(value) == CXEval_Int && clang_EvalResult_getAsLongLong(value) == 0;
    clang_EvalResult_dispose(value);
    if (zero) return true;
  }
  // An implicit conversion (0 to a pointer) or a cast: libclang shows the converted
  // value as the only child.
  return (kind == CXCursor_UnexposedExpr || kind == CXCursor_CStyleCastExpr || kind == CXCursor_ParenExpr ||
          kind == CXCursor_CXXStaticCastExpr || kind == CXCursor_CXXReinterpretCastExpr) &&
         first_expression_is_null(expression);
}

struct Defaults {
  std::map<std::string, std::vector<bool>> null_by_function;  // one flag per parameter
  std::set<std::string> cxx_linkage;  // names with a declaration whose symbol C++ mangles
  std::set<std::string> c_linkage;    // names with a declaration that keeps its C symbol
};

CXChildVisitResult visit_declaration(CXCursor cursor, CXCursor, CXClientData data) {
  auto& defaults = *static_cast<Defaults*>(data);
  CXCursorKind kind = clang_getCursorKind(cursor);
  if (kind == CXCursor_LinkageSpec || kind == CXCursor_UnexposedDecl || kind == CXCursor_Namespace) {
    clang_visitChildren(cursor, visit_declaration, data);  // extern "C" { ... }
    return CXChildVisit_Continue;
  }
  if (kind != CXCursor_FunctionDecl) return CXChildVisit_Continue;
  std::string function_name = clang_util::take(clang_getCursorSpelling(cursor));
  // A C symbol is its name; C++ linkage mangles it (_Z...).
  std::string symbol = clang_util::take(clang_Cursor_getMangling(cursor));
  // (A C++ overload beside the C function, cuda_runtime.h's inline ones, is not the one
  // the stack defines: only names never declared with C linkage count.)
  if (symbol.rfind("_Z", 0) == 0 && symbol != function_name) defaults.cxx_linkage.insert(function_name);
  else defaults.c_linkage.insert(function_name);
  int count = clang_Cursor_getNumArguments(cursor);
  if (count <= 0) return CXChildVisit_Continue;
  std::vector<bool> nulls(static_cast<std::size_t>(count), false);
  for (int i = 0; i < count; ++i)
    nulls[static_cast<std::size_t>(i)] = first_expression_is_null(clang_Cursor_getArgument(cursor, static_cast<unsigned>(i)));
  const std::string& name = function_name;
  auto& known = defaults.null_by_function[name];
  if (known.empty()) known = nulls;
  else
    for (std::size_t i = 0; i < known.size() && i < nulls.size(); ++i) known[i] = known[i] || nulls[i];
  return CXChildVisit_Continue;
}

}  // namespace

void read_cplusplus_declarations(CXTranslationUnit unit, ParsedHeader& header) {
  Defaults defaults;
  clang_visitChildren(clang_getTranslationUnitCursor(unit), visit_declaration, &defaults);
  for (ParsedFunction& f : header.functions) {
    const std::string& declared = f.symbol.empty() ? f.name : f.symbol;
    f.cxx_linkage = defaults.cxx_linkage.count(declared) > 0 && defaults.c_linkage.count(declared) == 0;
    auto it = defaults.null_by_function.find(declared);
    if (it == defaults.null_by_function.end() || it->second.size() != f.params.size()) continue;
    for (std::size_t i = 0; i < f.params.size(); ++i) f.params[i].defaults_to_null = it->second[i];
  }
}

}  // namespace remora::inference
