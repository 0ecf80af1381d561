// Untyped bytes that may carry an object of the API: "arg_value must point to a buffer
// memory object", "P points to a sampler object". A `void *` the docs describe as
// pointing at an object holds a handle's value among other uses (plain data otherwise),
// so the stack must translate the handle values in it (Annotation::may_hold_handles).
#include "claim_helpers.h"

namespace remora::inference::docs {

void extract_handles_in_bytes(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;  // "... if arg_value points to a valid memory object ..." restates a rule
  for (const auto& m : c.mentions) {
    if (!m.param->void_pointer) continue;
    std::string_view after = after_mention(c, m, 80);
    if (!starts_with_any(after, {" must point to a", " must point to an", " points to a", " points to an",
                                 " is a pointer to a", " is a pointer to an"}))
      continue;
    // The object is named before the clause ends: "a buffer memory object or NULL".
    std::string_view clause = after.substr(0, after.find_first_of(".;,"));
    if (!has_any_phrase(clause, {"object"})) continue;
    spec::AnnotationPatch patch;
    patch.may_hold_handles = true;
    add_claim(out, c, m.param->name, patch, 0.7);
  }
}

}  // namespace remora::inference::docs
