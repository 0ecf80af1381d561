// Which characters make text: `char`, and the one-byte integers an API names as its
// character type for UTF-8 (libxml2's `xmlChar`, libyaml's `yaml_char_t`, fontconfig's
// `FcChar8`). A plain `unsigned char` is bytes unless the docs say the text ends in a zero.
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

bool is_text_unit(const TypeInfo& t) {
  if (t.shape == TypeShape::Char) return true;
  if (t.shape != TypeShape::Integer || t.size_bytes != 1 || t.typedef_name.empty()) return false;
  // The word char, alone or with the width of its unit (char8: a UTF-8 code unit).
  for (const auto& w : identifier_words(t.typedef_name))
    if (w == "char" || w == "char8") return true;
  return false;
}

}  // namespace remora::inference
