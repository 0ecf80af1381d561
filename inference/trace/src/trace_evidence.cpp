// Trace evidence: general rules over what `remora trace` observed. Every claim
// states how many observed calls support it; a relation contradicted by one call
// is not proposed. No rule names a function or an API.
#include "remora/inference/trace_evidence.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "allocated_addresses.h"
#include "handle_lifecycle.h"
#include "repeat_results.h"
#include "size_relations.h"
#include "trace_reader.h"

namespace remora::inference {
namespace {

using trace_data::Arg;
using trace_data::Call;
using trace_rules::Tally;

std::string ratio(int a, int b) { return std::to_string(a) + "/" + std::to_string(b); }

// More observations, more trust; never certainty from a trace alone.
double weight_for(int support, double base, double max) {
  return std::min(max, base + 0.05 * std::max(0, support - 1));
}

// The value a status return type uses for success, when the spec knows it.
std::optional<std::int64_t> success_value(const spec::Spec& spec, const spec::Function& f) {
  const spec::Type* t = spec.find_type(f.ret.type);
  if (!t || t->kind != spec::TypeKind::Status || t->success.empty()) return std::nullopt;
  for (const auto& type : spec.types)
    for (const auto& c : type.constants)
      if (c.name == t->success) return c.value;
  return std::nullopt;
}

struct Producer {
  const spec::Spec& spec;
  const trace_data::Trace& trace;
  const trace_rules::Lifecycle& life;
  std::string location;

  void add(std::vector<spec::Evidence>& to, spec::AnnotationPatch says, double weight, std::string why) {
    spec::Evidence e;
    e.source = spec::EvidenceSource::Trace;
    e.says = std::move(says);
    e.weight = weight;
    e.why = std::move(why);
    e.location = location;
    to.push_back(std::move(e));
  }

  void function_evidence(spec::Function& f, int fid, const trace_data::Function& tf) {
    std::optional<std::int64_t> success = success_value(spec, f);
    auto succeeded = [&](const Call& c) { return !success || (c.ret && *c.ret == *success); };
    for (std::size_t i = 0; i < f.params.size() && i < tf.params.size(); ++i) {
      spec::Param& p = f.params[i];
      if (tf.params[i] != p.name) continue;  // the trace was recorded from a different prototype
      param_evidence(p, fid, tf, i, succeeded, success.has_value());
    }
    // Return value: fresh handles (returned data pointers are memory, not objects).
    bool returns_handles = false;
    for (const auto& c : tf.calls) returns_handles |= c.ret_class == "handle";
    auto fresh = life.fresh_outputs.find({fid, -1});
    if (returns_handles && fresh != life.fresh_outputs.end() && fresh->second.of > 0) {
      const Tally& t = fresh->second;
      // One call handing out a new value is what any first query looks like (a
      // getter's first answer is new too): an allocator shows it in two calls or more.
      if (t.yes == t.of && t.of >= 2) {
        spec::AnnotationPatch says;
        says.allocates = true;
        auto used = life.outputs_used.find({fid, -1});
        std::string why = "returned a handle never seen before in " + ratio(t.yes, t.of) + " calls";
        if (used != life.outputs_used.end())
          why += "; " + ratio(used->second.yes, used->second.of) + " of them were used by later calls";
        add(f.evidence, says, weight_for(t.of, 0.5, 0.8), why + " (return value)");
      }
    }
  }

  template <class Succeeded>
  void param_evidence(spec::Param& p, int fid, const trace_data::Function& tf, std::size_t i,
                      const Succeeded& succeeded, bool success_known) {
    int observed = 0, nulls = 0, nulls_ok = 0;
    std::set<std::string> classes;
    for (const auto& c : tf.calls) {
      if (!c.complete || i >= c.args.size() || c.args[i].cls.empty()) continue;
      const Arg& a = c.args[i];
      ++observed;
      classes.insert(a.cls);
      if (a.is_null) {
        ++nulls;
        if (succeeded(c)) ++nulls_ok;
      }
    }
    if (observed == 0 || classes.size() != 1) return;
    const std::string cls = *classes.begin();
    if (cls != "pointer" && cls != "handle" && cls != "function") return;  // scalars: the header says it all

    if (nulls > 0) {
      spec::AnnotationPatch says;
      std::string why = "NULL in " + ratio(nulls, observed) + " calls";
      if (!success_known) {
        says.nullable = true;
        add(p.evidence, says, 0.5, why + " (whether they succeeded is unknown: no success value in the spec)");
      } else if (nulls_ok > 0) {
        says.nullable = true;
        add(p.evidence, says, weight_for(nulls_ok, 0.8, 0.95),
            why + "; " + std::to_string(nulls_ok) + " of them succeeded");
      } else {
        // Every call given NULL failed: the API rejected it (or another argument).
        says.nullable = false;
        add(p.evidence, says, 0.3, why + "; every one of them failed");
      }
    }
    if (cls == "function") callback_evidence(p, fid, i, observed, nulls);
    else if (cls == "handle") handle_evidence(p, fid, tf, i, observed - nulls);
    else if (!opaque_evidence(p, fid, tf, i) && !allocated_address_evidence(p, tf, i))
      pointer_evidence(p, fid, tf, i, succeeded);
  }

  void callback_evidence(spec::Param& p, int fid, std::size_t i, int observed,
                         int nulls) {
    int invoked = 0, during = 0;
    for (const auto& cb : trace.callbacks)
      if (cb.function_id == fid && cb.param == int(i)) {
        ++invoked;
        if (cb.during_call) ++during;
      }
    if (observed == nulls) return;
    spec::AnnotationPatch says;
    says.kind = spec::Kind::Callback;
    std::string why = "a function pointer in " + ratio(observed - nulls, observed) + " calls";
    if (invoked)
      why += "; invoked " + std::to_string(invoked) + " time(s) (" + std::to_string(during) +
             " while the registering call ran, " + std::to_string(invoked - during) + " later or on another thread)";
    else
      why += "; never invoked in this trace";
    add(p.evidence, says, invoked ? 0.9 : 0.6, why);
    if (!invoked) return;
    // Userdata: a pointer parameter of the same call whose value the callback received.
    std::set<std::int64_t> callback_args;
    for (const auto& cb : trace.callbacks)
      if (cb.function_id == fid && cb.param == int(i)) callback_args.insert(cb.args.begin(), cb.args.end());
    userdata_candidates_.push_back({fid, i, callback_args});
  }

  bool produces_handles(int fid) const { return handle_producers_.count(fid) > 0; }

  // Functions any of whose calls handed out a handle; computed once per trace.
  static std::set<int> functions_producing_handles(const trace_data::Trace& t) {
    std::set<int> out;
    for (const auto& e : t.handles) {
      if (!e.out) continue;
      auto fit = t.call_function.find(e.call_id);
      if (fit != t.call_function.end()) out.insert(fit->second);
    }
    return out;
  }

  // Whether any call wrote through one of its pointer arguments: a query.
  static bool writes_outputs(const trace_data::Function& tf) {
    for (const auto& c : tf.calls)
      for (const auto& a : c.args)
        if (a.written_count > 0) return true;
    return false;
  }

  void handle_evidence(spec::Param& p, int fid, const trace_data::Function& tf, std::size_t i,
                       int non_null) {
    if (non_null == 0) return;
    int from_outputs = 0, inputs = 0;
    std::set<std::string> producers;
    {
      std::map<std::int64_t, std::string> producer_of;
      for (const auto& e : trace.handles) {
        auto fit = trace.call_function.find(e.call_id);
        if (fit == trace.call_function.end()) continue;
        const auto& tf = trace.functions.at(fit->second);
        if (e.out) {
          producer_of[e.value] = tf.name + "." +
                                 (e.arg < 0 ? std::string("return") : e.arg < int(tf.params.size()) ? tf.params[e.arg] : "?");
        } else if (fit->second == fid && e.arg == int(i)) {
          ++inputs;
          auto pit = producer_of.find(e.value);
          if (pit != producer_of.end()) {
            ++from_outputs;
            producers.insert(pit->second);
          }
        }
      }
    }
    if (inputs && from_outputs == inputs) {
      spec::AnnotationPatch says;
      says.kind = spec::Kind::Handle;
      std::string from;
      for (const auto& s : producers) from += (from.empty() ? "" : ", ") + s;
      add(p.evidence, says, weight_for(inputs, 0.7, 0.9),
          "value produced by an earlier call (" + from + ") in " + ratio(from_outputs, inputs) + " calls");
    }
    // A call that hands out handles or writes results is a getter, creator or query:
    // the handles it consumed merely went unused later (short programs), which says
    // nothing about a release.
    if (produces_handles(fid) || writes_outputs(tf)) return;
    auto last = life.last_uses.find({fid, int(i)});
    auto final_use = life.final_use_of_value.find({fid, int(i)});
    // Released here: every handle passed here ended its life here, and most calls
    // were a last use (a reference-counted object is released more than once).
    // One handle ending its life once is what any last use looks like: at least two.
    if (last != life.last_uses.end() && final_use != life.final_use_of_value.end() && final_use->second.of >= 2 &&
        final_use->second.yes == final_use->second.of && last->second.yes * 2 >= last->second.of) {
      spec::AnnotationPatch says;
      says.deallocates = true;
      bool every_call = last->second.yes == last->second.of;
      add(p.evidence, says, every_call ? weight_for(last->second.of, 0.6, 0.8) : 0.5,
          "the handle passed here was never used again afterwards: final use of " +
              ratio(final_use->second.yes, final_use->second.of) + " handle(s); the last use in " +
              ratio(last->second.yes, last->second.of) + " calls");
    }
  }

  // A data pointer that, in every call, was a value an earlier call returned: memory
  // the API owns (mapped regions, API allocations), passed back rather than read.
  bool opaque_evidence(spec::Param& p, int fid, const trace_data::Function& tf, std::size_t i) {
    int non_null = 0;
    for (const auto& c : tf.calls)
      if (c.complete && i < c.args.size() && c.args[i].cls == "pointer" && !c.args[i].is_null) ++non_null;
    std::map<std::int64_t, std::string> producer_of;
    std::set<std::string> producers;
    std::set<std::int64_t> matched_calls;
    std::map<std::int64_t, std::int64_t> value_of_call;  // the pointer itself, not array elements
    for (const auto& c : tf.calls)
      if (i < c.args.size() && c.args[i].cls == "pointer") value_of_call[c.id] = c.args[i].value;
    for (const auto& e : trace.handles) {
      auto fit = trace.call_function.find(e.call_id);
      if (fit == trace.call_function.end()) continue;
      const auto& pf = trace.functions.at(fit->second);
      if (e.out && e.arg < 0) producer_of[e.value] = pf.name + ".return";
      else if (!e.out && fit->second == fid && e.arg == int(i)) {
        auto own = value_of_call.find(e.call_id);
        if (own == value_of_call.end() || own->second != e.value) continue;
        auto it = producer_of.find(e.value);
        if (it == producer_of.end()) continue;
        producers.insert(it->second);
        matched_calls.insert(e.call_id);
      }
    }
    int matched = 0;
    for (const auto& c : tf.calls)
      if (c.complete && i < c.args.size() && !c.args[i].is_null && matched_calls.count(c.id)) ++matched;
    if (non_null == 0 || matched != non_null) return false;
    std::string from;
    for (const auto& s : producers) from += (from.empty() ? "" : ", ") + s;
    spec::AnnotationPatch says;
    says.kind = spec::Kind::Opaque;
    add(p.evidence, says, weight_for(matched, 0.6, 0.8),
        "the pointer passed here was returned by an earlier call (" + from + ") in " + ratio(matched, non_null) +
            " calls");
    return true;
  }

  // An address an allocation call handed out through an out-parameter (`alloc(void
  // **ptr, size)`), passed back here in every call: memory the API owns, such as
  // device memory, whatever the parameter's C type (`float *`). Copying it as a host
  // buffer would read garbage or fault; its value is what the call needs. A call
  // seen writing host memory there is reading or writing a buffer, not this.
  bool allocated_address_evidence(spec::Param& p, const trace_data::Function& tf, std::size_t i) {
    int non_null = 0, matched = 0, unreadable = 0, written = 0;
    std::set<std::string> producers;
    for (const auto& c : tf.calls) {
      if (!c.complete || i >= c.args.size()) continue;
      const Arg& a = c.args[i];
      if (a.cls != "pointer" || a.is_null) continue;
      ++non_null;
      auto it = handed_out_.find(a.value);
      if (it == handed_out_.end() || it->second.call_id >= c.id) continue;
      ++matched;
      producers.insert(it->second.producer);
      if (!a.readable) ++unreadable;
      if (a.written_by_call) ++written;
    }
    if (non_null == 0 || matched != non_null || written > 0) return false;
    std::string from;
    for (const auto& s : producers) from += (from.empty() ? "" : ", ") + s;
    // Not even mapped in the program: an address of another memory (a device's).
    bool foreign = unreadable == matched;
    spec::AnnotationPatch says;
    says.kind = spec::Kind::Opaque;
    says.direction = spec::Direction::In;
    add(p.evidence, says, weight_for(matched, 0.6, 0.75) + (foreign ? 0.1 : 0.0),
        "the address passed here was handed out by an allocation call through its out-parameter (" + from +
            ") in " + ratio(matched, non_null) + " calls" +
            (foreign ? "; the program cannot read memory there (another address space: device memory)" : ""));
    return true;
  }

  template <class Succeeded>
  void pointer_evidence(spec::Param& p, int fid, const trace_data::Function& tf, std::size_t i,
                        const Succeeded& succeeded) {
    int readable = 0, written = 0, within_one = 0, strings = 0, readable_in = 0, informative = 0;
    std::int64_t elem = 1, min_len = -1, max_len = -1;
    std::string pointee;
    bool is_const = false;
    for (const auto& c : tf.calls) {
      if (!c.complete || i >= c.args.size()) continue;
      const Arg& a = c.args[i];
      if (a.is_null || !a.readable) continue;
      pointee = a.pointee;
      is_const = a.is_const;
      elem = std::max<std::int64_t>(1, a.elem_size);
      // A failed call may leave its outputs alone: direction counts successful calls.
      if (!succeeded(c)) continue;
      ++readable;
      if (a.written_by_call) {
        ++written;
        if (a.written_end <= elem) ++within_one;
      } else {
        ++readable_in;
        // A write of the value already there is invisible; an all-zero first element
        // (a reused status variable holding 0) could have been rewritten with 0.
        if (!a.head_all_zero) ++informative;
        if (pointee == "char" && a.strlen_before) {
          ++strings;
          min_len = min_len < 0 ? *a.strlen_before : std::min(min_len, *a.strlen_before);
          max_len = std::max(max_len, *a.strlen_before);
        }
      }
    }
    if (readable == 0) return;
    if (written == 0 && informative > 0) {
      spec::AnnotationPatch says;
      says.direction = spec::Direction::In;
      add(p.evidence, says, weight_for(informative, 0.5, 0.75),
          "never written in " + ratio(readable, readable) + " successful calls (pointed-to bytes unchanged; " +
              std::to_string(informative) + " of them held non-zero data a write would have changed)");
    }
    if (written == 0) {
      if (pointee == "char" && strings == readable_in && !length_given(tf, i)) {
        spec::AnnotationPatch s;
        s.kind = spec::Kind::String;
        add(p.evidence, s, weight_for(strings, 0.5, 0.75),
            "NUL-terminated text (length " + std::to_string(min_len) + ".." + std::to_string(max_len) + ") in " +
                ratio(strings, readable_in) + " calls");
      }
      if (auto fit = trace_rules::find_allocation_fit(tf, i)) {
        spec::AnnotationPatch s;
        s.kind = spec::Kind::Buffer;
        s.size = fit->expr;
        s.size_unit = fit->elements ? spec::SizeUnit::Elements : spec::SizeUnit::Bytes;
        add(p.evidence, s, 0.4,
            "the heap allocation passed here holds exactly " + fit->expr + (fit->elements ? " elements" : " bytes") +
                " (up to malloc rounding) in " + ratio(fit->tight, fit->evaluated) + " calls; no other scalar fits");
      }
    } else {
      spec::AnnotationPatch says;
      says.direction = spec::Direction::Out;
      std::string why = "written in " + ratio(written, readable) + " successful calls";
      if (is_const) why += " (although declared const)";
      // A trace sees writes, never reads: a write is what in/out predicts too, so it
      // confirms an in/out another source claims (a stream the call updates, a
      // capacity it replaces with a count) instead of narrowing it to out.
      if (claimed_inout(p)) {
        says.direction = spec::Direction::InOut;
        why += "; a trace cannot see reads, so this confirms the in/out claimed from the header or docs";
      }
      add(p.evidence, says, written == readable ? weight_for(written, 0.7, 0.9) : 0.45, why);
    }
    handle_element_evidence(p, fid, i);
    if (written == 0) return;
    trace_rules::SizeFinding size = trace_rules::find_size_relation(tf, i);
    prefer_claimed_size(p, size);
    // A size seen with a single value cannot tell its scalar from any other scalar that
    // happened to be equal: proposed only when no other relation fits, and weakly.
    bool single_value = size.chosen && size.chosen->distinct_values < 2;
    if (single_value && plain_parameter_fits(size) != 1) size.chosen.reset();
    if (size.chosen) {
      spec::AnnotationPatch s;
      s.kind = spec::Kind::Buffer;
      s.size = size.chosen->expr;
      s.size_unit = size.chosen->elements ? spec::SizeUnit::Elements : spec::SizeUnit::Bytes;
      double w = size.chosen->exact() ? weight_for(size.chosen->evaluated, 0.6, 0.85) : 0.55;
      if (single_value) {
        w = std::min(w, 0.5);
        size.why += "; a single size value was observed";
      }
      add(p.evidence, s, w,
          "written in " + ratio(written, readable) + " calls; " + size.why +
              (size.chosen->capacity && !size.chosen->exact() ? "; chose the scalar bound (the caller's capacity)"
                                                               : ""));
    } else if (within_one == written && elem > 1) {
      spec::AnnotationPatch s;
      s.kind = spec::Kind::Element;
      std::string why = "written extent within one " + std::to_string(elem) + "-byte element in " +
                        ratio(within_one, written) + " calls";
      // When some count was 1 in every call, an array of that count looks the same; when a
      // scalar argument bounded every write, the pointer may be an array of that capacity
      // that happened to receive one element (one device, one platform): say nothing
      // rather than narrow a buffer to an element.
      if (size.one_element.empty() && !claimed_buffer_fits(p, size))
        add(p.evidence, s, weight_for(written, 0.5, 0.75), why + "; no size relation holds");
    }
  }

  // Whether another source already calls this a buffer whose size the trace does not
  // contradict: a plain parameter that bounded every write (a capacity), or an
  // expression the trace cannot evaluate (`*pCount`, `info->count`).
  static bool claimed_buffer_fits(const spec::Param& p, const trace_rules::SizeFinding& size) {
    for (const auto& e : p.evidence) {
      if (e.source == spec::EvidenceSource::Trace || e.says.kind != spec::Kind::Buffer || !e.says.size) continue;
      const std::string& expr = *e.says.size;
      bool plain = !expr.empty() && std::all_of(expr.begin(), expr.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_';
      });
      if (!plain) return true;
      if (std::find(size.capacities.begin(), size.capacities.end(), expr) != size.capacities.end()) return true;
    }
    return false;
  }

  // Whether a header or docs claim says the pointer is read and written.
  static bool claimed_inout(const spec::Param& p) {
    return std::any_of(p.evidence.begin(), p.evidence.end(), [](const spec::Evidence& e) {
      return e.source != spec::EvidenceSource::Trace && e.says.direction == spec::Direction::InOut;
    });
  }

  // Text whose length another integer argument gives in every call (`dictionary,
  // dictLength`) is counted data that happens to hold text, not a NUL-terminated
  // string: the call reads the length it is given.
  static bool length_given(const trace_data::Function& tf, std::size_t i) {
    int texts = 0, given = 0;
    for (const auto& c : tf.calls) {
      if (!c.complete || i >= c.args.size() || c.args[i].is_null || !c.args[i].strlen_before) continue;
      ++texts;
      std::int64_t len = *c.args[i].strlen_before;
      for (std::size_t j = 0; j < c.args.size(); ++j)
        if (j != i && (c.args[j].cls == "signed" || c.args[j].cls == "unsigned") && c.args[j].value == len) {
          ++given;
          break;
        }
    }
    return texts > 0 && given == texts;
  }

  // Several expressions can fit every observed call (`nitems` and `size * nitems`
  // when programs pass size 1): the one the header or docs propose is chosen among
  // them, since the trace cannot tell them apart.
  static void prefer_claimed_size(const spec::Param& p, trace_rules::SizeFinding& size) {
    auto compact = [](std::string t) {
      std::erase_if(t, [](unsigned char c) { return std::isspace(c); });
      return t;
    };
    for (const auto& e : p.evidence) {
      if (e.source == spec::EvidenceSource::Trace || !e.says.size) continue;
      for (const auto& r : size.exact)
        if (compact(r.expr) == compact(*e.says.size) && (!size.chosen || size.chosen->expr != r.expr)) {
          size.chosen = r;
          size.why += "; chose " + r.expr + ", which the " + std::string(spec::to_string(e.source)) + " proposes";
          return;
        }
    }
  }

  // How many different parameters, taken alone, matched the extent exactly.
  static int plain_parameter_fits(const trace_rules::SizeFinding& size) {
    int n = 0;
    for (const auto& r : size.exact)
      if (!r.expr.empty() && std::all_of(r.expr.begin(), r.expr.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '_';
          }) && !std::isdigit(static_cast<unsigned char>(r.expr[0])))
        ++n;
    return n;
  }

  void handle_element_evidence(spec::Param& p, int fid, std::size_t i) {
    int outs = 0, ins = 0;
    std::set<std::int64_t> calls_with_outputs;
    for (const auto& e : trace.handles) {
      auto fit = trace.call_function.find(e.call_id);
      if (fit == trace.call_function.end() || fit->second != fid || e.arg != int(i)) continue;
      (e.out ? outs : ins)++;
      if (e.out) calls_with_outputs.insert(e.call_id);
    }
    if (outs + ins == 0) return;
    spec::AnnotationPatch s;
    s.element_kind = spec::Kind::Handle;
    std::string why;
    if (outs) why += std::to_string(outs) + " handle(s) written here and used by later calls";
    auto fresh = life.fresh_outputs.find({fid, int(i)});
    if (ins) why += std::string(why.empty() ? "" : "; ") + std::to_string(ins) + " element(s) were handles produced earlier";
    add(p.evidence, s, weight_for(outs + ins, 0.6, 0.85), why);
    // Lifecycle from a trace must be consistent across calls: one call writing new
    // handles (however many: all the devices of a platform) is what a getter's
    // first answer looks like, so it takes two calls or more, every one fresh.
    if (calls_with_outputs.size() >= 2 && fresh != life.fresh_outputs.end() &&
        fresh->second.yes == fresh->second.of) {
      spec::AnnotationPatch a;
      a.allocates = true;
      add(p.evidence, a, weight_for(fresh->second.of, 0.5, 0.75),
          "wrote handles never seen before in " + ratio(fresh->second.yes, fresh->second.of) + " cases");
    }
  }

  // Userdata: resolved after all callbacks are known (needs the function's own calls).
  struct UserdataCandidate {
    int fid;
    std::size_t callback_param;
    std::set<std::int64_t> callback_args;
  };
  std::vector<UserdataCandidate> userdata_candidates_;
  std::set<int> handle_producers_ = functions_producing_handles(trace);
  std::map<std::int64_t, trace_rules::HandedOut> handed_out_ = trace_rules::addresses_handed_out(trace);

  void userdata_evidence(spec::Function& f, int fid, const trace_data::Function& tf) {
    for (const auto& cand : userdata_candidates_) {
      if (cand.fid != fid) continue;
      for (std::size_t u = 0; u < f.params.size() && u < tf.params.size(); ++u) {
        if (u == cand.callback_param) continue;
        int non_null = 0, matched = 0;
        for (const auto& c : tf.calls) {
          if (u >= c.args.size() || c.args[u].cls != "pointer" || c.args[u].is_null) continue;
          ++non_null;
          if (cand.callback_args.count(c.args[u].value)) ++matched;
        }
        if (non_null == 0 || matched != non_null) continue;
        spec::AnnotationPatch s;
        s.kind = spec::Kind::Userdata;
        add(f.params[u].evidence, s, weight_for(matched, 0.7, 0.9),
            "its value reached the callback " + f.params[cand.callback_param].name + " as an argument in " +
                ratio(matched, non_null) + " calls");
      }
    }
  }
};

}  // namespace

void add_trace_evidence(spec::Spec& spec, const std::string& trace_db, spec::Diagnostics& diagnostics,
                        const spec::Progress& progress) {
  trace_data::Trace trace;
  std::string error;
  if (!trace_data::load_trace(trace_db, trace, error)) {
    diagnostics.push_back({spec::Diagnostic::Severity::Error, trace_db, 0,
                           error + "; the trace was not used as evidence"});
    return;
  }
  std::string location = std::filesystem::path(trace_db).filename().string();
  // Re-adding the same trace replaces what it said before.
  for (auto& f : spec.functions) {
    auto from_this = [&](const spec::Evidence& e) {
      return e.source == spec::EvidenceSource::Trace && e.location == location;
    };
    std::erase_if(f.evidence, from_this);
    for (auto& p : f.params) std::erase_if(p.evidence, from_this);
  }
  trace_rules::Lifecycle life = trace_rules::analyse_lifecycle(trace);
  Producer producer{spec, trace, life, location, {}};
  long long done = 0, total = static_cast<long long>(trace.functions.size());
  int unknown = 0;
  for (const auto& [fid, tf] : trace.functions) {
    if (progress && !progress("trace evidence", done, total)) return;
    ++done;
    if (tf.calls.empty()) continue;
    spec::Function* f = spec.find_function(tf.name);
    if (!f) {
      ++unknown;
      continue;
    }
    producer.function_evidence(*f, fid, tf);
    producer.userdata_evidence(*f, fid, tf);
    if (auto c = trace_rules::repeat_results(*f, tf, success_value(spec, *f))) {
      spec::AnnotationPatch says;
      says.cacheable = c->says;
      producer.add(f->evidence, says, c->weight, c->why);
    }
  }
  if (unknown)
    diagnostics.push_back({spec::Diagnostic::Severity::Note, trace_db, 0,
                           std::to_string(unknown) + " traced function(s) are not in the spec; their calls were ignored"});
  if (progress) progress("trace evidence", total, total);
}

}  // namespace remora::inference
