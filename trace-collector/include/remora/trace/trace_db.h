// The trace database (SQLite) written by `remora trace` and read by
// `remora trace-summary` and the trace evidence producer (inference/trace).
//
// Schema (remora-trace/1):
//   meta(key, value)                     format, api, program, argv, exit_code, signal, ...
//   functions(id, name, symbol, return_type, nparams)      id = interposer wrapper index
//   params(function_id, idx, name, type)
//   processes(pid, ppid, exe, start_ns)  every process that recorded (forks included)
//   calls(id, pid, seq, tid, function_id, start_ns, duration_ns, ret_class, ret_value, complete)
//        id = global order of entry; complete = 0: the call never returned (crash, exit in callback)
//   args(call_id, idx, class, value, is_null, region, pointee, elem_size, extent, extent_exact,
//        window, window_capped, readable, is_const, written_count, written_first, written_end,
//        zero_tail, deref_before, deref_after, strlen_before, strlen_after,
//        head_before, written_after, str_before, str_after)
//        (unique index on call_id, idx) class: signed|unsigned|float|pointer|handle|function|struct; pointer columns are NULL
//        for other classes. written_*: byte offsets from the pointer of what the call changed
//        (bytes rewritten with the same value are invisible); zero_tail: zero bytes right after
//        written_end. extent: bytes from the pointer to the end of its heap allocation
//        (extent_exact = 1) or of its mapping.
//   handles(call_id, arg_idx, elem, role, value)   role in|out; arg_idx -1 = return value.
//        Handles, plus data pointers returned by a call (out) and passed back later (in).
//   flows(value, from_call, from_arg, to_call, to_arg, to_elem)   handle value produced -> used
//   callbacks(id, pid, tid, time_ns, function_id, param_idx, fn_ptr, during_call, args)
//        a registered callback was invoked; during_call = the API call running on that thread
#pragma once

#include <string>

namespace remora::trace {

inline constexpr const char* kTraceFormat = "remora-trace/1";

// Class and enum spellings used in the database.
const char* value_class_name(int value_class);
const char* region_name(int region);
const char* pointee_name(int pointee);

}  // namespace remora::trace
