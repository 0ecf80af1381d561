// Direction of pointer parameters: "returns", "is a pointer to memory where
// ... will be returned" (out); "specifies", "is a list of" (in); "on input ...
// on output" (inout); explicit [in]/[out] tags.
#include "claim_helpers.h"

namespace remora::inference::docs {

void extract_direction(const SentenceContext& c, Claims& out) {
  const ParamFacts* s = c.subject();
  if (!s) return;
  if (c.tagged) {
    spec::AnnotationPatch p;
    p.direction = *c.tagged;
    for (const ParamFacts* subject : c.subjects) add_claim(out, c, subject->name, p, 0.9);
    return;
  }
  if (!c.subject_leads() || c.sentence.error_context) return;
  std::string_view pred = c.predicate();
  bool inout = has_phrase(c.lower, "on input") && has_phrase(c.lower, "on output");
  bool returns_verb = starts_with_any(pred, {"returns ", "will return ", "may return ", "return ", "is used to return",
                                             "receives ", "will receive ", "will contain ", "will be filled",
                                             "is filled", "is set to "});
  bool returned_place = has_any_phrase(pred, {"will be returned", "is returned", "are returned", "will be written",
                                              "is written", "are written", "will be stored", "is stored",
                                              "are stored", "will be copied into", "is copied into", "will be set"}) &&
                        !starts_with_any(pred, {"specifies", "specify"}) && !has_phrase(pred, "no ");
  bool in_words = starts_with_any(pred, {"specifies", "specify", "is a list of", "is an array of", "is a pointer to a list",
                                         "is a pointer to an array", "points to a list", "points to an array",
                                         "describes", "is a pointer to a null-terminated",
                                         "is a pointer to a string", "is an optional list", "is a list ",
                                         "is an array ", "is the list of", "is the array of"});
  double weight = 0;
  spec::Direction d = spec::Direction::In;
  if (inout) {
    d = spec::Direction::InOut, weight = 0.8;
  } else if (returns_verb) {
    d = spec::Direction::Out, weight = 0.8;
  } else if (returned_place) {
    d = spec::Direction::Out, weight = 0.85;
  } else if (in_words) {
    d = spec::Direction::In, weight = 0.5;
  }
  if (weight == 0) return;
  for (const ParamFacts* subject : c.subjects) {
    // Direction only distinguishes pointers; scalars and handles are always in.
    if (!subject->pointer || subject->callback) continue;
    // A const pointee cannot be written: the sentence is about another reading.
    if (subject->const_pointee && d != spec::Direction::In) continue;
    spec::AnnotationPatch p;
    p.direction = d;
    add_claim(out, c, subject->name, p, weight);
  }
}

}  // namespace remora::inference::docs
