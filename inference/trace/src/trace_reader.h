// Loads a remora trace database (see trace-collector/include/remora/trace/trace_db.h)
// into memory in the shape the evidence rules need.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace remora::inference::trace_data {

struct Arg {
  std::string cls;  // signed|unsigned|float|pointer|handle|function|struct
  bool is_null = false;
  std::int64_t value = 0;  // integer bits (pointers and handles as addresses)
  bool readable = false;
  std::int64_t written_count = 0, written_first = 0, written_end = 0, zero_tail = 0;
  // The call itself wrote through this pointer, as far as the trace can tell: bytes
  // changed from the first element on (or anywhere in an exact heap allocation), and
  // the value was not handed to a callback (program code may have written it).
  bool written_by_call = false;
  std::optional<std::int64_t> deref_before, deref_after, strlen_before;
  std::string pointee;
  std::int64_t elem_size = 1;
  std::optional<std::int64_t> extent;
  bool extent_exact = false;
  bool is_const = false;
  bool head_all_zero = true;  // the first pointee element (or first 8 bytes) was all zero before the call
  // The first 8 pointed-to bytes as a little-endian word, before and after the call
  // (rebuilt from the bytes seen before and those the call changed): the address a
  // `void **` out-parameter received, which the collector keeps no integer for.
  std::optional<std::int64_t> word_before, word_after;
};

struct Call {
  std::int64_t id = 0;
  bool complete = false;
  std::optional<std::int64_t> ret;
  std::string ret_class;  // signed|unsigned|pointer|handle|...
  std::vector<Arg> args;  // by parameter index
};

struct Function {
  std::string name;
  std::vector<std::string> params;  // names, by index
  std::vector<Call> calls;
};

struct HandleEvent {
  std::int64_t call_id;
  int arg;  // -1: return value
  bool out;
  std::int64_t value;
};

struct Callback {
  int function_id;
  int param;
  std::optional<std::int64_t> during_call;
  std::vector<std::int64_t> args;
};

struct Trace {
  std::map<int, Function> functions;          // by function id
  std::map<std::int64_t, int> call_function;  // call id -> function id
  std::vector<HandleEvent> handles;           // in call order, inputs before outputs
  std::vector<Callback> callbacks;
};

// Returns false with `error` set when the file is not a readable trace database.
bool load_trace(const std::string& path, Trace& trace, std::string& error);

}  // namespace remora::inference::trace_data
