// Object-like macros: their token text and, where it is an integer constant
// (possibly through other macros: CL_BLOCKING -> CL_TRUE -> 1), its value.
#pragma once

#include <clang-c/Index.h>

#include <optional>
#include <string>
#include <vector>

#include "remora/inference/header_model.h"

namespace remora::inference {

// The macro's replacement tokens joined by single spaces.
std::string macro_body(CXTranslationUnit unit, CXCursor macro_definition);

// Value of an integer literal with C suffixes/prefixes ("0x10u", "-30", "(1 << 2)").
std::optional<long long> parse_integer_expression(const std::string& body);

// Fills ParsedMacro::value for every macro whose body evaluates to an integer.
void resolve_macro_values(std::vector<ParsedMacro>& macros);

}  // namespace remora::inference
