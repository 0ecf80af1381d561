// Runtime modules: hand-written code an API needs beyond what a spec can describe
// (CUDA's hidden registration API, whose functions are in no public header). The
// generator decides which module applies (codegen/generator/src/runtime_modules.cpp),
// compiles the module's sources into the generated guest and server, and appends the
// module's own wire calls after the spec's functions. These accessors, defined by the
// generated code, give the module what it needs from the generated tables.
#pragma once

#include <cstdint>

namespace remora::guest {
struct ApiInfo;
}

namespace remora::module {

// Guest side (generated guest.cpp): the API's call table, and the index of the
// module's first wire call in it (its calls follow in the module's declared order).
const remora::guest::ApiInfo& guest_api();
std::uint32_t guest_first_call();
// Defined by a module that translates opaque inputs (RuntimeModule::translates_opaque):
// the value an opaque pointer argument travels as. Called before the call takes the
// connection, so it may make calls of its own.
std::uint64_t guest_opaque_in(std::uint64_t value);

// Server side (generated server.cpp): the index of a handle type of the spec by name
// (for the worker's handle table), or -1 when the spec has no such handle type.
int server_handle_type(const char* name);
// The function `name` in the first of the server's libraries that exports it (the
// module's resolve hook is given only its own library; the CUDA module also calls the
// driver's), or nullptr. Valid once the server has resolved its functions.
void* server_symbol(const char* name);

}  // namespace remora::module
