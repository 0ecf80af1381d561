// Handle lifecycles from value flow: which calls produce fresh handles, which
// calls are the last use of the handles passed to them.
#pragma once

#include <cstdint>
#include <map>
#include <utility>

#include "trace_reader.h"

namespace remora::inference::trace_rules {

struct Tally {
  int yes = 0;
  int of = 0;
};

struct Lifecycle {
  // (function id, arg index; -1 = return value) -> produced values never seen before / produced values.
  std::map<std::pair<int, int>, Tally> fresh_outputs;
  // (function id, arg index) -> calls after which the value was never used again / calls.
  std::map<std::pair<int, int>, Tally> last_uses;
  // (function id, arg index) -> distinct values whose final use was this parameter / distinct values.
  std::map<std::pair<int, int>, Tally> final_use_of_value;
  // (function id, arg index; -1 = return) -> produced values that later reached a final use / produced.
  std::map<std::pair<int, int>, Tally> outputs_used;
};

Lifecycle analyse_lifecycle(const trace_data::Trace& trace);

}  // namespace remora::inference::trace_rules
