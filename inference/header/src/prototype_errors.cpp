#include "prototype_errors.h"

#include "clang_util.h"
#include "remora/inference/text_util.h"

namespace remora::inference {

namespace {

std::string where(CXCursor c) {
  clang_util::FileLine at = clang_util::location_of(c);
  return base_name(at.path) + ":" + std::to_string(at.line);
}

// A declaration the type is spelled with (through pointers, arrays and
// typedef chains) that clang marked invalid.
std::string invalid_declaration_in(CXType type, int depth = 0) {
  if (depth > 16) return "";
  switch (type.kind) {
    case CXType_Pointer:
    case CXType_LValueReference:
      return invalid_declaration_in(clang_getPointeeType(type), depth + 1);
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
      return invalid_declaration_in(clang_getArrayElementType(type), depth + 1);
    case CXType_Elaborated:
      return invalid_declaration_in(clang_Type_getNamedType(type), depth + 1);
    case CXType_Typedef: {
      CXCursor decl = clang_getTypeDeclaration(type);
      if (clang_isInvalidDeclaration(decl))
        return "uses '" + clang_util::spelling(decl) + "', whose declaration did not parse (" +
               where(decl) + ")";
      return invalid_declaration_in(clang_getTypedefDeclUnderlyingType(decl), depth + 1);
    }
    case CXType_Record:
    case CXType_Enum: {
      CXCursor decl = clang_getTypeDeclaration(type);
      if (clang_isInvalidDeclaration(decl))
        return "uses '" + clang_util::spelling(decl) + "', whose declaration did not parse (" +
               where(decl) + ")";
      return "";
    }
    default:
      return "";
  }
}

}  // namespace

std::string prototype_error(CXCursor function, const std::string& path, int first_line,
                            int last_line, const spec::Diagnostics& errors) {
  for (const auto& d : errors) {
    if (d.severity != spec::Diagnostic::Severity::Error || d.file != path) continue;
    if (d.line >= first_line && d.line <= last_line)
      return d.message + " (" + base_name(path) + ":" + std::to_string(d.line) + ")";
  }
  if (std::string bad = invalid_declaration_in(clang_getCursorResultType(function)); !bad.empty())
    return bad;
  int count = clang_Cursor_getNumArguments(function);
  for (int i = 0; i < count; ++i) {
    CXCursor arg = clang_Cursor_getArgument(function, static_cast<unsigned>(i));
    if (std::string bad = invalid_declaration_in(clang_getCursorType(arg)); !bad.empty())
      return bad;
  }
  if (clang_isInvalidDeclaration(function))
    return "clang could not read this declaration (" + where(function) + ")";
  return "";
}

}  // namespace remora::inference
