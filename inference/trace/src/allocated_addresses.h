// Value flow from allocators: addresses an API call handed out through an
// out-parameter (`alloc(void **ptr, size)`), and the later calls they flowed into.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "trace_reader.h"

namespace remora::inference::trace_rules {

struct HandedOut {
  std::string producer;  // "function.param"
  std::int64_t call_id = 0;
};

// Every address written through a pointer-to-pointer parameter (`void **`, `float **`)
// in a call that wrote a value never seen before in the trace, in every call of its
// function; by address. Values seen as arguments before they were handed out (a
// caller's own pointers) do not count.
std::map<std::int64_t, HandedOut> addresses_handed_out(const trace_data::Trace& trace);

}  // namespace remora::inference::trace_rules
