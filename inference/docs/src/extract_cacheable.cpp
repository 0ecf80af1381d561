// Cacheable queries: documentation that says a query's answer cannot change for
// the object it is asked about ("does not change", "is fixed for the lifetime of
// the device", "remains constant") suggests the guest may answer repeats itself;
// "may change" / "can change" says it must not. Docs alone only suggest (0.6:
// below the review threshold, so a reviewer sees it); a trace whose repeated calls
// gave the same bytes confirms it (inference/trace/src/repeat_results.cpp).
#include <cctype>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

// A query: it hands something back through a non-const pointer and creates nothing.
bool is_query(const FunctionFacts& fn) {
  if (fn.returns_handle) return false;
  for (const auto& p : fn.params)
    if (p.pointer && !p.const_pointee && !p.callback && !p.pointee_handle && !p.handle) return true;
  return false;
}

// Lower-case words of an identifier: min_value -> {min, value}, maxValue -> {max, value}.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> out;
  std::string w;
  for (std::size_t i = 0; i < name.size(); ++i) {
    unsigned char ch = static_cast<unsigned char>(name[i]);
    bool boundary = !std::isalnum(ch) || (std::isupper(ch) && i > 0 &&
                                          std::islower(static_cast<unsigned char>(name[i - 1])));
    if (boundary && !w.empty()) out.push_back(std::move(w)), w.clear();
    if (std::isalnum(ch)) w += static_cast<char>(std::tolower(ch));
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

// The sentence is about what the call returns, not about an argument the caller keeps.
bool about_the_answer(const SentenceContext& c) {
  if (has_any_phrase(c.lower,
                     {"value", "values", "result", "results", "returned", "information", "answer",
                      "property", "properties", "attribute", "attributes", "output"}))
    return true;
  for (const auto& m : c.mentions)
    if (m.param->pointer && !m.param->const_pointee) return true;
  // "The serial number is fixed ...": the words of an output's name, unmarked.
  for (const auto& p : c.fn.params) {
    if (!p.pointer || p.const_pointee) continue;
    for (const auto& w : name_words(p.name))
      if (w.size() >= 4 && has_phrase(c.lower, w)) return true;
  }
  return false;
}

// "The value does not change"; not "we cannot change the implementation" (a change made
// to something: an object follows the verb).
bool says_unchanging(std::string_view l) {
  for (std::string_view phrase : {"does not change", "do not change", "will not change", "never changes",
                                  "never change", "cannot change", "can not change"})
    for (std::size_t at = l.find(phrase); at != std::string_view::npos; at = l.find(phrase, at + 1)) {
      const std::string_view rest = l.substr(at + phrase.size());
      if (!starts_with_any(rest, {" the ", " a ", " an ", " its ", " any ", " this ", " their "})) return true;
    }
  return false;
}

bool names_another_function(const SentenceContext& c) {
  for (const auto& f : c.section_functions)
    if (f != c.fn.name && has_phrase(c.sentence.text, f)) return true;
  return false;
}

}  // namespace

void extract_cacheable(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context || !is_query(c.fn) || names_another_function(c) ||
      !about_the_answer(c))
    return;
  std::string_view l = c.lower;
  spec::AnnotationPatch says;
  if (has_any_phrase(
          l, {"may change", "can change", "might change", "changes over time", "is not constant",
              "may differ", "can differ", "current value", "at the time of the call"})) {
    says.cacheable = "false";
    add_claim(out, c, "", says, 0.6);
    return;
  }
  // A condition ("unless", "except", "if") narrows the claim to cases the sentence
  // names in prose: a reviewer writes the predicate.
  if (has_any_phrase(l, {"unless", "except", "until", "if", "whether", "might"})) return;
  if (has_any_phrase(l, {"fixed for the lifetime", "constant for the lifetime", "same for the lifetime",
                         "remains constant", "remain constant", "is constant", "are constant", "is immutable",
                         "are immutable", "does not vary", "do not vary"}) ||
      says_unchanging(l)) {
    says.cacheable = "true";
    add_claim(out, c, "", says, 0.6);
  }
}

}  // namespace remora::inference::docs
