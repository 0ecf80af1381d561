// Data arrays of libraries whose object is bound to a device runtime's stream
// (stream_bound_arrays.cpp): device memory, `in opaque`.
#pragma once

#include <map>
#include <string>

#include "rules_internal.h"

namespace remora::inference {

// Finds `xSetStream(object, stream)` binders: the object's type name -> the binder's name.
StreamBindings find_stream_bindings(const ParsedHeader& header);

// Calls that make, configure or inspect an object (their arrays are host-side settings:
// dimensions, attributes), not the work queued on it: create, make, plan, get, set, ...
bool configures_object(const names::Words& function_words);

// The by-value object of a stream-bound type the call takes (null: none), and its binder.
const ParsedParam* bound_object(const FunctionContext& context, std::string* binder);

// Whether the call's param is a sized data array of the work queued on a stream-bound
// object: device memory.
bool is_stream_bound_array(const FunctionContext& context, std::size_t index);

// Claims `in opaque` for a sized data array of a call on a stream-bound object; true
// when it did (the other pointer rules then stay silent, as for a named device address).
bool add_stream_bound_array_evidence(const FunctionContext& context, std::size_t index,
                                     spec::Param& param);

}  // namespace remora::inference
