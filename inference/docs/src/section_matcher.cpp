#include "remora/inference/docs/section_matcher.h"

#include <algorithm>

#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

// Bare (unmarked) words count as parameter mentions only for names that cannot
// be ordinary English: with an underscore, a digit or an inner capital.
bool distinctive_name(std::string_view name) {
  for (std::size_t i = 1; i < name.size(); ++i)
    if (name[i] == '_' || std::isdigit(static_cast<unsigned char>(name[i])) ||
        std::isupper(static_cast<unsigned char>(name[i])))
      return true;
  return false;
}

}  // namespace

SectionMatch::SectionMatch(const DocSection& section, const FunctionFacts& fn) : section_(section), fn_(fn) {
  if (!section.params_complete || section.params.size() != fn.params.size()) return;
  for (const auto& doc : section.params) {
    if (fn.find(doc.name) || doc.position < 0) continue;
    const ParamFacts& at = fn.params[static_cast<std::size_t>(doc.position)];
    bool documented_by_name = std::any_of(section.params.begin(), section.params.end(),
                                          [&](const ParamDoc& d) { return d.name == at.name; });
    if (!documented_by_name) renamed_[doc.name] = &at;
  }
}

const ParamFacts* SectionMatch::resolve(std::string_view doc_name) const {
  if (const ParamFacts* p = fn_.find(doc_name)) return p;
  auto it = renamed_.find(doc_name);
  return it == renamed_.end() ? nullptr : it->second;
}

SentenceContext SectionMatch::context(const Sentence& s, const ParamDoc* item, bool summary) const {
  SentenceContext c{fn_, s, to_lower(s.text), {}, {}, {}, summary, section_.functions, {}};
  if (item) {
    if (const ParamFacts* p = resolve(item->name)) c.subjects.push_back(p);
    for (const auto& other : item->co_subjects)
      if (const ParamFacts* p = resolve(other)) c.subjects.push_back(p);
    c.tagged = item->tagged;
  }
  for (const auto& m : s.mentions)
    if (const ParamFacts* p = resolve(m.name)) c.mentions.push_back({p, m.begin, m.end});
  for (const auto& p : fn_.params) {
    if (!distinctive_name(p.name)) continue;
    for (std::size_t at = find_phrase(s.text, p.name); at != std::string::npos;
         at = find_phrase(s.text, p.name, at + 1)) {
      bool covered = std::any_of(c.mentions.begin(), c.mentions.end(),
                                 [&](const ParamMention& m) { return at < m.end && m.begin < at + p.name.size(); });
      if (!covered) c.mentions.push_back({&p, at, at + p.name.size()});
    }
  }
  std::sort(c.mentions.begin(), c.mentions.end(),
            [](const ParamMention& a, const ParamMention& b) { return a.begin < b.begin; });
  c.finish();
  return c;
}

void SectionMatch::extract(Claims& out) const {
  Claims claims;
  for (const auto& item : section_.params) {
    if (!resolve(item.name)) continue;  // documents a parameter of another function in the section
    for (const auto& s : item.sentences) extract_all(context(s, &item, false), claims);
  }
  for (std::size_t k = 0; k < section_.body.size(); ++k)
    extract_all(context(section_.body[k], nullptr, k < 2 && !section_.body[k].error_context), claims);
  drop_contradicted(claims);
  out.insert(out.end(), claims.begin(), claims.end());
}

void drop_contradicted(Claims& claims) {
  // A page that spells out when the call blocks ("If blocking_read is CL_FALSE ...")
  // outranks its loose "returns immediately" remarks, which may be about a sibling function.
  bool conditional = std::any_of(claims.begin(), claims.end(), [](const Claim& c) {
    return c.says.sync && c.says.sync->mode == spec::Sync::Mode::AsyncIf;
  });
  // A page whose summary says the call retains an object does not release it.
  bool retains = std::any_of(claims.begin(), claims.end(), [](const Claim& c) {
    return c.says.deallocates == std::optional<bool>(false) && c.says.allocates == std::optional<bool>(false);
  });
  std::erase_if(claims, [&](const Claim& c) {
    if (conditional && c.says.sync && c.says.sync->mode == spec::Sync::Mode::Async) return true;
    return retains && c.says.deallocates == std::optional<bool>(true);
  });
}

}  // namespace remora::inference::docs
