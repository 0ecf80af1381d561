#include "claim_helpers.h"

namespace remora::inference::docs {

bool SentenceContext::subject_leads() const {
  return !subjects.empty() && !mentions.empty() && mentions.front().begin == 0 &&
         mentions.front().param == subjects.front();
}

void SentenceContext::finish() {
  std::string_view l = lower;
  if (!subject_leads()) {
    predicate_text = lower;
    return;
  }
  std::size_t end = mentions.front().end;
  // skip "a, b and c" chains of subjects
  for (std::size_t k = 1; k < mentions.size(); ++k) {
    std::string_view gap = l.substr(end, mentions[k].begin - end);
    if (gap != " and " && gap != ", " && gap != ", and " && gap != " or ") break;
    end = mentions[k].end;
  }
  predicate_text = normalized_predicate(l.substr(end));
}

std::string normalized_predicate(std::string_view p) {
  p = trim(p);
  for (int round = 0; round < 3; ++round) {
    if (p.starts_with("(")) {  // a type or direction note: "(const char *)"
      std::size_t close = p.find(')');
      if (close != std::string_view::npos && close < 60) p = trim(p.substr(close + 1));
    }
    for (std::string_view sep : {":", "-", "\u2013", "\u2014"})
      if (p.starts_with(sep)) p = trim(p.substr(sep.size()));
  }
  std::size_t space = p.find(' ');
  std::string_view first = p.substr(0, space);
  static constexpr std::string_view kVerbs[] = {
      "is", "are", "was", "specifies", "specify", "returns", "return", "will", "may", "can", "must", "points",
      "point", "describes", "describe", "defines", "define", "indicates", "indicate", "contains", "receives",
      "gives", "holds", "identifies", "refers", "should", "has", "have", "controls", "selects", "determines",
      "provides", "on", "if", "when", "and", "or", "need", "needs", "shall", "does", "do", "used", "passed",
      "stores", "allows", "enables", "queries", "be", "must", "takes", "sets", "set", "optionally", "receive"};
  for (auto v : kVerbs)
    if (first == v) return std::string(p);
  if (first == "a" || first == "an" || first == "the") return "is " + std::string(p);
  if (p.empty()) return "";
  bool vowel = std::string_view("aeiou").find(p.front()) != std::string_view::npos;
  return (vowel ? "is an " : "is a ") + std::string(p);
}

void extract_all(const SentenceContext& c, Claims& out) {
  extract_direction(c, out);
  extract_size(c, out);
  extract_nullability(c, out);
  extract_lifecycle(c, out);
  extract_sync(c, out);
  extract_callback(c, out);
  extract_kind(c, out);
  extract_cacheable(c, out);
  extract_handles_in_bytes(c, out);
  extract_retain(c, out);
  extract_points_into(c, out);
  extract_optional_lengths(c, out);
}

}  // namespace remora::inference::docs
