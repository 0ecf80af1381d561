// Cells of the reference pages' tables as the readers hand them over: every cell is one
// or more body sentences of its section, in order. A row that documents a constant
// starts with a sentence that is the constant itself ("CL_CONTEXT_DEVICES"), often
// followed by a cell that is a C type ("cl_device_id[]"). Shared by the rules that read
// such tables (selector_types.cpp, in_order.cpp).
#pragma once

#include <string>
#include <string_view>

namespace remora::inference::docs {

// The cell without surrounding blanks and a trailing period.
std::string trimmed_cell(std::string_view s);

// An API constant as it heads a cell: CL_CONTEXT_DEVICES, CU_POINTER_ATTRIBUTE_CONTEXT
// (upper case, digits and '_', at least one '_'), followed by a blank or nothing (a
// footnote or " - description" may follow). "" when the cell starts otherwise.
std::string leading_constant(const std::string& cell);

// A type cell: "cl_device_id[]" or "cl_platform_id" (one identifier, nothing else in
// the cell); `array` says whether "[]" followed. "" when the cell is anything else.
std::string type_cell(const std::string& cell, bool& array);

}  // namespace remora::inference::docs
