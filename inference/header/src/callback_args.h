// The arguments of callback types (callback_args.cpp): what the library hands the
// program's function, read with the parameter rules from the typedef's parameter names
// and comment.
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Fills the `fields` (the arguments, in order) of every callback type whose typedef
// names its parameters, each with the header evidence a function's parameter of that
// name, type and comment would get. Fusion weighs them as it weighs struct members.
void add_callback_arg_evidence(spec::Spec& spec, const ParsedHeader& header);

// A pointer to pointers the docs end with a null element ("atts is array of name/value
// pairs, terminated by 0", "a NULL-terminated list"): `terminated(p, 0)`, an input.
void add_null_terminated_evidence(const ParsedFunction& function, std::size_t index, spec::Param& param);

}  // namespace remora::inference
