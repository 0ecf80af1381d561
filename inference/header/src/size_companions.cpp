// Size companions: which integer parameter gives the length of which pointer
// parameter (param_value_size -> param_value, num_entries -> platforms).
#include <algorithm>

#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

bool is_size_param(const ParsedParam& p) {
  return p.type.shape == TypeShape::Integer && names::is_size_like(p.name);
}

bool subset_of(const names::Words& part, const names::Words& whole) {
  if (part.empty()) return false;
  for (const auto& w : part)
    if (!names::has_word(whole, w)) return false;
  return true;
}

// Pointers whose pointee is itself an object reference (void **, handle *):
// their size is never the size of a neighbouring byte count.
bool points_to_reference(const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  return pointee && (pointee->is_handle || pointee->shape == TypeShape::Pointer);
}

}  // namespace

bool is_count_output(const ParsedParam& p) {
  const TypeInfo* pointee = p.type.pointee.get();
  return p.type.is_pointer() && pointee && !pointee->is_const && pointee->shape == TypeShape::Integer &&
         names::is_size_like(p.name);
}

bool is_data_pointer(const ParsedParam& p) {
  if (!p.type.is_pointer() || p.type.is_handle || p.type.is_function_pointer()) return false;
  if (names::is_ret_name(p.name) || is_count_output(p)) return false;
  return true;
}

std::map<std::size_t, SizeLink> find_size_companions(const ParsedFunction& f,
                                                     const std::set<std::size_t>& count_outputs) {
  std::map<std::size_t, SizeLink> links;
  const auto& params = f.params;
  auto link = [&](std::size_t target, std::size_t size_param, double weight, std::string why) {
    auto it = links.find(target);
    if (it != links.end() && it->second.weight >= weight) return;
    links[target] = SizeLink{size_param, weight, std::move(why)};
  };
  auto eligible = [&](std::size_t i) { return is_data_pointer(params[i]) && !count_outputs.count(i); };
  // After a sized array, the following const or plural arrays usually share
  // the count (strings + lengths; device_list + binaries + binary_status).
  auto extend_run = [&](std::size_t from, std::size_t s) {
    for (std::size_t j = from; j < params.size() && eligible(j); ++j) {
      const ParsedParam& p = params[j];
      bool const_pointee = p.type.pointee && p.type.pointee->is_const;
      // A lone string is one string (options, kernel_names), not an array.
      if (p.type.pointee && p.type.pointee->shape == TypeShape::Char) break;
      if (!(const_pointee || names::is_plural_name(p.name))) break;
      link(j, s, 0.45,
           "'" + p.name + "' is an array right after another array counted by '" + params[s].name +
               "'; parallel arrays share one count");
    }
  };

  for (std::size_t s = 0; s < params.size(); ++s) {
    if (!is_size_param(params[s])) continue;
    const std::string& size_name = params[s].name;
    names::Words counted = names::counted_subject(size_name);

    // 1. The size names what it counts: num_devices -> devices.
    std::size_t last_match = params.size();
    for (std::size_t j = 0; j < params.size(); ++j) {
      if (j == s || !eligible(j)) continue;
      if (subset_of(counted, names::subject(params[j].name))) {
        link(j, s, 0.8, "'" + size_name + "' names what it counts: '" + params[j].name + "'");
        last_match = j;
      }
    }
    if (last_match != params.size()) {
      extend_run(last_match + 1, s);
      continue;
    }
    // 2. A count directly before an array: (num_entries, platforms).
    if (s + 1 < params.size() && eligible(s + 1)) {
      link(s + 1, s, 0.65,
           "integer '" + size_name + "' (a size/count name) directly precedes pointer '" + params[s + 1].name + "'");
      extend_run(s + 2, s);
      continue;
    }
    // 3. A size directly after the data: (const void *src, size_t count).
    for (std::size_t j = s; j-- > 0;) {
      if (!eligible(j) || points_to_reference(params[j])) break;
      double weight = j + 1 == s ? 0.55 : 0.4;
      link(j, s, weight,
           "integer '" + size_name + "' (a size/count name) follows pointer '" + params[j].name + "'");
    }
  }
  return links;
}

FunctionContext make_context(const ParsedHeader& header, const ParsedFunction& f) {
  FunctionContext context{header, f, identifier_words(f.name), {}, {}, false};
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (is_count_output(f.params[i])) context.count_outputs.insert(i);
    if (f.params[i].type.is_function_pointer()) context.has_callback = true;
  }
  context.sizes = find_size_companions(f, context.count_outputs);
  return context;
}

spec::Evidence header_evidence(spec::AnnotationPatch says, double weight, std::string why, std::string location) {
  spec::Evidence e;
  e.source = spec::EvidenceSource::Header;
  e.says = std::move(says);
  e.weight = weight;
  e.why = std::move(why);
  e.location = std::move(location);
  return e;
}

}  // namespace remora::inference
