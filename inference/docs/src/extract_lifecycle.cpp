// Object lifecycle: "Creates a buffer object" (the returned handle is new),
// "Decrements the memory object reference count" / "P specifies the object to
// be released" (the call may delete the object passed), "Increments the
// reference count" (neither), "P returns an event object" (a new handle).
#include <cctype>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

bool shares_stem(const std::string& a, const std::string& b) {
  std::size_t n = std::min(a.size(), b.size());
  return n >= 3 && a.compare(0, n, b, 0, n) == 0;
}

// "stmt" for "statement", "ctx" for "context": a name's abbreviation of a word (its first
// letter, then its other letters in order).
bool abbreviates(const std::string& part, const std::string& word) {
  if (part.size() < 3 || part.size() >= word.size() || part[0] != word[0]) return false;
  std::size_t at = 1;
  for (std::size_t i = 1; i < word.size() && at < part.size(); ++i)
    if (word[i] == part[at]) ++at;
  return at == part.size();
}

// Does the object phrase ("the memory object reference count") name this parameter? By
// the head noun of its name or type (memPool, cudaMemPool_t: a pool, not the memory in it).
bool names_param(std::string_view phrase, const ParamFacts& p) {
  const std::vector<std::string> parts = head_nouns(p);
  for (const auto& w : words_of(phrase)) {
    if (w == "object" || w == "objects" || w == "reference" || w == "count" || w == "the" || w == "specified")
      continue;
    for (const auto& part : parts)
      if (shares_stem(w, part) || abbreviates(part, w)) return true;
  }
  return false;
}

// What a sentence says after naming this function as its subject ("the F() function is
// called to delete ...", "F() releases ..."): "delete ...", "releases ..."; empty otherwise.
std::string_view after_own_name(const SentenceContext& c) {
  std::string_view l = c.lower;
  while (!l.empty() && !std::isalnum(static_cast<unsigned char>(l.front()))) l.remove_prefix(1);  // "^The"
  if (l.starts_with("the ")) l.remove_prefix(4);
  const std::string name = to_lower(c.fn.name);
  if (name.empty() || !l.starts_with(name)) return {};
  l.remove_prefix(name.size());
  if (l.starts_with("(")) {  // "sqlite3_finalize(S) routine"
    std::size_t close = l.find(')');
    if (close == std::string_view::npos || close > 24) return {};
    l.remove_prefix(close + 1);
  }
  if (!l.starts_with(" ")) return {};  // a longer name (sqlite3_close_v2)
  l.remove_prefix(1);
  for (std::string_view noun : {"functions ", "function ", "interfaces ", "interface ", "routines ", "routine ",
                                "calls ", "call "})
    if (l.starts_with(noun)) {
      l.remove_prefix(noun.size());
      break;
    }
  for (std::string_view purpose : {"is called to ", "is used to ", "can be used to ", "may be used to "})
    if (l.starts_with(purpose)) {
      l.remove_prefix(purpose.size());
      break;
    }
  return l;
}

// A summary after a one-word heading label ("CAPI3REF: Destroy A Prepared Statement Object").
std::string_view without_label(std::string_view l) {
  std::size_t n = 0;
  while (n < l.size() && (std::isalnum(static_cast<unsigned char>(l[n])) || l[n] == '_')) ++n;
  if (n == 0 || n >= l.size() || l[n] != ':' || n + 2 > l.size() || l[n + 1] != ' ') return l;
  return l.substr(n + 2);
}

enum class Verb { None, Create, Release, Retain };

Verb summary_verb(std::string_view s, std::size_t& object_at) {
  if (s.starts_with("to ")) s.remove_prefix(3);
  struct Lead {
    std::string_view word;
    Verb verb;
  };
  static constexpr Lead kLeads[] = {
      {"creates ", Verb::Create}, {"create ", Verb::Create}, {"allocates ", Verb::Create}, {"allocate ", Verb::Create},
      {"releases ", Verb::Release}, {"release ", Verb::Release}, {"decrements ", Verb::Release},
      {"decrement ", Verb::Release}, {"deletes ", Verb::Release}, {"delete ", Verb::Release},
      {"destroys ", Verb::Release}, {"destroy ", Verb::Release}, {"frees ", Verb::Release}, {"free ", Verb::Release},
      {"increments ", Verb::Retain}, {"increment ", Verb::Retain}, {"retains ", Verb::Retain}, {"retain ", Verb::Retain}};
  for (const auto& lead : kLeads)
    if (s.starts_with(lead.word)) {
      object_at = lead.word.size();
      return lead.verb;
    }
  // "A *buffer object* may be created using the function"
  if (has_any_phrase(s, {"may be created", "can be created", "is created"}) && has_phrase(s, "function")) {
    object_at = 0;
    return Verb::Create;
  }
  return Verb::None;
}

void lifecycle_claim(Claims& out, const SentenceContext& c, std::string param, bool allocates, bool deallocates,
                     double w) {
  spec::AnnotationPatch p;
  if (allocates) p.allocates = true;
  if (deallocates) p.deallocates = true;
  if (!allocates && !deallocates) p.allocates = false, p.deallocates = false;
  add_claim(out, c, std::move(param), p, w);
}

// "... the application should invoke sqlite3_free() on error message strings returned
// through the 5th parameter of sqlite3_exec()": a string the call returns through a
// `char **` parameter that the program frees is memory the call allocates for it (the
// sentence may well be about error messages: that is what such strings often are).
bool freed_out_string(const SentenceContext& c, std::string_view l, Claims& out) {
  if (!names_this_call(c) ||
      !has_any_phrase(l, {"must be freed", "should be freed", "must free", "should free", "responsible for freeing",
                          "invoke", "must later be freed", "must eventually be freed"}) ||
      (l.find("free") == std::string_view::npos && l.find("release") == std::string_view::npos) ||  // sqlite3_free()
      has_any_phrase(l, {"not be freed", "not free", "never be freed"}))
    return false;
  const ParamFacts* target = nullptr;
  int n = 0;
  for (const auto& m : c.mentions)
    if (m.param->pointer_to_pointer && base_type_name(m.param->type) == "char" && !m.param->const_pointee &&
        m.param != target)
      ++n, target = m.param;
  if (n != 1) return false;
  lifecycle_claim(out, c, target->name, true, false, 0.7);
  return true;
}

}  // namespace

void extract_lifecycle(const SentenceContext& c, Claims& out) {
  std::string_view l = c.lower;
  if (freed_out_string(c, l, out)) return;
  if (c.sentence.error_context) return;
  // The section's summary, or a sentence whose subject is this very function ("The
  // sqlite3_finalize() function is called to delete a prepared statement").
  std::string_view lead = after_own_name(c);
  if (lead.empty() && c.summary) lead = without_label(l);
  if (!lead.empty()) {
    std::size_t object_at = 0;
    Verb verb = summary_verb(lead, object_at);
    std::size_t end = lead.find_first_of(".,;", object_at);
    std::string_view object = lead.substr(object_at, end == std::string_view::npos ? std::string_view::npos : end - object_at);
    // The object is the noun phrase the verb takes, up to a preposition that starts
    // what is said about it ("Frees memory with stream ordered semantics": memory, not
    // the stream; "the reference count of the memory object" keeps its "of").
    std::string phrase(object);
    if (std::size_t at = phrase.find(" associated with "); at != std::string::npos)
      phrase.replace(at, 17, " of ");  // "resources associated with the communicator"
    object = phrase;
    for (std::string_view cut : {" with ", " from ", " back ", " until ", " into ", " in ", " on ", " to ", " for ",
                                 " using ", " that ", " which "})
      if (std::size_t at = object.find(cut); at != std::string_view::npos) object = object.substr(0, at);
    if (verb == Verb::Create) {
      if (c.fn.returns_handle) return lifecycle_claim(out, c, "", true, false, 0.8);
      const ParamFacts* made = nullptr;
      int candidates = 0;
      for (const auto& p : c.fn.params)
        if (p.pointee_handle && !p.const_pointee) ++candidates, made = &p;
      if (candidates == 1) lifecycle_claim(out, c, made->name, true, false, 0.7);
      return;
    }
    if (verb == Verb::Release || verb == Verb::Retain) {
      const ParamFacts* target = nullptr;
      int handles = 0;
      for (const auto& p : c.fn.params)
        if (p.handle) ++handles, target = &p;
      // "Frees memory ..." of a call that also takes a stream: the memory is the untyped
      // pointer, not the one handle.
      bool frees_memory = verb == Verb::Release && (lead.starts_with("free") || lead.starts_with("to free"));
      if (frees_memory && handles == 1 && !names_param(object, *target) &&
          has_any_phrase(object, {"memory", "allocation", "buffer"}))
        handles = 0;
      if (handles == 0 && frees_memory) {
        target = nullptr;
        for (const auto& p : c.fn.params)
          if (p.void_pointer) ++handles, target = &p;
      }
      if (handles != 1) return;
      if (!target->void_pointer && !names_param(object, *target)) return;
      lifecycle_claim(out, c, target->name, false, verb == Verb::Release, verb == Verb::Release ? 0.8 : 0.5);
      return;
    }
  }
  // "The string returned by sqlite3_expanded_sql(P) ... is obtained from sqlite3_malloc()
  // and must be freed by the application": the caller owns the memory the call returns.
  // Not memory returned through a parameter ("returned in *ppOut"), nor memory the caller
  // must leave alone.
  if (c.fn.return_type.find('*') != std::string::npos && names_this_call(c) &&
      has_any_phrase(l, {"returned by", "returns a pointer", "returns the pointer", "the returned"}) &&
      !has_any_phrase(l, {"returned in", "returned through", "returned via", "returned by reference"}) &&
      has_any_phrase(l, {"must be freed", "should be freed", "must be released", "responsible for freeing",
                         "caller must free", "must later be freed", "must eventually be freed"}) &&
      !has_any_phrase(l, {"not be freed", "not free", "never be freed", "must not be released"}))
    return lifecycle_claim(out, c, "", true, false, 0.7);
  // "The P reference count is decremented" / "decrements the reference count of P".
  if (has_phrase(l, "reference count") && has_any_phrase(l, {"is decremented", "decrements", "decrement"}) &&
      !has_phrase(l, "if ") && !has_phrase(l, "enqueue")) {
    const ParamFacts* target = nullptr;
    int n = 0;
    for (const auto& m : c.mentions)
      if (m.param->handle && m.param != target) ++n, target = m.param;
    if (n == 1) return lifecycle_claim(out, c, target->name, false, true, 0.75);
  }
  // "P specifies the memory object to be released."
  if (const ParamFacts* s = c.subject(); s && c.subject_leads() && (s->handle || s->void_pointer)) {
    std::string_view pred = c.predicate();
    if (has_any_phrase(pred, {"to be released", "to be deleted", "to be freed", "to be destroyed"}) &&
        !has_phrase(pred, "enqueue"))
      return lifecycle_claim(out, c, s->name, false, true, 0.75);
  }
  // "P returns an event object that identifies ..." -- an output handle is a new object.
  if (const ParamFacts* s = c.subject(); s && c.subject_leads() && s->pointee_handle && !s->const_pointee) {
    std::string_view pred = c.predicate();
    if (starts_with_any(pred, {"returns an ", "returns a ", "returns the new", "will return a", "will return an"})) {
      std::size_t end = pred.find_first_of(".,;");
      std::string_view head = pred.substr(0, end);
      if (has_phrase(head, "object") && !has_any_phrase(head, {"list", "array", "number"}))
        lifecycle_claim(out, c, s->name, true, false, 0.55);
    }
  }
}

}  // namespace remora::inference::docs
