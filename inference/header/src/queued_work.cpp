// Accelerator APIs queue work through calls whose names do not say so: an event recorded
// into a stream (`cuEventRecord(hEvent, hStream)`), a callback added to one, a queue
// submission (`vkQueueSubmit(queue, ...)`), a stream told to wait for an event
// (`cuStreamWaitEvent(hStream, hEvent, flags)`), or a library call on an object bound to a
// stream (`curandGenerate(generator, outputPtr, n)` after `curandSetStream`). Each returns
// once the work is queued: asynchronous. The stack may then send it without waiting, and
// its status comes with the next synchronous call, as the name rule does for enqueues.
//
// What makes a handle type a work queue is the API itself: a call that waits for work
// (finish, synchronize, wait) takes it as its only handle, and its type or a parameter
// calls it a stream or a queue. A type the host cannot wait on (a media "stream" object
// of a file library) never qualifies, and neither does a device (`vkDeviceWaitIdle`).
//
// Not claimed: calls that create, release, retain, configure or inspect the queue or
// object (`cuStreamCreate`, `clRetainCommandQueue`, `cudaStreamBeginCapture`,
// `clFlush`), calls whose name says the host waits (`vkQueueWaitIdle`), and calls that
// hand something back besides their status: a non-const pointer the host reads (a count,
// a handle array), a computed return value, a pointer or handle returned.
#include "queued_work.h"

#include "remora/inference/text_util.h"
#include "stream_bound_arrays.h"

namespace remora::inference {

namespace {

std::vector<const ParsedParam*> by_value_handles(const ParsedFunction& f) {
  std::vector<const ParsedParam*> out;
  for (const ParsedParam& p : f.params)
    if (p.type.is_handle) out.push_back(&p);  // (a handle is spelled as a pointer typedef)
  return out;
}

// The nouns a handle parameter goes by: its type's words and its name's (`CUevent hEvent`
// -> "c", "uevent", "h", "event").
bool goes_by(const ParsedParam& p, const std::string& noun) {
  for (const auto& w : identifier_words(p.type.typedef_name))
    if (w == noun) return true;
  for (const auto& w : identifier_words(p.name))
    if (w == noun) return true;
  return false;
}

// A handle passed by value whose type or parameter name calls it a stream or a queue
// (`CUstream hStream`: the type's own words are "c ustream", the parameter says it).
bool names_a_queue(const ParsedParam& p) {
  return p.type.is_handle && !p.type.typedef_name.empty() &&
         (goes_by(p, "stream") || goes_by(p, "queue"));
}

// Managing the queue or object rather than giving it work.
bool manages_object(const names::Words& w) {
  return configures_object(w) || names::only_queries(w) ||
         names::has_any_word(
             w, {"retain", "begin", "end", "flush", "reset", "is", "register", "unregister"});
}

const ParsedParam* queue_param(const FunctionContext& c) {
  if (!c.work_queues || c.work_queues->empty()) return nullptr;
  for (const ParsedParam* p : by_value_handles(c.parsed))
    if (c.work_queues->count(p->type.typedef_name) && names_a_queue(*p)) return p;
  return nullptr;
}

// Every pointer is something the call only reads, a callback with its user data, or a
// device array of a stream-bound object's work: nothing for the host to read afterwards.
bool hands_back_nothing(const FunctionContext& c) {
  const TypeInfo& ret = c.parsed.ret;
  if (ret.is_handle || ret.is_pointer() || c.returns_computed_value()) return false;
  for (std::size_t i = 0; i < c.parsed.params.size(); ++i) {
    const ParsedParam& p = c.parsed.params[i];
    if (!p.type.is_pointer() || p.type.is_handle || p.type.is_function_pointer()) continue;
    if (p.type.pointee && p.type.pointee->is_const) continue;
    if (c.has_callback && names::is_user_data_name(p.name)) continue;
    if (is_stream_bound_array(c, i)) continue;
    return false;
  }
  return true;
}

}  // namespace

std::set<std::string> find_work_queue_types(const ParsedHeader& header) {
  std::set<std::string> out;
  for (const ParsedFunction& f : header.functions) {
    names::Words w = identifier_words(f.name);
    if (!names::waits_for_work(w) || names::enqueues_work(w)) continue;
    std::vector<const ParsedParam*> handles = by_value_handles(f);
    if (handles.size() == 1 && names_a_queue(*handles.front()))
      out.insert(handles.front()->type.typedef_name);
  }
  return out;
}

namespace {

// `cuStreamWaitEvent`: the word before "wait" names `queue`, the word after it another
// handle of the call.
bool waits_for_other(const FunctionContext& c, const ParsedParam* queue) {
  if (!queue) return false;
  const names::Words& w = c.words;
  for (std::size_t i = 1; i + 1 < w.size(); ++i) {
    if (w[i] != "wait" || !goes_by(*queue, w[i - 1])) continue;
    for (const ParsedParam* other : by_value_handles(c.parsed))
      if (other != queue && goes_by(*other, w[i + 1])) return true;
  }
  return false;
}

}  // namespace

bool queue_waits_for_object(const FunctionContext& c) {
  return waits_for_other(c, queue_param(c));
}

void add_queued_work_evidence(const FunctionContext& c, spec::Function& f) {
  if (names::enqueues_work(c.words) || manages_object(c.words)) return;
  const ParsedParam* queue = queue_param(c);
  std::string binder;
  const ParsedParam* object = queue ? nullptr : bound_object(c, &binder);
  if (!queue && !object) return;
  const bool queue_waits = waits_for_other(c, queue);
  if (names::waits_for_work(c.words) && !queue_waits) return;  // the host waits: the barrier rule's
  if (!hands_back_nothing(c)) return;
  std::string why;
  if (queue_waits)
    why = "the name says the queue '" + queue->name +
          "' waits for another object, not the host: the wait is queued "
          "work, so the call is asynchronous";
  else if (queue)
    why = "takes the work queue '" + queue->name + "' ('" + queue->type.typedef_name +
          "': the API has a call that waits for it) and hands back nothing but its status: it "
          "queues work, so the "
          "call is asynchronous";
  else
    why = "a call on '" + object->name + "', whose '" + object->type.typedef_name +
          "' is bound to a device runtime's stream (" + binder +
          "), that hands back nothing but its status: the work is queued on that stream, so the "
          "call is asynchronous";
  spec::AnnotationPatch patch;
  patch.sync = spec::Sync{spec::Sync::Mode::Async, ""};
  f.evidence.push_back(
      header_evidence(std::move(patch), queue_waits ? 0.5 : 0.4,
                      why + "; its status is then reported by the next synchronous call "
                            "(REMORA_STRICT=1 keeps it per call)",
                      c.location(c.parsed.line)));
}

}  // namespace remora::inference
