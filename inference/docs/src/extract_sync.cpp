// Blocking semantics: "If P is CL_FALSE ... queues a non-blocking read command
// and returns" (async when P is false), "does not return until" (sync),
// "Enqueues a command" (async), "blocks until all previously queued commands
// ... have completed" (a barrier).
#include <cctype>

#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

bool says_blocking(std::string_view l) {
  return has_any_phrase(l, {"does not return until", "will not return until", "do not return until",
                            "is blocking", "are blocking", "blocks until", "block until", "waits until",
                            "is a blocking"}) &&
         !has_phrase(l, "non-blocking");
}

// "returns immediately" as the way the call returns, not the moment it returns at
// ("inflate() returns immediately after reaching the end of the deflate block header").
bool returns_at_once(std::string_view l) {
  for (std::string_view phrase : {"returns immediately", "return immediately"}) {
    for (std::size_t at = l.find(phrase); at != std::string_view::npos; at = l.find(phrase, at + 1)) {
      std::string_view after = l.substr(at + phrase.size());
      if (!starts_with_any(after, {" after", " when", " if ", " upon", " once", " on ", " before", " at "}))
        return true;
    }
  }
  return false;
}

bool says_nonblocking(std::string_view l) {
  return has_any_phrase(l, {"non-blocking", "nonblocking", "asynchronously", "does not need to wait"}) ||
         returns_at_once(l) ||
         (has_phrase(l, "queues") && has_phrase(l, "and returns"));
}

// "TRUE"-ish or "FALSE"-ish constant, and its opposite spelled the same way.
std::optional<bool> truth_of(std::string_view constant, std::string& opposite) {
  std::string upper;
  for (char ch : constant) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  auto swap = [&](std::string_view from, std::string_view to) {
    std::size_t at = upper.rfind(from);
    opposite = std::string(constant.substr(0, at)) + std::string(to) + std::string(constant.substr(at + from.size()));
    bool lower_case = constant.size() > at && std::islower(static_cast<unsigned char>(constant[at]));
    if (lower_case)
      for (std::size_t k = at; k < at + to.size(); ++k)
        opposite[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(opposite[k])));
  };
  if (upper.ends_with("TRUE")) return swap("TRUE", "FALSE"), true;
  if (upper.ends_with("FALSE")) return swap("FALSE", "TRUE"), false;
  return std::nullopt;
}

void sync_claim(Claims& out, const SentenceContext& c, spec::Sync sync, double w, std::optional<bool> barrier = {}) {
  spec::AnnotationPatch p;
  p.sync = std::move(sync);
  if (barrier) p.barrier = *barrier;
  add_claim(out, c, "", p, w);
}

}  // namespace

void extract_sync(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;
  std::string_view l = c.lower;
  const std::string& text = c.sentence.text;

  // Conditional: "If P is CL_TRUE, ... does not return until ..." / "If P is CL_FALSE ... non-blocking".
  if (l.starts_with("if ") && !c.mentions.empty() && c.mentions.front().begin == 3) {
    const ParamMention& m = c.mentions.front();
    std::string_view after = std::string_view(text).substr(m.end);
    bool negated = after.starts_with(" is not ");
    if (after.starts_with(" is ")) {
      std::string_view value = after.substr(negated ? 8 : 4);
      if (value.starts_with("a ")) value.remove_prefix(2);
      std::size_t n = 0;
      while (n < value.size() && (std::isalnum(static_cast<unsigned char>(value[n])) || value[n] == '_')) ++n;
      std::string_view rest_null = l.substr(std::min(l.size(), static_cast<std::size_t>(value.data() - text.data()) + n));
      if (value.substr(0, n) == "NULL") {
        // "If pfn_notify is not NULL, F does not need to wait ... can return immediately":
        // async exactly when the pointer is given.
        // Only about the call itself returning ("F does not return until", "can return immediately"),
        // not about an enqueued command that waits.
        bool about_return = has_any_phrase(rest_null, {"return until", "return immediately", "returns immediately",
                                                       "does not need to wait"});
        if (!about_return) return;
        bool blocking = says_blocking(rest_null), nonblocking = says_nonblocking(rest_null);
        if (blocking == nonblocking || (!m.param->pointer && !m.param->callback)) return;
        bool async_when_given = negated ? nonblocking : blocking;
        spec::Sync s;
        s.mode = spec::Sync::Mode::AsyncIf;
        s.condition = m.param->name + (async_when_given ? " != NULL" : " == NULL");
        sync_claim(out, c, s, 0.7);
        return;
      }
      std::string opposite;
      std::optional<bool> truth = truth_of(value.substr(0, n), opposite);
      if (!truth || negated) return;  // only "P is TRUE/FALSE" switches
      std::string constant(value.substr(0, n));
      std::string_view rest = rest_null;
      bool blocking = says_blocking(rest);
      bool nonblocking = says_nonblocking(rest);
      if (blocking == nonblocking) return;
      // async when the switch has the value that makes the call non-blocking
      std::string async_value = nonblocking ? constant : opposite;
      spec::Sync s;
      s.mode = spec::Sync::Mode::AsyncIf;
      s.condition = m.param->name + " == " + async_value;
      sync_claim(out, c, s, 0.8);
    }
    return;
  }
  // "Launches are done with the stream set using curandSetStream()": the call queues
  // its work on a stream (cuRAND's, cuBLAS's generators and handles), whatever a
  // trailing clause adds ("or the null stream if no stream has been set").
  if (has_any_phrase(l, {"launches are done", "launches are made", "launched on the stream", "launched into the stream",
                         "launched in the stream", "launches into the stream", "launches on the stream"}) &&
      has_phrase(l, "stream") && !l.starts_with("if ") && about_this_function(c)) {
    return sync_claim(out, c, spec::Sync{spec::Sync::Mode::Async, {}}, 0.6);
  }
  // "Makes all future work submitted to stream wait for ...", "inserts a wait operation into
  // the specified stream", "Adds a callback to be called ... after all currently enqueued
  // items ... have completed": the call puts an operation in a queue and returns.
  if (about_this_function(c) && !says_blocking(l) &&
      ((has_phrase(l, "future work submitted") && has_phrase(l, "wait")) ||
       (has_phrase(l, "inserts") && has_any_phrase(l, {"into the specified stream", "into the stream", "into the queue"})) ||
       (c.summary && has_phrase(l, "after all currently enqueued")))) {
    return sync_claim(out, c, spec::Sync{spec::Sync::Mode::Async, {}}, 0.6);
  }
  if (l.starts_with("if ") || l.starts_with("when ") || has_phrase(l, "if ") || has_phrase(l, "in case")) return;
  if (!about_this_function(c)) return;

  bool enqueues = has_any_phrase(l, {"enqueue", "enqueues", "enqueued command", "enqueues a"});
  bool waits_for_all = has_any_phrase(l, {"all previously queued", "all previously enqueued", "all queued",
                                          "all commands previously", "all outstanding", "all preceding",
                                          "all previous", "all prior", "all pending"});
  if (says_blocking(l) && !enqueues) {
    spec::Sync s;
    if (waits_for_all) return sync_claim(out, c, s, 0.85, true);
    return sync_claim(out, c, s, 0.6);
  }
  if (c.summary && !enqueues && starts_with_any(l, {"waits ", "wait ", "to wait "}) &&
      has_any_phrase(l, {"complete", "completed", "finish", "finished"})) {
    return sync_claim(out, c, spec::Sync{}, 0.6);  // waiting for given events is not a barrier
  }
  if (c.summary && starts_with_any(l, {"enqueue", "enqueues", "to enqueue"})) {
    spec::Sync s;
    s.mode = spec::Sync::Mode::Async;
    return sync_claim(out, c, s, 0.45);
  }
  // "This function is asynchronous with respect to the host" (CUDA's phrasing); "stream
  // ordered" only where it sums up the call ("Frees memory with stream ordered
  // semantics"), not where it names the ordering of something else.
  if ((has_any_phrase(l, {"asynchronous with respect to the host", "is asynchronous with respect to"}) ||
       (c.summary && has_any_phrase(l, {"stream-ordered", "stream ordered"}))) &&
      !has_any_phrase(l, {"error codes from previous", "may also return"})) {
    spec::Sync s;
    s.mode = spec::Sync::Mode::Async;
    return sync_claim(out, c, s, 0.7);
  }
  if (has_any_phrase(l, {"synchronous with respect to the host"}) && !has_phrase(l, "asynchronous")) {
    return sync_claim(out, c, spec::Sync{}, 0.6);
  }
  if (!enqueues && returns_at_once(l) && !has_phrase(l, "need")) {
    spec::Sync s;
    s.mode = spec::Sync::Mode::Async;
    sync_claim(out, c, s, 0.55);
  }
}

}  // namespace remora::inference::docs
