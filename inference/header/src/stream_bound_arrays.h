// Data arrays of libraries whose object is bound to a device runtime's stream
// (stream_bound_arrays.cpp): device memory, `in opaque`.
#pragma once

#include <map>
#include <string>

#include "rules_internal.h"

namespace remora::inference {

// Finds `xSetStream(object, stream)` binders: the object's type name -> the binder's name.
StreamBindings find_stream_bindings(const ParsedHeader& header);

// Claims `in opaque` for a sized data array of a call on a stream-bound object; true
// when it did (the other pointer rules then stay silent, as for a named device address).
bool add_stream_bound_array_evidence(const FunctionContext& context, std::size_t index,
                                     spec::Param& param);

}  // namespace remora::inference
