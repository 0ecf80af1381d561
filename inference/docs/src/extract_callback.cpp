// Callbacks and their user data: "P is a callback function", "is a function
// pointer to a notification routine"; "P will be passed as the user_data
// argument when ... is called", "is a pointer to user supplied data".
#include "claim_helpers.h"

namespace remora::inference::docs {

void extract_callback(const SentenceContext& c, Claims& out) {
  const ParamFacts* s = c.subject();
  if (!s || !c.subject_leads() || c.sentence.error_context) return;
  std::string_view pred = c.predicate();
  std::string_view l = c.lower;
  bool callback = starts_with_any(pred, {"is a callback", "is the callback", "is an event callback",
                                         "is the event callback", "is a function pointer", "is a pointer to a function",
                                         "is a pointer to the function", "is a notification", "is the notification",
                                         "is a pointer to a callback", "is a pointer to a notification",
                                         "specifies a callback", "is a user callback", "is the user callback"}) ||
                  (starts_with_any(pred, {"is a ", "is an ", "is the "}) &&
                   has_any_phrase(pred.substr(0, 60), {"callback function", "notification routine", "callback"}) &&
                   pred.find("callback") < 40);
  if (callback && (s->callback || (s->pointer && !s->char_pointer))) {
    spec::AnnotationPatch p;
    p.kind = spec::Kind::Callback;
    add_claim(out, c, s->name, p, 0.85);
    return;
  }
  bool userdata = has_any_phrase(l, {"user supplied data", "user-supplied data", "user data", "application data"}) ||
                  ((has_phrase(pred, "will be passed") || has_phrase(pred, "is passed")) &&
                   has_any_phrase(l, {"callback", "is called", "when", "notify", "function is invoked"}));
  if (userdata && s->void_pointer && !s->pointer_to_pointer) {
    spec::AnnotationPatch p;
    p.kind = spec::Kind::Userdata;
    add_claim(out, c, s->name, p, 0.8);
  }
}

}  // namespace remora::inference::docs
