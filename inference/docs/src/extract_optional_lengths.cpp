// Strings with an optional array of lengths: "If an element in lengths is zero, its
// accompanying string is null-terminated", "If lengths is NULL, all strings ... are
// considered null-terminated". Element i of the array of strings is then lengths[i]
// bytes (no NUL) when the length array is given and its entry is not 0, else a
// NUL-terminated string: the element size
//   `L != 0 && L[i] != 0 ? L[i] : strlen(S[i]) + 1` bytes
// (docs/spec-format.md). The rule needs both halves of the idiom in the prototype: a
// `const char **` array S and a pointer to integers L that the header counts by the same
// parameter; the sentence must name L in a condition (NULL or zero) and say
// "null-terminated". Either sentence gives the whole expression: it tests both, and a
// length array the API never lets be NULL (or 0) is refused by the library as natively.
#include <set>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

// "L is NULL", "L is zero", "an element in L is 0", after an "if"/"when".
bool null_or_zero_condition(const SentenceContext& c, const ParamMention& m) {
  std::string_view after = after_mention(c, m, 24);
  if (!starts_with_any(after, {" is null", " is zero", " is 0", " are null", " are zero", " are 0",
                               " is a null", " == null", " == 0", " is `null`", " is set to null",
                               " is set to zero", " is set to 0"}))
    return false;
  std::string_view before = before_mention(c, m, 40);
  return before.starts_with("if ") || before.starts_with("when ") ||
         before.find(" if ") != std::string_view::npos ||
         before.find(" when ") != std::string_view::npos || c.lower.starts_with("if ") ||
         c.lower.starts_with("when ");
}

bool array_of_const_strings(const ParamFacts& p) {
  return p.pointer_to_pointer && p.const_pointee && base_type_name(p.type) == "char" &&
         !p.header_count.empty();
}

bool array_of_lengths(const ParamFacts& p) {
  return p.pointer && !p.pointer_to_pointer && p.pointee_integer && p.const_pointee &&
         !p.header_count.empty();
}

// "L is negative", "L argument is less than zero", "L is -1".
bool negative_condition(const SentenceContext& c, const ParamMention& m) {
  std::string_view after = after_mention(c, m, 40);
  for (std::string_view noun : {" argument", " parameter"})
    if (after.starts_with(noun)) after.remove_prefix(noun.size());
  return starts_with_any(after, {" is negative", " is less than zero", " is less than 0", " < 0", " is -1",
                                 " is a negative", " are negative"});
}

// One string with a signed length: "If the nByte argument is negative, then zSql is read up
// to the first zero terminator" (SQLite; glib's "len, or -1 if NUL-terminated" idiom). The
// string is then `L < 0 ? strlen(S) + 1 : L` bytes: the sentence must make L's sign the
// condition and say the string ends at its terminator; S is the one `const char *` of the
// call (or the one the sentence names).
void string_with_signed_length(const SentenceContext& c, Claims& out) {
  if (!has_any_phrase(c.lower, {"zero terminator", "nul terminator", "null terminator", "first zero",
                                "first nul", "null-terminated", "nul-terminated", "zero-terminated"}))
    return;
  for (const auto& m : c.mentions) {
    const ParamFacts& length = *m.param;
    if (!length.signed_integer || !negative_condition(c, m)) continue;
    const ParamFacts* text = nullptr;
    int found = 0;
    for (const auto& p : c.fn.params)
      if (p.char_pointer && p.const_pointee) text = &p, ++found;
    if (found > 1) {  // several strings: the one the sentence names
      std::set<const ParamFacts*> named;
      for (const auto& other : c.mentions)
        if (other.param->char_pointer && other.param->const_pointee) named.insert(other.param);
      found = static_cast<int>(named.size());
      if (found == 1) text = *named.begin();
    }
    if (found != 1) return;
    spec::AnnotationPatch says;
    says.kind = spec::Kind::String;
    says.size = length.name + " < 0 ? strlen(" + text->name + ") + 1 : " + length.name;
    says.size_unit = spec::SizeUnit::Bytes;
    // 0.8: it refines the header's pairing of the two (which it contains), even where the
    // length's name says what it counts (0.75).
    add_claim(out, c, text->name, says, 0.8);
    return;
  }
}

}  // namespace

void extract_optional_lengths(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;
  string_with_signed_length(c, out);
  if (!terminated_phrase(c.lower)) return;
  for (const auto& m : c.mentions) {
    const ParamFacts& lengths = *m.param;
    if (!array_of_lengths(lengths) || !null_or_zero_condition(c, m)) continue;
    // The one array of strings counted like the lengths.
    const ParamFacts* strings = nullptr;
    int found = 0;
    for (const auto& p : c.fn.params)
      if (array_of_const_strings(p) && p.header_count == lengths.header_count) {
        strings = &p;
        ++found;
      }
    if (found != 1) return;
    const std::string& l = lengths.name;
    spec::AnnotationPatch says;
    says.element_kind = spec::Kind::String;
    says.element_direction = spec::Direction::In;
    says.element_size =
        l + " != 0 && " + l + "[i] != 0 ? " + l + "[i] : strlen(" + strings->name + "[i]) + 1";
    says.element_size_unit = spec::SizeUnit::Bytes;
    add_claim(out, c, strings->name, says, 0.7);
    return;
  }
}

}  // namespace remora::inference::docs
