#include "claim_helpers.h"

namespace remora::inference::docs {

bool SentenceContext::subject_leads() const {
  return !subjects.empty() && !mentions.empty() && mentions.front().begin == 0 &&
         mentions.front().param == subjects.front();
}

std::string_view SentenceContext::predicate() const {
  std::string_view l = lower;
  if (!subject_leads()) return l;
  std::size_t end = mentions.front().end;
  // skip "a, b and c" chains of subjects
  for (std::size_t k = 1; k < mentions.size(); ++k) {
    std::string_view gap = l.substr(end, mentions[k].begin - end);
    if (gap != " and " && gap != ", " && gap != ", and " && gap != " or ") break;
    end = mentions[k].end;
  }
  return trim(l.substr(end));
}

void extract_all(const SentenceContext& c, Claims& out) {
  extract_direction(c, out);
  extract_size(c, out);
  extract_nullability(c, out);
  extract_lifecycle(c, out);
  extract_sync(c, out);
  extract_callback(c, out);
  extract_kind(c, out);
}

}  // namespace remora::inference::docs
