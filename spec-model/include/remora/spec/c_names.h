// What a spec may put into generated code. A spec is input, not code: every
// name and spelling that codegen pastes into C, CMake or a linker script is
// checked here at load time (validate_spec), so a crafted spec is refused with
// a reason instead of becoming code that a built server runs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace remora::spec {

// A C identifier ([A-Za-z_][A-Za-z0-9_]*, at most 255 characters) that is not a
// C or C++ keyword: function, parameter, field, type and constant names.
bool is_c_identifier(std::string_view s);
// A C or C++ keyword (the generated stack is C++: neither may name anything it declares).
bool is_keyword(std::string_view s);

// A C type name as a header spells it: specifier words ("const unsigned int",
// "struct _cl_buffer_region", "cl_mem"), then pointers and qualifiers, arrays
// with constant extents, function types and pointers to them
// ("void (*)(cl_event, cl_int, void *)", "void (const char *, void *)").
// Nothing else: no statements, expressions, quotes, operators or unbalanced
// parentheses. nullopt when acceptable, else the reason.
std::optional<std::string> c_type_spelling_problem(std::string_view s);

// A C constant a spec names for a status (success / error value): an
// identifier, or a decimal integer with an optional leading '-'.
bool is_c_constant(std::string_view s);

}  // namespace remora::spec
