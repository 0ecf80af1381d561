// What a pointer points to: strings ("a null-terminated string"), arrays
// ("a list of devices", "an array of N pointers to strings"), single values
// ("returns the number of devices" through a size_t *).
#include "claim_helpers.h"

namespace remora::inference::docs {

namespace {

// "Strings returned by sqlite3_column_text() ... are always zero-terminated": the chars a
// call returns are text (a `const unsigned char *` is bytes unless the docs say so).
void returned_string(const SentenceContext& c, Claims& out) {
  if (!c.fn.returns_char_pointer || c.sentence.error_context || !has_phrase(c.sentence.text, c.fn.name)) return;
  const std::string_view l = c.lower;
  if (!has_any_phrase(l, {"returned by", "returns a", "returns the", "return a", "return the"})) return;
  if (!terminated_phrase(l)) return;
  spec::AnnotationPatch p;
  p.kind = spec::Kind::String;
  add_claim(out, c, "", p, 0.7);
}

}  // namespace

void extract_kind(const SentenceContext& c, Claims& out) {
  returned_string(c, out);
  const ParamFacts* s = c.subject();
  if (!s || !c.subject_leads() || c.sentence.error_context || !s->pointer || s->callback) return;
  std::string_view pred = c.predicate();
  std::string_view head = pred.substr(0, std::min<std::size_t>(pred.size(), 90));
  bool string_words = has_any_phrase(head, {"null-terminated string", "null terminated string", "nul-terminated",
                                            "null-terminated character", "character string", "is a string",
                                            "zero-terminated string", "c string", "the name of"});
  // Strings the call reads; a char buffer the call fills is a sized buffer instead.
  if (s->char_pointer && s->const_pointee && string_words) {
    spec::AnnotationPatch p;
    p.kind = spec::Kind::String;
    add_claim(out, c, s->name, p, 0.8);
    return;
  }
  bool array_words = starts_with_any(pred, {"is an array", "is a list", "is a pointer to a list", "is a pointer to an array",
                                            "points to an array", "points to a list", "is an optional list",
                                            "specifies a list", "specifies an array", "returns a list",
                                            "is a buffer", "is the list", "is the array", "specify a list"});
  if (array_words && !s->char_pointer) {
    spec::AnnotationPatch p;
    p.kind = spec::Kind::Buffer;
    if (s->pointer_to_pointer && has_any_phrase(head, {"strings", "string"})) p.element_kind = spec::Kind::String;
    else if (s->pointee_handle) p.element_kind = spec::Kind::Handle;
    add_claim(out, c, s->name, p, 0.6);
    return;
  }
  // "host_ptr is a pointer to the image data", "ptr is the pointer to buffer in host memory".
  if (s->void_pointer && starts_with_any(pred, {"is a pointer to ", "is the pointer to ", "points to "})) {
    std::string_view first = pred.substr(0, std::min<std::size_t>(pred.size(), 48));
    if (has_any_phrase(first, {"data", "buffer", "memory"}) && !has_any_phrase(first, {"function", "structure"})) {
      spec::AnnotationPatch p;
      p.kind = spec::Kind::Buffer;
      add_claim(out, c, s->name, p, 0.55);
      return;
    }
  }
  // "event returns an event object that identifies this command": one new handle.
  if (s->pointee_handle && !s->const_pointee &&
      starts_with_any(pred, {"returns an ", "returns a ", "will return an ", "will return a "})) {
    std::string_view first = pred.substr(0, pred.find_first_of(".,;"));
    if (has_phrase(first, "object") && !has_any_phrase(first, {"list", "array", "objects"})) {
      spec::AnnotationPatch p;
      p.kind = spec::Kind::Element;
      p.element_kind = spec::Kind::Handle;
      add_claim(out, c, s->name, p, 0.6);
      return;
    }
  }
  // "num_devices returns the number of OpenCL devices", "errcode_ret will return an error code".
  if (s->pointee_integer && !s->pointer_to_pointer &&
      starts_with_any(pred, {"returns the number", "returns the actual", "returns the size", "returns the count",
                             "will return an", "will return the", "will return a ", "returns an appropriate",
                             "may return an", "returns a count"}) &&
      !has_any_phrase(head, {"list", "array", "values"})) {
    spec::AnnotationPatch p;
    p.kind = spec::Kind::Element;
    add_claim(out, c, s->name, p, 0.6);
  }
}

}  // namespace remora::inference::docs
