// Writes decoded interposer records into the trace database (see trace_db.h).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../runtime/remora_trace_wire.h"
#include "remora/spec/model.h"

namespace remora::trace {

class TraceDbWriter {
 public:
  TraceDbWriter() = default;
  ~TraceDbWriter();
  TraceDbWriter(const TraceDbWriter&) = delete;
  TraceDbWriter& operator=(const TraceDbWriter&) = delete;

  // Replaces any file at `path`. Returns false with `error` set on failure.
  bool open(const std::string& path, std::string& error);
  void write_functions(const spec::Spec& spec, const std::vector<std::string>& functions);
  void set_meta(const std::string& key, const std::string& value);

  // One record from the socket. Returns false if it was malformed (and ignored).
  bool handle_record(const unsigned char* data, std::size_t len);

  void commit();  // makes everything so far durable, starts a new transaction
  void finish();  // writes calls that never returned, commits, closes

  long long calls() const { return calls_; }
  long long incomplete() const;
  long long processes() const { return processes_; }
  long long callbacks() const { return callbacks_; }

 private:
  struct Pending {
    std::int64_t call_id;
    remora_wire::MsgHeader header;
    std::vector<std::pair<std::uint8_t, std::uint64_t>> args;
  };
  bool on_hello(const unsigned char* data, std::size_t len);
  bool on_begin(const unsigned char* data, std::size_t len);
  bool on_end(const unsigned char* data, std::size_t len);
  bool on_callback(const unsigned char* data, std::size_t len);
  void exec(const char* sql);
  sqlite3_stmt* prepare(const char* sql);
  void insert_call(const Pending& p, bool complete, std::uint64_t duration, std::uint8_t ret_cls,
                   std::uint64_t ret_bits);
  void bind_arg_head(sqlite3_stmt* s, std::int64_t call_id, int idx, std::uint8_t cls, std::uint64_t bits);
  void handle_in(std::int64_t call_id, int arg, int elem, std::uint64_t value, bool only_if_known);
  void handle_out(std::int64_t call_id, int arg, int elem, std::uint64_t value);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_call_ = nullptr;
  sqlite3_stmt* insert_arg_ = nullptr;
  sqlite3_stmt* insert_scalar_ = nullptr;
  sqlite3_stmt* insert_handle_ = nullptr;
  sqlite3_stmt* insert_flow_ = nullptr;
  sqlite3_stmt* insert_callback_ = nullptr;
  sqlite3_stmt* insert_process_ = nullptr;
  std::map<std::pair<std::uint32_t, std::uint64_t>, Pending> pending_;  // (pid, seq) -> call
  std::unordered_map<std::uint64_t, std::pair<std::int64_t, int>> producers_;  // handle -> (call, arg)
  std::vector<std::uint8_t> function_nparams_;
  long long calls_ = 0, processes_ = 0, callbacks_ = 0;
};

}  // namespace remora::trace
