// Memory the library keeps after the call (Annotation::retain), from docs that say the
// library goes on using a pointer parameter's memory once the call has returned:
// - "object": until the object the call creates is released ("use memory referenced by
//   host_ptr as the storage bits for the memory object", "data must remain valid until
//   the object is released", "keeps a pointer to data", "data is not copied"). The stack
//   must then hand the library memory that outlives the call, tied to the object the call
//   creates; so it is claimed only for a function that creates an object (returns a
//   handle or writes one through a pointer).
// - "command": until the command a non-blocking call queues completes, the program
//   leaving it unchanged until then ("the memory pointed to by ptr cannot be reused by
//   the application after the call returns", "src must not be modified until the copy
//   has completed"). Over shm such an input may be read in the program's own pages.
// Only for plain data pointers; fusion drops either unless the parameter ends up an `in`
// buffer, and "command" unless the function may be asynchronous.
#include "claim_helpers.h"

namespace remora::inference::docs {
namespace {

bool creates_object(const FunctionFacts& fn) {
  if (fn.returns_handle) return true;
  for (const auto& p : fn.params)
    if (p.pointer && !p.const_pointee && p.pointee_handle && !p.pointer_to_pointer) return true;
  return false;
}

// The rest of the sentence after `from`, up to its first clause break.
std::string_view clause_from(std::string_view after) {
  return after.substr(0, after.find_first_of(".;"));
}

// "use (the) memory referenced by X as the storage ...", "keeps a pointer to X".
bool kept_by_phrase_before(std::string_view before, std::string_view after) {
  if (ends_with_any(before,
                    {"keeps a pointer to ", "keeps a reference to ", "retains a pointer to ",
                     "retains a reference to ", "keep a pointer to ", "keep a reference to ",
                     "stores a pointer to ", "store a pointer to "}))
    return true;
  if (!ends_with_any(before, {"use memory referenced by ", "use the memory referenced by ",
                              "use memory pointed to by ", "use the memory pointed to by ",
                              "uses memory referenced by ", "uses the memory referenced by ",
                              "uses memory pointed to by ", "uses the memory pointed to by "}))
    return false;
  // "use memory referenced by X as the storage/backing store": not "to initialize ...".
  std::string_view clause = clause_from(after);
  return clause.starts_with(" as ") && has_any_phrase(clause, {"storage", "backing", "store"});
}

// "X must remain valid until ... released", "X is not copied".
bool kept_by_phrase_after(std::string_view after) {
  if (starts_with_any(
          after, {" is not copied", " are not copied", " will not be copied", " is never copied",
                  " is referenced, not copied", " is used as the storage", " is used as storage",
                  " is used as the backing"}))
    return true;
  if (!starts_with_any(after,
                       {" must remain valid", " must stay valid", " must remain allocated",
                        " must not be freed", " must not be deallocated", " must not be released",
                        " must outlive", " must be kept alive", " must remain alive"}))
    return false;
  // Valid for how long: until the created object goes away, not until the call or a
  // command completes (a command's input is `command`, below).
  std::string_view clause = clause_from(after);
  if (has_any_phrase(clause,
                     {"complete", "completes", "completed", "returns", "finishes", "finished"}))
    return false;
  return has_any_phrase(
      clause, {"released", "destroyed", "deleted", "freed", "lifetime", "outlive", "as long as"});
}

// Whether the words after "until" name a command's completion (not the call's return).
bool until_completion(std::string_view clause) {
  const std::size_t at = clause.find("until ");
  if (at == std::string_view::npos) return false;
  std::string_view rest = clause.substr(at + 6);
  if (starts_with_any(rest, {"the call returns", "the function returns", "this call returns", "it returns"}))
    return false;
  return has_any_phrase(rest, {"complete", "completes", "completed", "completion", "finishes", "finished",
                               "executed", "done"});
}

// "X cannot be reused after the call returns", "X must not be modified until the command
// completes", "X must remain valid until the write has completed".
bool kept_until_command_done(std::string_view after) {
  const bool not_reused =
      starts_with_any(after, {" cannot be reused", " can not be reused", " must not be reused", " should not be reused",
                              " must not be modified", " should not be modified", " must not be changed",
                              " must not be overwritten", " must not be written", " must not be freed",
                              " must not be deallocated"});
  const bool kept_valid = starts_with_any(
      after, {" must remain valid", " must stay valid", " must remain unchanged", " must remain allocated",
              " must not change"});
  if (!not_reused && !kept_valid) return false;
  std::string_view clause = clause_from(after);
  if (until_completion(clause)) return true;
  // "cannot be reused by the application after the call returns": returning frees nothing.
  return not_reused && has_any_phrase(clause, {"after the call returns", "after the function returns",
                                               "once the call returns", "after this call returns"});
}

}  // namespace

void extract_retain(const SentenceContext& c, Claims& out) {
  if (c.sentence.error_context) return;
  const bool creates = creates_object(c.fn);
  for (const auto& m : c.mentions) {
    const ParamFacts& p = *m.param;
    // Plain data the caller owns: not a handle, a callback, a string or a list of pointers.
    if (!p.pointer || p.callback || p.handle || p.pointee_handle || p.char_pointer ||
        p.pointer_to_pointer)
      continue;
    std::string_view after = after_mention(c, m, 120);
    Claim claim;
    if (creates && (kept_by_phrase_before(before_mention(c, m, 60), after) || kept_by_phrase_after(after))) {
      claim.retain = "object";
      claim.weight = 0.7;
    } else if (kept_until_command_done(after)) {
      claim.retain = "command";
      claim.weight = 0.6;
    } else {
      continue;
    }
    claim.param = p.name;
    claim.sentence = &c.sentence;
    out.push_back(std::move(claim));
  }
}

}  // namespace remora::inference::docs
