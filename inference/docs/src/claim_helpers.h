// Helpers shared by the extractor files (private to remora_docs).
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {

// Adds docs evidence unless an equal claim is already there; keeps the stronger one.
inline void add_evidence(std::vector<spec::Evidence>& list, spec::Evidence e) {
  for (auto& existing : list) {
    if (existing.source != spec::EvidenceSource::Docs || !(existing.says == e.says)) continue;
    if (e.weight > existing.weight) existing = std::move(e);
    return;
  }
  list.push_back(std::move(e));
}

inline void add_claim(Claims& out, const SentenceContext& c, std::string param, spec::AnnotationPatch says,
                      double weight) {
  out.push_back(Claim{std::move(param), std::move(says), weight, &c.sentence, {}, {}});
}

// Lower-case text that follows a mention, up to `max` bytes.
inline std::string_view after_mention(const SentenceContext& c, const ParamMention& m, std::size_t max = 80) {
  std::string_view l = c.lower;
  return m.end >= l.size() ? std::string_view{} : l.substr(m.end, max);
}

// Lower-case text before a mention, up to `max` bytes.
inline std::string_view before_mention(const SentenceContext& c, const ParamMention& m, std::size_t max = 80) {
  std::string_view l = c.lower;
  std::size_t from = m.begin > max ? m.begin - max : 0;
  return l.substr(from, m.begin - from);
}

// The nouns a parameter is named by: the last word of its name and of its type's name
// (memPool, cudaMemPool_t: "pool"; hStream, CUstream: "stream", "custream").
inline std::vector<std::string> head_nouns(const ParamFacts& p) {
  std::vector<std::string> nouns;
  for (const auto& parts : {name_parts(p.name), name_parts(base_type_name(p.type))})
    if (!parts.empty()) nouns.push_back(parts.back());
  return nouns;
}

// Is the sentence about this function (names it, or names none of its section's functions)?
inline bool about_this_function(const SentenceContext& c) {
  bool names_any = false;
  for (const auto& f : c.section_functions) {
    if (!has_phrase(c.sentence.text, f)) continue;
    if (f == c.fn.name) return true;
    names_any = true;
  }
  return !names_any;
}

// How a sentence refers to the function it documents without naming it.
inline constexpr std::string_view kSelfReferences[] = {"this function", "this routine", "this interface", "this call"};

// Stricter than about_this_function where a header comment documents several calls
// without saying so: the sentence names this function ("F()", "this function"), or no
// call at all.
inline bool names_this_call(const SentenceContext& c) {
  if (has_phrase(c.sentence.text, c.fn.name)) return true;
  for (std::string_view self : kSelfReferences)
    if (c.lower.find(self) != std::string::npos) return true;
  const std::string& t = c.sentence.text;
  for (std::size_t i = 1; i < t.size(); ++i)  // a call spelled out: "name(" or "name (" after a word
    if (t[i] == '(' && (std::isalnum(static_cast<unsigned char>(t[i - 1])) || t[i - 1] == '_')) return false;
  return about_this_function(c);
}

// "null-terminated", "zero terminated", ...: the text ends at a terminator.
inline bool terminated_phrase(std::string_view s) {
  return has_any_phrase(s, {"null-terminated", "null terminated", "nul-terminated",
                            "nul terminated", "zero-terminated", "zero terminated"});
}

inline bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes)
    if (s.starts_with(p)) return true;
  return false;
}

inline bool ends_with_any(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  for (auto x : suffixes)
    if (s.ends_with(x)) return true;
  return false;
}

}  // namespace remora::inference::docs
