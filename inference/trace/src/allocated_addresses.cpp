#include "allocated_addresses.h"

#include <set>

namespace remora::inference::trace_rules {

std::map<std::int64_t, HandedOut> addresses_handed_out(const trace_data::Trace& trace) {
  // Calls in the order they were made, across functions.
  std::map<std::int64_t, std::pair<int, const trace_data::Call*>> calls;
  for (const auto& [fid, f] : trace.functions)
    for (const auto& c : f.calls) calls[c.id] = {fid, &c};

  // Per (function, param): every write through it was a fresh address.
  struct Tally {
    int written = 0, fresh = 0;
  };
  std::map<std::pair<int, std::size_t>, Tally> tallies;
  std::map<std::int64_t, HandedOut> out;
  std::set<std::int64_t> seen;  // every pointer value met so far, as argument or output
  for (const auto& [id, entry] : calls) {
    const auto& [fid, call] = entry;
    const trace_data::Function& f = trace.functions.at(fid);
    for (const auto& a : call->args)
      if (a.cls == "pointer" && !a.is_null) seen.insert(a.value);
    if (!call->complete) continue;
    for (std::size_t i = 0; i < call->args.size(); ++i) {
      const trace_data::Arg& a = call->args[i];
      if (a.cls != "pointer" || a.is_null || a.pointee != "pointer" || !a.written_by_call ||
          !a.word_after || *a.word_after == 0 || a.word_after == a.word_before)
        continue;
      Tally& t = tallies[{fid, i}];
      ++t.written;
      std::int64_t v = *a.word_after;
      if (seen.count(v)) continue;
      ++t.fresh;
      seen.insert(v);
      out[v] = {f.name + "." + (i < f.params.size() ? f.params[i] : "?"), id};
    }
  }
  // A parameter that also handed back addresses it had seen before is a lookup
  // (the current context, a stored pointer), not an allocator: forget its values.
  for (auto it = out.begin(); it != out.end();) {
    const auto& [fid, call] = calls.at(it->second.call_id);
    bool allocator = false;
    for (std::size_t i = 0; i < call->args.size(); ++i) {
      const trace_data::Function& f = trace.functions.at(fid);
      if (it->second.producer != f.name + "." + (i < f.params.size() ? f.params[i] : "?")) continue;
      const Tally& t = tallies[{fid, i}];
      allocator = t.written > 0 && t.fresh == t.written;
    }
    it = allocator ? std::next(it) : out.erase(it);
  }
  return out;
}

}  // namespace remora::inference::trace_rules
