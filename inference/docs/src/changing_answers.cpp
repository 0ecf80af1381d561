// Answers that may change: in the table of an info query's selector values, a row whose
// description is about
//  - a count the library keeps ("Return the kernel reference count", "Map count"): every
//    retain, release or map moves it;
//  - a current state ("the current default command-queue", "the execution status of the
//    command", "the build status"): it moves as the program runs ("the current device
//    time counter ... when the command is enqueued" is a past moment's value: not one);
//  - something another call sets ("... whose size is specified with clSetKernelArg": a
//    function whose name has the word "set");
//  - or that says so ("should be considered immediately stale", "may change")
// gives the query a `changes_if` claim naming those selector values. It is not a claim
// that the other values repeat: fusion only narrows a `cacheable` verdict that other
// evidence (a trace whose repeated calls agreed, docs saying the answer is fixed) gives,
// so a guest never answers a reference count from a cache (inference/fusion,
// cacheable_narrowing.h). A row wrongly named costs a round trip, never a stale answer.
#include "changing_answers.h"

#include "remora/inference/docs/text_util.h"
#include "selector_types.h"

namespace remora::inference::docs {
namespace {

// Why the row's answer may change, or "" when its description says nothing of the kind.
std::string changing_reason(const SelectorRow& row, const TypeOracle& types, const spec::Function& fn) {
  for (const Sentence* s : row.description) {
    std::string lower = to_lower(s->text);
    if (has_any_phrase(lower, {"stale", "may change", "can change", "might change", "changes over time"}))
      return "it says the answer may change";
    if (has_any_phrase(lower, {"count", "counts"})) return "its answer is a count the library keeps";
    // "The current device time counter ... when the command is enqueued" is the value at
    // a past moment: fixed once it happened. ("Currently supported values" is about the
    // specification's version, not the object.)
    if ((has_phrase(lower, "current") && !has_phrase(lower, "when")) || has_any_phrase(lower, {"status", "state"}))
      return "its answer is a current state";
    for (const auto& m : s->mentions) {
      if (m.name == fn.name || !types.function(m.name)) continue;
      for (const auto& word : name_parts(m.name))
        if (to_lower(word) == "set") return "its answer depends on what " + m.name + " set";
    }
  }
  return "";
}

}  // namespace

std::size_t add_changing_answer_claims(const DocSection& section, const TypeOracle& types, spec::Function& fn) {
  std::optional<SelectorQuery> query = selector_query(fn, types);
  if (!query) return 0;
  std::string predicate, why;
  const Sentence* first = nullptr;
  std::size_t named = 0;
  for (const SelectorRow& row : selector_rows(section)) {
    std::string reason = changing_reason(row, types, fn);
    if (reason.empty()) continue;
    std::string clause = query->selector + " == " + row.constant;
    if (predicate.find(clause) != std::string::npos) continue;
    predicate += (predicate.empty() ? "" : " || ") + clause;
    why += (why.empty() ? "" : "; ") + row.constant + ": " + reason;
    if (!first) first = row.type;
    ++named;
  }
  if (named == 0) return 0;
  spec::Evidence e;
  e.source = spec::EvidenceSource::Docs;
  e.says.changes_if = predicate;
  e.weight = 0.7;
  e.why = shorten_utf8("the table of " + query->selector + " values: " + why, 400);
  e.location = first->file + ":" + std::to_string(first->line);
  fn.evidence.push_back(std::move(e));
  return named;
}

}  // namespace remora::inference::docs
