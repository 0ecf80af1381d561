// Thin RAII and conversion helpers over the libclang C API (private to the
// header stage).
#pragma once

#include <clang-c/Index.h>

#include <string>

namespace remora::inference::clang_util {

// Takes ownership of a CXString and returns its text (sanitized UTF-8).
std::string take(CXString s);

std::string spelling(CXCursor c);

struct FileLine {
  std::string path;  // as libclang reports it ("" for builtins / command line)
  int line = 0;
};

// Where the cursor's text starts, after macro expansion (the line a reader sees).
FileLine location_of(CXCursor c);

// The function is declared never to return. libclang 15 has no query for it, so:
// GNU `__attribute__((noreturn))` is part of the function type and shows only in
// the type's printed form; C11 `_Noreturn` and C++ `[[noreturn]]` are attributes of
// the declaration that libclang exposes as "unexposed" children, whose first token
// says which (also when a macro spells it).
bool is_noreturn(CXCursor function);

// The symbol an assembler label gives a declaration (`int f(void) __asm__("f_v2")`, glibc's
// __REDIRECT), "" when it has none: the name the linker sees instead of the function's.
std::string asm_label(CXCursor function);

}  // namespace remora::inference::clang_util
