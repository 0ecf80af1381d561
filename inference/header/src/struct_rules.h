// Structs in the spec: their typed layout (record_types.cpp) and the general
// rules that annotate their pointer members (field_rules.cpp).
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// Puts every struct/union the header defines into spec.types with its fields
// (name, spelling, ctype, offset), size and alignment, and fills the typed
// ctype of typedefs, parameters and return values. A `typedef struct X {...} X`
// stays one type: the struct, with its fields.
void add_record_types(spec::Spec& spec, const ParsedHeader& header);

// Header evidence on struct fields (pointer members, handles, callbacks,
// strings, sized arrays, extension chains) and each tagged struct's tag value.
void add_field_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
