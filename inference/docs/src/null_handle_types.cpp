// Handle types whose NULL the API gives a meaning, read from anywhere in its docs: "work in
// stream 0 (the NULL stream)" in one function's description says that a NULL stream is a
// stream every call that takes one may be given (CUDA's driver API, whose prototypes carry
// no default arguments to say it: optional_handles.cpp reads those). The sentence names
// "the NULL <noun>" where <noun> is the last word of the handle type's name or of a
// parameter that takes it. Not from a sentence that speaks of an error ("Must not be
// legacy NULL stream"): that refuses NULL for one call, and the call's own evidence says so.
#include <map>

#include "claim_helpers.h"
#include "null_handle_types.h"

namespace remora::inference::docs {
namespace {

// The last word of a name (CUstream's is "custream", hStream's "stream"; cudaStream_t's
// "stream": a trailing "_t" is not a word).
std::string last_word(std::string_view name) {
  std::vector<std::string> parts = name_parts(name);
  while (!parts.empty() && parts.back() == "t") parts.pop_back();
  return parts.empty() ? std::string() : parts.back();
}

bool by_value_handle(const spec::Param& p) {
  return p.ann.kind == spec::Kind::Handle && p.type.find('*') == std::string::npos;
}

bool speaks_of_error(std::string_view lower) {
  return has_any_phrase(lower, {"error", "must not", "fails", "not allowed", "cannot", "may not", "illegal",
                                "not permitted", "not supported"}) ||
         lower.find("invalid") != std::string_view::npos;
}

bool releases(const spec::Param& p) {
  for (const auto& e : p.evidence)
    if (e.says.deallocates == std::optional<bool>(true)) return true;
  return false;
}

}  // namespace

void add_null_handle_type_evidence(spec::Spec& spec, const std::vector<const DocSection*>& sections) {
  // What each handle type passed by value is called: its own name's last word and those
  // of the parameters that take it (CUstream hStream: "custream", "stream").
  std::map<std::string, std::set<std::string>> nouns_of;
  std::set<std::string> nouns;
  for (const auto& f : spec.functions)
    for (const auto& p : f.params)
      if (by_value_handle(p))
        for (const std::string& n : {last_word(base_type_name(p.type)), last_word(p.name)})
          if (!n.empty()) nouns_of[base_type_name(p.type)].insert(n), nouns.insert(n);
  // The first sentence that calls each of them null, outside talk of errors.
  std::map<std::string, const Sentence*> said;
  auto read = [&](const Sentence& s) {
    if (s.error_context) return;
    const std::string lower = to_lower(s.text);
    if (lower.find("null") == std::string::npos || speaks_of_error(lower)) return;
    for (const auto& n : nouns)
      if (!said.count(n) && (has_phrase(lower, "the null " + n) || has_phrase(lower, "the null-" + n)))
        said[n] = &s;
  };
  for (const DocSection* section : sections) {
    for (const auto& s : section->body) read(s);
    for (const auto& item : section->params)
      for (const auto& s : item.sentences) read(s);
  }
  if (said.empty()) return;
  for (auto& f : spec.functions)
    for (auto& p : f.params) {
      if (!by_value_handle(p) || releases(p)) continue;
      const Sentence* sentence = nullptr;
      for (const auto& n : nouns_of[base_type_name(p.type)])
        if (auto it = said.find(n); it != said.end()) sentence = it->second;
      if (!sentence) continue;
      spec::Evidence e;
      e.source = spec::EvidenceSource::Docs;
      e.says.nullable = true;
      e.weight = 0.45;
      const std::string note = ": NULL is a '" + p.type + "' the API gives a meaning, so calls that take one may be given it";
      e.why = "\"" + shorten_utf8(sentence->text, 200) + "\"" + note;
      e.location = sentence->file + ":" + std::to_string(sentence->line);
      add_evidence(p.evidence, std::move(e));  // once, whichever docs said it (header and --docs)
    }
}

}  // namespace remora::inference::docs
