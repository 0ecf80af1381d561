// Calls that put work in a device queue without a queue-work name (queued_work.cpp):
// `cuEventRecord(event, stream)`, `vkQueueSubmit(queue, ...)`, `curandGenerate(generator,
// ...)` on a generator bound to a stream. Asynchronous, like an enqueue.
#pragma once

#include <set>
#include <string>

#include "rules_internal.h"

namespace remora::inference {

// Handle types the host can wait on as a queue of work: a stream or queue (by its type's or
// a parameter's name) that a finish/synchronize/wait call takes as its only handle
// (`clFinish(cl_command_queue)`, `cuStreamSynchronize(CUstream)`, `vkQueueWaitIdle(VkQueue)`).
std::set<std::string> find_work_queue_types(const ParsedHeader& header);

// `cuStreamWaitEvent(stream, event)`: the queue is the one that waits (for another object
// named after the verb), not the host: no barrier.
bool queue_waits_for_object(const FunctionContext& context);

// Claims `async` for a call that queues work on a work queue or a stream-bound object and
// hands nothing back but its status.
void add_queued_work_evidence(const FunctionContext& context, spec::Function& function);

}  // namespace remora::inference
