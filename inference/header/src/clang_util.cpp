#include "clang_util.h"

#include "remora/inference/text_util.h"

namespace remora::inference::clang_util {

std::string take(CXString s) {
  const char* text = clang_getCString(s);
  std::string out = text ? sanitize_utf8(text) : std::string();
  clang_disposeString(s);
  return out;
}

std::string spelling(CXCursor c) {
  return take(clang_getCursorSpelling(c));
}

FileLine location_of(CXCursor c) {
  CXSourceLocation loc = clang_getCursorLocation(c);
  CXFile file = nullptr;
  unsigned line = 0, column = 0, offset = 0;
  clang_getExpansionLocation(loc, &file, &line, &column, &offset);
  FileLine out;
  if (file) out.path = take(clang_getFileName(file));
  out.line = static_cast<int>(line);
  return out;
}

namespace {

CXChildVisitResult find_noreturn_attr(CXCursor c, CXCursor, CXClientData data) {
  if (clang_getCursorKind(c) != CXCursor_UnexposedAttr) return CXChildVisit_Continue;
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, clang_getCursorExtent(c), &tokens, &count);
  if (count > 0) {
    std::string first = take(clang_getTokenSpelling(tu, tokens[0]));
    if (first == "_Noreturn" || first == "noreturn" || first == "__noreturn__")
      *static_cast<bool*>(data) = true;
  }
  if (tokens) clang_disposeTokens(tu, tokens, count);
  return *static_cast<bool*>(data) ? CXChildVisit_Break : CXChildVisit_Continue;
}

CXChildVisitResult find_asm_label(CXCursor c, CXCursor, CXClientData data) {
  if (clang_getCursorKind(c) != CXCursor_AsmLabelAttr) return CXChildVisit_Continue;
  *static_cast<std::string*>(data) = take(clang_getCursorSpelling(c));
  return CXChildVisit_Break;
}

}  // namespace

std::string asm_label(CXCursor function) {
  std::string label;
  clang_visitChildren(function, &find_asm_label, &label);
  return label;
}

bool is_noreturn(CXCursor function) {
  std::string type =
      take(clang_getTypeSpelling(clang_getCanonicalType(clang_getCursorType(function))));
  if (type.find("__attribute__((noreturn))") != std::string::npos) return true;
  bool found = false;
  clang_visitChildren(function, &find_noreturn_attr, &found);
  return found;
}

}  // namespace remora::inference::clang_util
