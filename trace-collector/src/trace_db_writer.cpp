#include "trace_db_writer.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "../runtime/remora_trace_wire.h"
#include "remora/trace/trace_db.h"

namespace remora::trace {
namespace {

const char* kSchema = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE functions(id INTEGER PRIMARY KEY, name TEXT NOT NULL, symbol TEXT, return_type TEXT, nparams INTEGER);
CREATE TABLE params(function_id INTEGER, idx INTEGER, name TEXT, type TEXT, PRIMARY KEY(function_id, idx));
CREATE TABLE processes(pid INTEGER PRIMARY KEY, ppid INTEGER, exe TEXT, start_ns INTEGER);
CREATE TABLE calls(id INTEGER PRIMARY KEY, pid INTEGER, seq INTEGER, tid INTEGER, function_id INTEGER,
  start_ns INTEGER, duration_ns INTEGER, ret_class TEXT, ret_value, complete INTEGER NOT NULL DEFAULT 0);
CREATE TABLE args(call_id INTEGER, idx INTEGER, class TEXT, value, is_null INTEGER,
  region TEXT, pointee TEXT, elem_size INTEGER, extent INTEGER, extent_exact INTEGER, window INTEGER,
  window_capped INTEGER, readable INTEGER, is_const INTEGER, written_count INTEGER, written_first INTEGER,
  written_end INTEGER, zero_tail INTEGER, deref_before INTEGER, deref_after INTEGER, strlen_before INTEGER,
  strlen_after INTEGER, head_before BLOB, written_after BLOB, str_before TEXT, str_after TEXT);
CREATE TABLE handles(call_id INTEGER, arg_idx INTEGER, elem INTEGER, role TEXT, value INTEGER);
CREATE TABLE flows(value INTEGER, from_call INTEGER, from_arg INTEGER, to_call INTEGER, to_arg INTEGER, to_elem INTEGER);
CREATE TABLE callbacks(id INTEGER PRIMARY KEY, pid INTEGER, tid INTEGER, time_ns INTEGER, function_id INTEGER,
  param_idx INTEGER, fn_ptr INTEGER, during_call INTEGER, args TEXT);
)SQL";

using namespace remora_wire;

}  // namespace

const char* value_class_name(int c) {
  switch (c) {
    case kSigned: return "signed";
    case kUnsigned: return "unsigned";
    case kFloat: return "float";
    case kPointer: return "pointer";
    case kHandle: return "handle";
    case kFunction: return "function";
    case kStruct: return "struct";
    default: return "void";
  }
}

const char* region_name(int r) {
  switch (r) {
    case kRegionHeap: return "heap";
    case kRegionStack: return "stack";
    case kRegionAnon: return "anon";
    case kRegionFile: return "file";
    case kRegionOther: return "other";
    default: return "unmapped";
  }
}

const char* pointee_name(int p) {
  switch (p) {
    case kPointeeChar: return "char";
    case kPointeeSigned: return "signed";
    case kPointeeUnsigned: return "unsigned";
    case kPointeeFloat: return "float";
    case kPointeeHandle: return "handle";
    case kPointeePointer: return "pointer";
    case kPointeeStruct: return "struct";
    case kPointeeFunction: return "function";
    default: return "void";
  }
}

TraceDbWriter::~TraceDbWriter() {
  if (db_) finish();
}

void TraceDbWriter::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "remora trace: database error: %s\n", err ? err : "?");
    sqlite3_free(err);
  }
}

sqlite3_stmt* TraceDbWriter::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK)
    std::fprintf(stderr, "remora trace: database error: %s\n", sqlite3_errmsg(db_));
  return s;
}

bool TraceDbWriter::open(const std::string& path, std::string& error) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
  // One thread writes this connection: no SQLite mutexes.
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    error = "cannot create the trace database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  // This process outlives the traced program, so a program crash cannot lose a
  // record it sent; commits need not wait for the disk (only an OS crash could
  // lose the last commits). WAL lets a reader look at the trace while it grows.
  exec("PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;");
  char* err = nullptr;
  std::string schema = std::string("BEGIN;") + kSchema + "COMMIT;";
  if (sqlite3_exec(db_, schema.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    error = "cannot create the trace database schema in " + path + ": " + (err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db_);
    db_ = nullptr;
    return false;
  }
  insert_call_ = prepare("INSERT INTO calls VALUES(?,?,?,?,?,?,?,?,?,?)");
  insert_arg_ = prepare(
      "INSERT INTO args VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert_scalar_ = prepare("INSERT INTO args(call_id, idx, class, value, is_null) VALUES(?,?,?,?,?)");
  insert_handle_ = prepare("INSERT INTO handles VALUES(?,?,?,?,?)");
  insert_flow_ = prepare("INSERT INTO flows VALUES(?,?,?,?,?,?)");
  insert_callback_ = prepare(
      "INSERT INTO callbacks(pid, tid, time_ns, function_id, param_idx, fn_ptr, during_call, args) "
      "VALUES(?,?,?,?,?,?,?,?)");
  insert_process_ = prepare("INSERT OR REPLACE INTO processes VALUES(?,?,?,?)");
  set_meta("format", kTraceFormat);
  exec("BEGIN");
  return true;
}

void TraceDbWriter::set_meta(const std::string& key, const std::string& value) {
  sqlite3_stmt* s = prepare("INSERT OR REPLACE INTO meta VALUES(?,?)");
  sqlite3_bind_text(s, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, value.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_step(s);
  sqlite3_finalize(s);
}

void TraceDbWriter::write_functions(const spec::Spec& spec, const std::vector<std::string>& functions) {
  sqlite3_stmt* f = prepare("INSERT INTO functions VALUES(?,?,?,?,?)");
  sqlite3_stmt* p = prepare("INSERT INTO params VALUES(?,?,?,?)");
  function_nparams_.clear();
  for (std::size_t i = 0; i < functions.size(); ++i) {
    const spec::Function* fn = spec.find_function(functions[i]);
    function_nparams_.push_back(fn ? std::uint8_t(fn->params.size()) : 0);
    if (!fn) continue;
    sqlite3_bind_int64(f, 1, std::int64_t(i));
    sqlite3_bind_text(f, 2, fn->name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(f, 3, fn->exported_symbol().c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(f, 4, fn->ret.type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(f, 5, std::int64_t(fn->params.size()));
    sqlite3_step(f);
    sqlite3_reset(f);
    for (std::size_t k = 0; k < fn->params.size(); ++k) {
      sqlite3_bind_int64(p, 1, std::int64_t(i));
      sqlite3_bind_int64(p, 2, std::int64_t(k));
      sqlite3_bind_text(p, 3, fn->params[k].name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(p, 4, fn->params[k].type.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(p);
      sqlite3_reset(p);
    }
  }
  sqlite3_finalize(f);
  sqlite3_finalize(p);
}

bool TraceDbWriter::handle_record(const unsigned char* data, std::size_t len) {
  if (!db_ || len < sizeof(MsgHeader)) return false;
  switch (data[0]) {
    case kHello: return on_hello(data, len);
    case kBegin: return on_begin(data, len);
    case kEnd: return on_end(data, len);
    case kCallback: return on_callback(data, len);
    default: return false;
  }
}

bool TraceDbWriter::on_hello(const unsigned char* data, std::size_t len) {
  Reader r(data, len);
  auto h = r.get<MsgHeader>();
  auto version = r.get<std::uint32_t>();
  auto ppid = r.get<std::uint32_t>();
  std::uint32_t n = 0;
  const unsigned char* exe = r.blob(n);
  if (r.failed() || version != kVersion) return false;
  sqlite3_bind_int64(insert_process_, 1, h.pid);
  sqlite3_bind_int64(insert_process_, 2, ppid);
  sqlite3_bind_text(insert_process_, 3, reinterpret_cast<const char*>(exe), int(n), SQLITE_TRANSIENT);
  sqlite3_bind_int64(insert_process_, 4, std::int64_t(h.time_ns));
  sqlite3_step(insert_process_);
  sqlite3_reset(insert_process_);
  ++processes_;
  return true;
}

void TraceDbWriter::handle_in(std::int64_t call_id, int arg, int elem, std::uint64_t value, bool only_if_known) {
  if (value == 0) return;
  auto it = producers_.find(value);
  if (only_if_known && it == producers_.end()) return;
  sqlite3_bind_int64(insert_handle_, 1, call_id);
  sqlite3_bind_int(insert_handle_, 2, arg);
  sqlite3_bind_int(insert_handle_, 3, elem);
  sqlite3_bind_text(insert_handle_, 4, "in", -1, SQLITE_STATIC);
  sqlite3_bind_int64(insert_handle_, 5, std::int64_t(value));
  sqlite3_step(insert_handle_);
  sqlite3_reset(insert_handle_);
  if (it == producers_.end()) return;
  sqlite3_bind_int64(insert_flow_, 1, std::int64_t(value));
  sqlite3_bind_int64(insert_flow_, 2, it->second.first);
  sqlite3_bind_int(insert_flow_, 3, it->second.second);
  sqlite3_bind_int64(insert_flow_, 4, call_id);
  sqlite3_bind_int(insert_flow_, 5, arg);
  sqlite3_bind_int(insert_flow_, 6, elem);
  sqlite3_step(insert_flow_);
  sqlite3_reset(insert_flow_);
}

void TraceDbWriter::handle_out(std::int64_t call_id, int arg, int elem, std::uint64_t value) {
  if (value == 0) return;
  sqlite3_bind_int64(insert_handle_, 1, call_id);
  sqlite3_bind_int(insert_handle_, 2, arg);
  sqlite3_bind_int(insert_handle_, 3, elem);
  sqlite3_bind_text(insert_handle_, 4, "out", -1, SQLITE_STATIC);
  sqlite3_bind_int64(insert_handle_, 5, std::int64_t(value));
  sqlite3_step(insert_handle_);
  sqlite3_reset(insert_handle_);
  producers_[value] = {call_id, arg};
}

bool TraceDbWriter::on_begin(const unsigned char* data, std::size_t len) {
  Reader r(data, len);
  auto h = r.get<MsgHeader>();
  auto nargs = r.get<std::uint32_t>();
  if (r.failed() || nargs > 64) return false;
  Pending pending;
  for (std::uint32_t i = 0; i < nargs; ++i) {
    auto cls = r.get<std::uint8_t>();
    auto bits = r.get<std::uint64_t>();
    pending.args.emplace_back(cls, bits);
  }
  if (r.failed()) return false;
  pending.call_id = ++calls_;
  pending.header = h;
  for (std::uint32_t i = 0; i < nargs; ++i) {
    if (pending.args[i].first == kHandle) handle_in(pending.call_id, int(i), 0, pending.args[i].second, false);
    // A data pointer some earlier call returned (mapped or API-allocated memory)
    // flows like a handle.
    if (pending.args[i].first == kPointer) handle_in(pending.call_id, int(i), 0, pending.args[i].second, true);
  }
  pending_[{h.pid, h.seq}] = std::move(pending);
  return true;
}

// The call row is written once, when the call returns (or, for a call that never
// returned, when recording finishes).
void TraceDbWriter::insert_call(const Pending& p, bool complete, std::uint64_t duration, std::uint8_t ret_cls,
                                std::uint64_t ret_bits) {
  sqlite3_stmt* s = insert_call_;
  sqlite3_clear_bindings(s);
  sqlite3_bind_int64(s, 1, p.call_id);
  sqlite3_bind_int64(s, 2, p.header.pid);
  sqlite3_bind_int64(s, 3, std::int64_t(p.header.seq));
  sqlite3_bind_int64(s, 4, p.header.tid);
  sqlite3_bind_int64(s, 5, p.header.function);
  sqlite3_bind_int64(s, 6, std::int64_t(p.header.time_ns));
  if (complete) {
    sqlite3_bind_int64(s, 7, std::int64_t(duration));
    sqlite3_bind_text(s, 8, value_class_name(ret_cls), -1, SQLITE_STATIC);
    if (ret_cls == kFloat) {
      double d;
      std::memcpy(&d, &ret_bits, sizeof d);
      sqlite3_bind_double(s, 9, d);
    } else if (ret_cls != kVoid) {
      sqlite3_bind_int64(s, 9, std::int64_t(ret_bits));
    }
  }
  sqlite3_bind_int(s, 10, complete ? 1 : 0);
  sqlite3_step(s);
  sqlite3_reset(s);
}

void TraceDbWriter::bind_arg_head(sqlite3_stmt* s, std::int64_t call_id, int idx, std::uint8_t cls,
                                  std::uint64_t bits) {
  sqlite3_clear_bindings(s);
  sqlite3_bind_int64(s, 1, call_id);
  sqlite3_bind_int(s, 2, idx);
  sqlite3_bind_text(s, 3, value_class_name(cls), -1, SQLITE_STATIC);
  if (cls == kFloat) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    sqlite3_bind_double(s, 4, d);
  } else {
    sqlite3_bind_int64(s, 4, std::int64_t(bits));
  }
  if (cls == kPointer || cls == kHandle || cls == kFunction) sqlite3_bind_int(s, 5, bits == 0);
}

bool TraceDbWriter::on_end(const unsigned char* data, std::size_t len) {
  Reader r(data, len);
  auto h = r.get<MsgHeader>();
  auto duration = r.get<std::uint64_t>();
  auto ret_cls = r.get<std::uint8_t>();
  auto ret_bits = r.get<std::uint64_t>();
  auto nargs = r.get<std::uint32_t>();
  if (r.failed() || nargs > 64) return false;
  auto it = pending_.find({h.pid, h.seq});
  if (it == pending_.end()) return false;
  std::int64_t call_id = it->second.call_id;
  insert_call(it->second, true, duration, ret_cls, ret_bits);
  pending_.erase(it);

  struct OutElem {
    int arg;
    int elem;
    std::uint64_t value;
  };
  std::vector<OutElem> out_elems;
  for (std::uint32_t i = 0; i < nargs && !r.failed(); ++i) {
    auto cls = r.get<std::uint8_t>();
    auto bits = r.get<std::uint64_t>();
    auto has_info = r.get<std::uint8_t>();
    // Scalars use a narrow statement: most arguments are scalars.
    sqlite3_stmt* arg_stmt = has_info ? insert_arg_ : insert_scalar_;
    bind_arg_head(arg_stmt, call_id, int(i), cls, bits);
    if (has_info) {
      auto flags = r.get<std::uint8_t>();
      auto region = r.get<std::uint8_t>();
      auto pointee = r.get<std::uint8_t>();
      auto elem_size = r.get<std::uint32_t>();
      auto extent = r.get<std::uint64_t>();
      auto window = r.get<std::uint32_t>();
      auto count = r.get<std::uint32_t>();
      auto first = r.get<std::uint32_t>();
      auto end = r.get<std::uint32_t>();
      auto zero_tail = r.get<std::uint32_t>();
      auto deref_before = r.get<std::int64_t>();
      auto deref_after = r.get<std::int64_t>();
      auto strlen_before = r.get<std::int64_t>();
      auto strlen_after = r.get<std::int64_t>();
      std::uint32_t head_n, written_n, sb_n, sa_n;
      const unsigned char* head = r.blob(head_n);
      const unsigned char* written = r.blob(written_n);
      const unsigned char* sb = r.blob(sb_n);
      const unsigned char* sa = r.blob(sa_n);
      auto n_before = r.get<std::uint32_t>();
      if (r.failed() || n_before > kMaxElements) return false;
      for (std::uint32_t k = 0; k < n_before; ++k) {
        auto v = r.get<std::uint64_t>();
        // Array inputs: only values some earlier call produced count as handles.
        if (pointee == kPointeeHandle) handle_in(call_id, int(i), int(k), v, true);
      }
      auto n_after = r.get<std::uint32_t>();
      if (r.failed() || n_after > kMaxElements) return false;
      for (std::uint32_t k = 0; k < n_after; ++k) {
        auto idx = r.get<std::uint32_t>();
        auto v = r.get<std::uint64_t>();
        if (pointee == kPointeeHandle) out_elems.push_back({int(i), int(idx), v});
      }
      if (r.failed()) return false;
      bool readable = flags & kReadable;
      sqlite3_stmt* s = insert_arg_;
      if (bits != 0) sqlite3_bind_text(s, 6, region_name(region), -1, SQLITE_STATIC);
      sqlite3_bind_text(s, 7, pointee_name(pointee), -1, SQLITE_STATIC);
      sqlite3_bind_int64(s, 8, elem_size);
      if (bits != 0 && region != kRegionUnmapped) {
        sqlite3_bind_int64(s, 9, std::int64_t(extent));
        sqlite3_bind_int(s, 10, (flags & kExtentExact) != 0);
        sqlite3_bind_int64(s, 11, window);
        sqlite3_bind_int(s, 12, (flags & kWindowCapped) != 0);
      }
      sqlite3_bind_int(s, 13, readable);
      sqlite3_bind_int(s, 14, (flags & kConstPointee) != 0);
      if (readable) {
        sqlite3_bind_int64(s, 15, count);
        sqlite3_bind_int64(s, 16, first);
        sqlite3_bind_int64(s, 17, end);
        sqlite3_bind_int64(s, 18, zero_tail);
        if (flags & kHasDeref) {
          sqlite3_bind_int64(s, 19, deref_before);
          sqlite3_bind_int64(s, 20, deref_after);
        }
        if (strlen_before >= 0) sqlite3_bind_int64(s, 21, strlen_before);
        if (strlen_after >= 0) sqlite3_bind_int64(s, 22, strlen_after);
        sqlite3_bind_blob(s, 23, head, int(head_n), SQLITE_TRANSIENT);
        if (written_n) sqlite3_bind_blob(s, 24, written, int(written_n), SQLITE_TRANSIENT);
        if (flags & kHasStrBefore)
          sqlite3_bind_text(s, 25, reinterpret_cast<const char*>(sb), int(sb_n), SQLITE_TRANSIENT);
        if (flags & kHasStrAfter)
          sqlite3_bind_text(s, 26, reinterpret_cast<const char*>(sa), int(sa_n), SQLITE_TRANSIENT);
      }
    }
    sqlite3_step(arg_stmt);
    sqlite3_reset(arg_stmt);
  }
  if (r.failed()) return false;
  for (const auto& o : out_elems) handle_out(call_id, o.arg, o.elem, o.value);
  if (ret_cls == kHandle || ret_cls == kPointer) handle_out(call_id, -1, 0, ret_bits);
  return true;
}

bool TraceDbWriter::on_callback(const unsigned char* data, std::size_t len) {
  Reader r(data, len);
  auto h = r.get<MsgHeader>();
  auto param = r.get<std::uint32_t>();
  auto fn = r.get<std::uint64_t>();
  auto outer_seq = r.get<std::uint64_t>();
  auto nargs = r.get<std::uint32_t>();
  if (r.failed() || nargs > 8) return false;
  std::string args;
  for (std::uint32_t i = 0; i < nargs; ++i) {
    auto cls = r.get<std::uint8_t>();
    auto bits = r.get<std::uint64_t>();
    if (!args.empty()) args += ",";
    args += cls == kSigned ? std::to_string(std::int64_t(bits)) : std::to_string(bits);
  }
  if (r.failed()) return false;
  sqlite3_bind_int64(insert_callback_, 1, h.pid);
  sqlite3_bind_int64(insert_callback_, 2, h.tid);
  sqlite3_bind_int64(insert_callback_, 3, std::int64_t(h.time_ns));
  sqlite3_bind_int64(insert_callback_, 4, h.function);
  sqlite3_bind_int64(insert_callback_, 5, param);
  sqlite3_bind_int64(insert_callback_, 6, std::int64_t(fn));
  auto during = outer_seq ? pending_.find({h.pid, outer_seq}) : pending_.end();
  if (during != pending_.end()) sqlite3_bind_int64(insert_callback_, 7, during->second.call_id);
  else sqlite3_bind_null(insert_callback_, 7);
  sqlite3_bind_text(insert_callback_, 8, args.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_step(insert_callback_);
  sqlite3_reset(insert_callback_);
  ++callbacks_;
  return true;
}

void TraceDbWriter::commit() {
  if (!db_) return;
  exec("COMMIT");
  exec("BEGIN");
}

long long TraceDbWriter::incomplete() const { return static_cast<long long>(pending_.size()); }

void TraceDbWriter::finish() {
  if (!db_) return;
  // Calls that never returned keep the arguments they were entered with.
  for (const auto& [key, p] : pending_) {
    insert_call(p, false, 0, remora_wire::kVoid, 0);
    for (std::size_t i = 0; i < p.args.size(); ++i) {
      bind_arg_head(insert_scalar_, p.call_id, int(i), p.args[i].first, p.args[i].second);
      sqlite3_step(insert_scalar_);
      sqlite3_reset(insert_scalar_);
    }
  }
  // Indexes for readers, built once instead of maintained per insert.
  exec("CREATE INDEX calls_by_function ON calls(function_id); CREATE INDEX handles_by_value ON handles(value); "
       "CREATE UNIQUE INDEX args_by_call ON args(call_id, idx)");
  exec("COMMIT");
  for (sqlite3_stmt* s : {insert_call_, insert_arg_, insert_scalar_, insert_handle_, insert_flow_, insert_callback_,
                          insert_process_})
    sqlite3_finalize(s);
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db_);
  db_ = nullptr;
}

}  // namespace remora::trace
