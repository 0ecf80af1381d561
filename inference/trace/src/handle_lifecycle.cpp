#include "handle_lifecycle.h"

#include <set>
#include <vector>

namespace remora::inference::trace_rules {

Lifecycle analyse_lifecycle(const trace_data::Trace& trace) {
  Lifecycle life;
  // Timeline of each handle value. A value produced again after its last use is a
  // new object at a reused address: each production starts a new "generation".
  struct Use {
    std::int64_t call;
    int function;
    int arg;
  };
  struct Generation {
    std::pair<int, int> producer{-1, -1};
    std::vector<Use> uses;
  };
  // Pass 1: how often each producer hands out values never seen before. Creators
  // mostly do (even when malloc reuses an address); getters repeat themselves.
  {
    std::set<std::int64_t> seen;
    for (const auto& e : trace.handles) {
      auto fit = trace.call_function.find(e.call_id);
      if (fit == trace.call_function.end()) continue;
      if (e.out) {
        auto& t = life.fresh_outputs[{fit->second, e.arg}];
        ++t.of;
        if (!seen.count(e.value)) ++t.yes;
      }
      seen.insert(e.value);
    }
  }
  auto creator = [&](std::pair<int, int> p) {
    auto it = life.fresh_outputs.find(p);
    return it != life.fresh_outputs.end() && it->second.yes * 2 > it->second.of;
  };
  // Pass 2: generations. A creator producing a value that was already used starts
  // a new object at a reused address.
  std::map<std::int64_t, std::vector<Generation>> by_value;
  for (const auto& e : trace.handles) {
    auto fit = trace.call_function.find(e.call_id);
    if (fit == trace.call_function.end()) continue;
    int fn = fit->second;
    auto& gens = by_value[e.value];
    if (e.out) {
      if (gens.empty() || (creator({fn, e.arg}) && !gens.back().uses.empty())) gens.push_back({{fn, e.arg}, {}});
      else if (gens.back().producer.first < 0) gens.back().producer = {fn, e.arg};
    } else {
      if (gens.empty()) gens.push_back({});
      gens.back().uses.push_back({e.call_id, fn, e.arg});
    }
  }
  for (const auto& [value, gens] : by_value) {
    for (std::size_t g = 0; g < gens.size(); ++g) {
      const auto& gen = gens[g];
      // The last generation of a value may still be alive at the end of the trace;
      // earlier ones ended because the address was reused.
      for (std::size_t u = 0; u < gen.uses.size(); ++u) {
        auto& t = life.last_uses[{gen.uses[u].function, gen.uses[u].arg}];
        ++t.of;
        if (u + 1 == gen.uses.size()) ++t.yes;
      }
      if (!gen.uses.empty()) {
        std::set<std::pair<int, int>> params;
        for (const auto& u : gen.uses) params.insert({u.function, u.arg});
        const auto& last = gen.uses.back();
        for (const auto& p : params) {
          auto& t = life.final_use_of_value[p];
          ++t.of;
          if (p == std::make_pair(last.function, last.arg)) ++t.yes;
        }
      }
      if (gen.producer.first >= 0) {
        auto& t = life.outputs_used[gen.producer];
        ++t.of;
        if (!gen.uses.empty()) ++t.yes;
      }
    }
  }
  return life;
}

}  // namespace remora::inference::trace_rules
