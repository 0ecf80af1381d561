// Planning of stream-state structs (types[].state: z_stream, lzma_stream): which
// parameters pass one, and how each pointer member of the struct travels.
#pragma once

#include <string>

#include "c_type.h"
#include "plan.h"

namespace remora::codegen {

// The state struct a parameter points to (one level of pointer, no `when`), else nullptr.
const spec::Type* state_struct_of(const TypeModel& types, const spec::Param& p);

// Fills `out` with the roles of the struct's pointer members; returns "" or why the
// struct cannot be kept (a cursor without a usable size, a value member that holds
// pointers, more than one output cursor).
std::string plan_state_struct(const TypeModel& types, const spec::Type& t, StatePlan& out);

// A struct of allocation callbacks (named for alloc/free) and their user data, nothing
// else (lzma_allocator, expat's XML_Memory_Handling_Suite): it only says where the
// library's private memory comes from, which lives on the server.
bool is_allocation_suite(const TypeModel& types, const spec::Type& t);

// "" or why a function that passes a stream state cannot be made: a struct holding
// pointers beside it (zlib's deflateSetHeader/inflateGetHeader gz_header) may be kept
// with the state and read or filled by later calls, which a per-call copy on the
// server cannot serve (it is freed when the call returns).
std::string state_companion_blocker(const FunctionPlan& fp);

}  // namespace remora::codegen
