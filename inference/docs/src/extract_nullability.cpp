// NULL pointers: "P can be NULL", "If P is NULL, ... is ignored" (nullable);
// "P must not be NULL", "CL_INVALID_VALUE if P is NULL" (not nullable).
#include <algorithm>
#include <cctype>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

bool can_be_null(const ParamFacts* p) { return p->pointer || p->callback || p->handle; }

// "Calling F() with a NULL pointer argument is a harmless no-op", "Passing a NULL pointer
// to F is harmless": NULL is accepted (and does nothing).
// What such a sentence says a NULL does.
constexpr std::string_view kHarmlessVerdicts[] = {"harmless", "no-op", "no op", "no operation", "does nothing",
                                                  "is ignored"};

bool null_is_harmless(std::string_view l) {
  return has_any_phrase(l, {"null pointer", "null argument", "null handle"}) &&
         std::any_of(std::begin(kHarmlessVerdicts), std::end(kHarmlessVerdicts),
                     [&](std::string_view v) { return has_phrase(l, v); }) &&
         !has_any_phrase(l, {"not a harmless", "not harmless"});
}

// "... or NULL" / "... or a NULL" offered as a value, not "or a NULL-terminated string".
bool offers_null(std::string_view text) {
  for (std::string_view phrase : {"or null", "or a null"})
    for (std::size_t at = text.find(phrase); at != std::string_view::npos; at = text.find(phrase, at + 1)) {
      std::string_view rest = text.substr(at + phrase.size());
      if (!rest.starts_with("-terminated") && !rest.starts_with(" terminated") && !rest.starts_with(" pointer-terminated"))
        return true;
    }
  return false;
}

// What a NULL leads to is a refusal: words of failure, or an error status named however it
// is spelled (cudaErrorInvalidValue, CL_INVALID_VALUE, BZ_PARAM_ERROR, Z_STREAM_ERROR);
// "no error code is returned" is not one.
bool says_refused(std::string_view said) {
  return has_any_phrase(said, {"invalid", "undefined", "must not", "is an error", "error is returned", "will fail",
                               "fails", "returns an error", "return an error"}) ||
         said.find("invalid") != std::string_view::npos || said.find("_error") != std::string_view::npos;
}

void claim(Claims& out, const SentenceContext& c, const ParamFacts& p, bool nullable, double w) {
  spec::AnnotationPatch patch;
  patch.nullable = nullable;
  add_claim(out, c, p.name, patch, w);
}

// Parameters named one after the other ("pbase and psize", "*leastPriority or
// *greatestPriority"): for each mention, the index of the first and last of its run.
std::vector<std::pair<std::size_t, std::size_t>> coordinated_runs(const SentenceContext& c) {
  auto joined = [&](std::size_t a, std::size_t b) {
    if (c.mentions[b].begin < c.mentions[a].end) return false;
    std::string_view between = std::string_view(c.lower).substr(c.mentions[a].end, c.mentions[b].begin - c.mentions[a].end);
    if (between.ends_with("*")) between.remove_suffix(1);  // "\p *greatestPriority"
    return between == " and " || between == ", " || between == ", and " || between == " or " || between == ", or ";
  };
  std::vector<std::pair<std::size_t, std::size_t>> runs(c.mentions.size());
  for (std::size_t i = 0; i < c.mentions.size();) {
    std::size_t last = i;
    while (last + 1 < c.mentions.size() && joined(last, last + 1)) ++last;
    for (std::size_t k = i; k <= last; ++k) runs[k] = {i, last};
    i = last + 1;
  }
  return runs;
}

// "A NULL may be passed in for *leastPriority or *greatestPriority": NULL offered for the
// parameters named right after it (coordinated with "or"/"and").
bool null_offered_for(std::string_view before) {
  for (std::string_view lead : {"null may be passed in for ", "null can be passed in for ", "null may be passed for ",
                                "null can be passed for ", "null may be passed as ", "null can be passed as ",
                                "null may be given for ", "null can be given for "})
    if (before.ends_with(lead) || before.ends_with(std::string(lead) + "*")) return true;
  return false;
}

// Which parameter a "harmless NULL" sentence is about: the one said to be NULL ("If V is a
// NULL pointer"), else one it names (not one the NULL makes ignored: "then the fourth
// parameter is ignored"), else the call's only pointer or handle, where the call itself is
// what is harmless: named before the NULL ("sqlite3_free() is a no-op if called with a NULL
// pointer") or before the verdict ("If V is a NULL pointer then sqlite3_value_free(V) is a
// harmless no-op"), not after it as a comparison ("If the third parameter to
// sqlite3_bind_text() is a NULL pointer then the fourth parameter is ignored and the end
// result is the same as sqlite3_bind_null()"), and not in a sentence about other calls.
const ParamFacts* harmless_null_target(const SentenceContext& c) {
  std::string_view l = c.lower;
  const ParamFacts* said_null = nullptr;
  for (const auto& m : c.mentions)
    if (!said_null && starts_with_any(after_mention(c, m, 30), {" is null", " is a null", " is 0", " are null"}))
      said_null = m.param;
  if (said_null) return can_be_null(said_null) ? said_null : nullptr;
  const ParamFacts* named = nullptr;
  for (const auto& m : c.mentions)
    if (can_be_null(m.param) && !starts_with_any(after_mention(c, m, 30), {" is ignored", " are ignored"}))
      named = m.param;
  if (named) return named;
  std::size_t own_name = l.find(to_lower(c.fn.name));
  for (std::string_view self : kSelfReferences) own_name = std::min(own_name, l.find(self));
  std::size_t verdict = std::string_view::npos;
  for (std::string_view v : kHarmlessVerdicts) verdict = std::min(verdict, l.find(v));
  const bool named_first = own_name == std::string_view::npos ? l.find("()") == std::string_view::npos
                                                               : own_name < l.find("null") || own_name < verdict;
  if (!named_first) return nullptr;
  const ParamFacts* only = nullptr;
  int candidates = 0;
  for (const auto& p : c.fn.params)
    if (can_be_null(&p)) ++candidates, only = &p;
  return candidates == 1 ? only : nullptr;
}

}  // namespace

void extract_nullability(const SentenceContext& c, Claims& out) {
  std::string_view l = c.lower;
  const auto runs = coordinated_runs(c);
  for (std::size_t index = 0; index < c.mentions.size(); ++index) {
    const ParamMention& m = c.mentions[index];
    if (!can_be_null(m.param)) continue;
    if (!c.sentence.error_context) {
      // Distributive statements about coordinated parameters ("P and Q are optional"), and
      // NULL offered for them ("A NULL may be passed in for P or Q").
      const auto [first, last] = runs[index];
      std::string_view said = after_mention(c, c.mentions[last], 80);
      if (said.starts_with(" (") && said.find(')') != std::string_view::npos)  // "dptr or bytes (not both) can be NULL"
        said.remove_prefix(said.find(')') + 1);
      if (first != last && starts_with_any(said, {" are optional", " can be null", " may be null", " can be a null",
                                                  " may be a null", " are both optional", " can both be null",
                                                  " may both be null"})) {
        claim(out, c, *m.param, true, 0.85);
        continue;
      }
      if (null_offered_for(before_mention(c, c.mentions[first], 40))) {
        claim(out, c, *m.param, true, 0.8);
        continue;
      }
      // "If pending or bits are Z_NULL, then those values are not set": what the call does
      // without them, said of each (not "If P or Q is NULL, an error is returned").
      if (first != last && before_mention(c, c.mentions[first], 12).ends_with("if ") &&
          (starts_with_any(said, {" are null", " are both null", " are a null"}) || names_null_constant(said))) {
        std::size_t comma = l.find(',', c.mentions[last].end);
        std::string_view consequence = comma == std::string_view::npos ? std::string_view{} : l.substr(comma);
        if (!consequence.empty() && !says_refused(consequence)) {
          claim(out, c, *m.param, true, 0.75);
          continue;
        }
      }
    }
    std::string_view after = after_mention(c, m, 60);
    std::string_view before = before_mention(c, m, 12);
    bool is_null = (starts_with_any(after, {" is null", " is a null", " is `null`", " are null", " is set to null"}) ||
                    names_null_constant(after) || starts_with_any(after, {" is 0,", " is 0 ", " is 0."})) &&
                   !starts_with_any(after, {" is null-terminated", " is a null-terminated", " is a null terminated"});
    if (c.sentence.error_context) {
      // "CL_INVALID_VALUE if P is NULL" -- but not "if P is NULL and N > 0" (a conditional requirement).
      std::string_view clause_start = l.substr(0, m.begin);
      bool condition = before.ends_with("if ") ||
                       (before.ends_with(" or ") && clause_start.rfind("if ") != std::string_view::npos);
      if (is_null && condition) {
        // "or" lists alternatives, each enough for the error; "and" narrows the condition.
        std::string_view rest = after.substr(after.find("null") + 4);
        while (!rest.empty() && (rest.front() == '.' || rest.front() == ',' || rest.front() == ' ')) rest.remove_prefix(1);
        bool narrowed = starts_with_any(rest, {"and ", "but ", "when ", "while ", "unless ", "for ", "in which"});
        std::size_t last_if = clause_start.rfind("if ");
        bool prior = last_if != std::string_view::npos &&
                     has_any_phrase(clause_start.substr(last_if), {"and", "both", "all", "neither"});
        if (!narrowed && !prior) claim(out, c, *m.param, false, 0.8);  // a specific error beats a shared remark
      }
      continue;
    }
    if (starts_with_any(after, {" can be null", " may be null", " can be a null", " may be a null",
                                " can also be null", " may also be null", " is optional", " is an optional",
                                " can optionally be null", " may optionally be null", " can be set to null",
                                " may be set to null", " is allowed to be null"})) {
      claim(out, c, *m.param, true, 0.85);
      continue;
    }
    if (starts_with_any(after, {" must not be null", " cannot be null", " can not be null", " may not be null",
                                " must be a non-null", " must be non-null", " must not be a null"})) {
      claim(out, c, *m.param, false, 0.8);
      continue;
    }
    // "arg_value must point to a buffer memory object or NULL"
    if (starts_with_any(after, {" must point to", " points to", " must be a", " can be a", " may be a", " is either"}) &&
        offers_null(after) && offers_null(c.lower.substr(m.end)) && !is_null) {
      claim(out, c, *m.param, true, 0.65);
      continue;
    }
    // "If nbytes_in is non-null, *nbytes_in will be set ...": what the call does with P
    // when given says it need not be.
    bool conditional = before.ends_with("if ") || before.ends_with("when ");
    if (conditional && starts_with_any(after, {" is non-null", " is not null", " is not a null", " are non-null",
                                               " are not null", " is non-zero", " is nonzero"}) &&
        m.param->pointer) {
      claim(out, c, *m.param, true, 0.65);
      continue;
    }
    if (is_null && conditional) {
      std::size_t comma = l.find(',', m.end);
      std::string_view consequence = comma == std::string_view::npos ? std::string_view{} : l.substr(comma);
      std::string_view condition = l.substr(m.end, comma == std::string_view::npos ? 0 : comma - m.end);
      if (has_any_phrase(condition, {"and", "or"})) continue;  // a combined condition says little about P alone
      // The consequence follows the condition ("If P is NULL, ... is ignored") or comes
      // before it ("returns cudaErrorInvalidValue if P is NULL").
      std::string_view lead = l.substr(0, m.begin);
      if (says_refused(consequence) || says_refused(lead)) continue;
      claim(out, c, *m.param, true, 0.75);
    }
  }
  // "specifying the null stream ..." / "standard null-stream semantics": a handle whose own
  // noun (its name's or type's last word) the text calls null may be passed as NULL.
  // Not where the sentence speaks of an error ("an invalid handle for a null event").
  bool speaks_of_error = has_any_phrase(l, {"error", "must not", "fails", "not allowed"}) ||
                         l.find("invalid") != std::string_view::npos;  // also inside cudaErrorInvalidValue
  if (!c.sentence.error_context && !speaks_of_error)
    for (const auto& p : c.fn.params) {
      if (!p.handle) continue;
      for (const auto& noun : head_nouns(p))
        // "the null stream", "null-stream semantics"; not "a NULL value" (SQL's NULL).
        if (has_phrase(l, "the null " + noun) || has_phrase(l, "null-" + noun)) {
          claim(out, c, p, true, 0.6);
          break;
        }
    }
  // A release call's NULL is a no-op: the named pointer, or the call's only one.
  if (!c.sentence.error_context && null_is_harmless(l) && about_this_function(c))
    if (const ParamFacts* target = harmless_null_target(c)) claim(out, c, *target, true, 0.7);
  // "P is optional" phrased about the subject as a whole ("an optional list of ...").
  if (const ParamFacts* s = c.subject(); s && c.subject_leads() && can_be_null(s) && !c.sentence.error_context) {
    std::string_view pred = c.predicate();
    if (starts_with_any(pred, {"is an optional ", "is optional", "optionally "})) claim(out, c, *s, true, 0.7);
  }
}

}  // namespace remora::inference::docs
