// Out pointers the library sets to an address inside another parameter's memory:
// "If pzTail is not NULL then *pzTail is made to point to the first byte past the end of
// the first SQL statement in zSql" (SQLite), the `endptr` idiom. Copied as a string of its
// own, the program's pointer arithmetic (`tail - zSql`) would read garbage; the stack
// gives it the same offset into the program's own memory (Annotation::points_into).
#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

bool pointing_words(std::string_view between) {
  return has_any_phrase(
      between, {"point to", "points to", "pointing to", "point at", "points at", "set to point",
                "the address of", "a pointer to", "points into", "point into"});
}

// " in zSql", " into zSql", " within zSql", " inside zSql": the words right before Q.
bool inside_words(std::string_view before) {
  return ends_with_any(
      before, {" in ", " into ", " within ", " inside ", " of the string ", " of the buffer "});
}

}  // namespace

void extract_points_into(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;
  for (const auto& m : c.mentions) {
    const ParamFacts& tail = *m.param;
    if (!tail.pointer_to_pointer) continue;
    for (const auto& q : c.mentions) {
      const ParamFacts& into = *q.param;
      // The memory pointed into is an input the program passed: a string or buffer.
      if (&into == &tail || q.begin <= m.end || !into.pointer || into.pointer_to_pointer ||
          into.callback || into.handle || !into.const_pointee)
        continue;
      std::string_view between = std::string_view(c.lower).substr(m.end, q.begin - m.end);
      if (!pointing_words(between) || !inside_words(std::string_view(c.lower).substr(0, q.begin)))
        continue;
      Claim claim;
      claim.param = tail.name;
      claim.points_into = into.name;
      claim.weight = 0.8;  // outweighs the header's "a char ** receives a string"
      claim.sentence = &c.sentence;
      out.push_back(std::move(claim));
      return;
    }
  }
}

}  // namespace remora::inference::docs
