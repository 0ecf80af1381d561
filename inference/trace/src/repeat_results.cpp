#include "repeat_results.h"

#include <algorithm>
#include <map>
#include <vector>

namespace remora::inference::trace_rules {
namespace {

// A query the trace can key completely, judged from what the calls did (the spec's
// annotations are not fused yet when trace evidence is gathered): every pointer it was
// given was NULL or written by the call, never const (its bytes would be part of the
// key), some call wrote through one (its answer), and it never returned a handle (a
// create is not a query).
bool keyable_query(const trace_data::Function& tf) {
  bool wrote = false;
  for (const auto& c : tf.calls) {
    if (c.ret_class == "handle" || c.ret_class == "pointer") return false;
    for (const auto& a : c.args) {
      if (a.cls == "struct" || a.cls == "function") return false;  // not keyed by a number
      if (a.cls != "pointer" || a.is_null) continue;
      if (a.is_const || !a.written_by_call) return false;
      wrote = true;
    }
  }
  return wrote;
}

struct Group {
  std::vector<std::int64_t> key;
  std::vector<std::int64_t> result;
  int calls = 0;
  bool consistent = true;
};

}  // namespace

std::optional<CacheClaim> repeat_results(const spec::Function& f, const trace_data::Function& tf,
                                         std::optional<std::int64_t> success) {
  if (!keyable_query(tf) || tf.params.size() != f.params.size()) return std::nullopt;
  for (std::size_t i = 0; i < f.params.size(); ++i)
    if (tf.params[i] != f.params[i].name) return std::nullopt;  // recorded from another prototype
  std::map<std::vector<std::int64_t>, Group> groups;
  for (const auto& c : tf.calls) {
    if (!c.complete || c.args.size() != f.params.size()) continue;
    if (success && (!c.ret || *c.ret != *success)) continue;
    Group g;
    g.result.push_back(c.ret.value_or(0));
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      const auto& a = c.args[i];
      if (a.cls == "pointer") {
        g.key.push_back(a.is_null ? 0 : 1);  // where it points does not matter, only whether
        g.result.push_back(a.written_count);
        g.result.push_back(a.deref_after.value_or(0));
      } else {
        g.key.push_back(a.value);
      }
    }
    auto [it, fresh] = groups.try_emplace(g.key, g);
    if (!fresh && it->second.result != g.result) it->second.consistent = false;
    ++it->second.calls;
  }
  int repeated_calls = 0, repeated_sets = 0;
  std::vector<const Group*> differing;
  for (const auto& [key, g] : groups) {
    if (g.calls < 2) continue;
    repeated_calls += g.calls;
    ++repeated_sets;
    if (!g.consistent) differing.push_back(&g);
  }
  if (repeated_sets == 0) return std::nullopt;
  CacheClaim claim;
  if (differing.empty()) {
    claim.says = "true";
    claim.weight = std::min(0.7, 0.4 + 0.02 * repeated_sets);
    claim.why = "the same arguments gave the same results in every repeated call (" + std::to_string(repeated_calls) +
                " calls, " + std::to_string(repeated_sets) + " argument sets)";
    return claim;
  }
  // One value of one scalar parameter behind every difference, and repeats with other
  // values that never differed: cacheable unless the parameter has that value.
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    const auto& p = f.params[i];
    bool integer = true;  // a value parameter in every call (a name, a flag), not a handle or pointer
    for (const auto& c : tf.calls)
      if (i < c.args.size()) integer = integer && (c.args[i].cls == "signed" || c.args[i].cls == "unsigned");
    if (!integer) continue;
    std::int64_t v = differing.front()->key[i];
    bool shared = std::all_of(differing.begin(), differing.end(), [&](const Group* g) { return g->key[i] == v; });
    if (!shared) continue;
    int others = 0;
    for (const auto& [key, g] : groups) others += g.calls >= 2 && g.consistent && key[i] != v;
    if (others == 0) continue;
    claim.says = p.name + " != " + std::to_string(v);
    claim.weight = 0.6;
    claim.why = "repeated calls with " + p.name + " = " + std::to_string(v) +
                " gave different results for the same arguments; " + std::to_string(others) +
                " other repeated argument sets never did";
    return claim;
  }
  claim.says = "false";
  claim.weight = 0.8;
  claim.why = std::to_string(differing.size()) + " of " + std::to_string(repeated_sets) +
              " repeated argument sets gave different results for the same arguments";
  return claim;
}

}  // namespace remora::inference::trace_rules
