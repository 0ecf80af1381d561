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

// "the third parameter", "the 5th argument": the parameter's 1-based position, or 0.
std::size_t ordinal_at(std::string_view lower, std::size_t at, std::size_t& end) {
  static const char* const kWords[] = {"first", "second", "third", "fourth", "fifth",
                                       "sixth", "seventh", "eighth", "ninth", "tenth"};
  static const char* const kShort[] = {"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th"};
  if (lower.compare(at, 4, "the ") != 0) return 0;
  std::size_t word = at + 4;
  for (std::size_t k = 0; k < 10; ++k)
    for (std::string_view spelled : {std::string_view(kWords[k]), std::string_view(kShort[k])}) {
      if (lower.compare(word, spelled.size(), spelled) != 0) continue;
      std::size_t after = word + spelled.size();
      for (std::string_view noun : {" parameter", " argument"})
        if (lower.compare(after, noun.size(), noun) == 0) {
          end = after + noun.size();
          return k + 1;
        }
    }
  return 0;
}

// "If buf is Z_NULL, ...": a plain word that is a parameter's name, as the subject of a
// clause saying it is NULL, is that parameter, even where the name is ordinary English
// (zlib's `buf`, lzma's `i`); not after an article ("if the buffer is NULL"), and not in a
// test ("does not check to see if file is NULL").
// "P or Q are NULL" / "P and Q are Z_NULL" after P: the plural verb of a pair.
bool pair_said_null(std::string_view after) {
  for (std::string_view conj : {" or ", " and "}) {
    if (!after.starts_with(conj)) continue;
    std::string_view rest = after.substr(conj.size());
    std::size_t n = 0;
    while (n < rest.size() && is_ident_char(rest[n])) ++n;
    if (n == 0) return false;
    rest = rest.substr(n);
    return rest.starts_with(" are null") || rest.starts_with(" are both null") ||
           (rest.starts_with(" are ") && names_null_constant(rest));
  }
  return false;
}

// "if P or Q": the text before Q names a subject P of the same condition.
bool second_of_pair(std::string_view before) {
  for (std::string_view conj : {" or ", " and "}) {
    if (!before.ends_with(conj)) continue;
    std::string_view head = before.substr(0, before.size() - conj.size());
    std::size_t n = head.size();
    while (n > 0 && is_ident_char(head[n - 1])) --n;
    if (n == head.size()) return false;
    head = head.substr(0, n);
    return head.ends_with("if ") || head.ends_with("when ");
  }
  return false;
}

bool named_as_null_subject(std::string_view lower, std::size_t at, std::size_t end) {
  std::string_view before = lower.substr(0, at);
  std::string_view after_name = lower.substr(end);
  // "If pending or bits are Z_NULL, then those values are not set" (zlib): a pair.
  if (second_of_pair(before) && (after_name.starts_with(" are null") || names_null_constant(after_name))) return true;
  if ((before.ends_with("if ") || before.ends_with("when ")) && pair_said_null(after_name)) return true;
  if (!(before.empty() || before.ends_with("if ") || before.ends_with("when ") || before.ends_with(". ")))
    return false;
  // "it does not check to see if file is NULL": a test the call does (or not), no condition.
  for (std::string_view test : {"see if ", "check if ", "checks if ", "checking if ", "tests if "})
    if (before.ends_with(test)) return false;
  std::string_view after = lower.substr(end);
  for (std::string_view null : {" is null", " is a null", " can be null", " may be null", " must not be null",
                                " is not null", " is non-null"})
    if (after.starts_with(null)) return true;
  return names_null_constant(after);  // " is Z_NULL", " is VK_NULL_HANDLE"
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
    const bool distinctive = distinctive_name(p.name);
    for (std::size_t at = find_phrase(s.text, p.name); at != std::string::npos;
         at = find_phrase(s.text, p.name, at + 1)) {
      if (!distinctive && !named_as_null_subject(c.lower, at, at + p.name.size())) continue;
      bool covered = std::any_of(c.mentions.begin(), c.mentions.end(),
                                 [&](const ParamMention& m) { return at < m.end && m.begin < at + p.name.size(); });
      if (!covered) c.mentions.push_back({&p, at, at + p.name.size()});
    }
  }
  // "If the third parameter to sqlite3_bind_blob() is a NULL pointer": a parameter named by
  // its position, of this function (or of one its section documents with it, which takes
  // its parameters in the same order), never of a callback or another call.
  for (std::size_t at = c.lower.find("the "); at != std::string::npos; at = c.lower.find("the ", at + 1)) {
    std::size_t end = 0;
    std::size_t position = ordinal_at(c.lower, at, end);
    if (position == 0 || position > fn_.params.size()) continue;
    std::string_view rest = std::string_view(c.lower).substr(end);
    for (std::string_view link : {" to ", " of ", " passed to "}) {
      if (!rest.starts_with(link)) continue;
      // "to F()" or "to F() or G() or H()": one of them must be documented here.
      bool documented_here = false;
      std::size_t at_name = end + link.size();
      while (true) {
        std::string_view target = std::string_view(c.lower).substr(at_name);
        std::size_t n = 0;
        while (n < target.size() && is_ident_char(target[n])) ++n;
        if (n == 0) break;
        std::string_view name = target.substr(0, n);
        documented_here |= std::any_of(section_.functions.begin(), section_.functions.end(),
                                       [&](const std::string& f) { return to_lower(f) == name; });
        end = at_name + n;
        if (std::string_view(c.lower).substr(end).starts_with("()")) end += 2;
        std::string_view more = std::string_view(c.lower).substr(end);
        if (!more.starts_with(" or ")) break;
        std::size_t m = 4;
        while (m < more.size() && is_ident_char(more[m])) ++m;
        if (m == 4 || !more.substr(m).starts_with("()")) break;  // "or" of something else
        at_name = end + 4;
      }
      if (!documented_here) position = 0;  // another function's (or a callback's) parameter
      break;
    }
    if (position == 0) continue;
    bool covered = std::any_of(c.mentions.begin(), c.mentions.end(),
                               [&](const ParamMention& m) { return at < m.end && m.begin < end; });
    if (!covered) c.mentions.push_back({&fn_.params[position - 1], at, end});
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
