#include "clang_util.h"

#include "remora/inference/text_util.h"

namespace remora::inference::clang_util {

std::string take(CXString s) {
  const char* text = clang_getCString(s);
  std::string out = text ? sanitize_utf8(text) : std::string();
  clang_disposeString(s);
  return out;
}

std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }

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

}  // namespace remora::inference::clang_util
