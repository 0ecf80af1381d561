// Header rules: turn a ParsedHeader into the spec skeleton (types, functions,
// params with their C spellings) and attach Evidence (source Header) from
// general naming/typing conventions. Rules never decide: fusion does.
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Marks pointers to structs as handles (TypeInfo::is_handle) when the API's
// lifecycle says they are object references: handed out by the API (returned or
// written through `T **`) and/or released by a destroy/close/free call. Run on the
// parsed header before spec_skeleton.
void recognise_struct_handles(ParsedHeader& header);

// The spec skeleton: every function and parameter with structural facts
// (type spelling, pointee, handle type) and no evidence.
spec::Spec spec_skeleton(const ParsedHeader& header);

// Appends header evidence to every type, function and parameter of `spec`
// (which must come from spec_skeleton of the same header).
void add_header_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
