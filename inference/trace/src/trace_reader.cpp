#include "trace_reader.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <set>

namespace remora::inference::trace_data {
namespace {

struct Statement {
  sqlite3_stmt* s = nullptr;
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &s, nullptr); }
  ~Statement() { sqlite3_finalize(s); }
  bool ok() const { return s != nullptr; }
  bool step() { return s && sqlite3_step(s) == SQLITE_ROW; }
  bool null(int c) const { return sqlite3_column_type(s, c) == SQLITE_NULL; }
  std::int64_t i(int c) const { return sqlite3_column_int64(s, c); }
  std::optional<std::int64_t> opt(int c) const { return null(c) ? std::nullopt : std::optional(i(c)); }
  std::string text(int c) const {
    const unsigned char* t = sqlite3_column_text(s, c);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
};

}  // namespace

bool load_trace(const std::string& path, Trace& trace, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open the trace database: " + std::string(db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return false;
  }
  struct Closer {
    sqlite3* db;
    ~Closer() { sqlite3_close(db); }
  } closer{db};
  {
    Statement s(db, "SELECT value FROM meta WHERE key = 'format'");
    if (!s.ok() || !s.step() || s.text(0) != "remora-trace/1") {
      error = "not a remora trace database (record one with 'remora trace')";
      return false;
    }
  }
  {
    Statement s(db, "SELECT id, name FROM functions");
    while (s.step()) trace.functions[int(s.i(0))].name = s.text(1);
  }
  {
    Statement s(db, "SELECT function_id, idx, name FROM params ORDER BY function_id, idx");
    while (s.step()) {
      auto it = trace.functions.find(int(s.i(0)));
      if (it == trace.functions.end()) continue;
      auto& names = it->second.params;
      std::size_t idx = std::size_t(s.i(1));
      if (names.size() <= idx) names.resize(idx + 1);
      names[idx] = s.text(2);
    }
  }
  {
    Statement s(db, "SELECT id, function_id, complete, ret_value, ret_class FROM calls ORDER BY id");
    while (s.step()) {
      auto it = trace.functions.find(int(s.i(1)));
      if (it == trace.functions.end()) continue;
      Call c;
      c.id = s.i(0);
      c.complete = s.i(2) != 0;
      std::string rc = s.text(4);
      c.ret_class = rc;
      if (rc == "signed" || rc == "unsigned" || rc == "handle" || rc == "pointer") c.ret = s.opt(3);
      c.args.resize(it->second.params.size());
      trace.call_function[c.id] = it->first;
      it->second.calls.push_back(std::move(c));
    }
  }
  {
    // Calls are in id order per function; index them for the args pass.
    std::map<std::int64_t, Call*> by_id;
    for (auto& [id, f] : trace.functions)
      for (auto& c : f.calls) by_id[c.id] = &c;
    Statement s(db,
                "SELECT call_id, idx, class, value, is_null, readable, written_count, written_end, zero_tail, "
                "deref_before, deref_after, strlen_before, pointee, elem_size, extent, extent_exact, is_const, head_before, "
                "written_first, written_after "
                "FROM args");
    while (s.step()) {
      auto it = by_id.find(s.i(0));
      std::size_t idx = std::size_t(s.i(1));
      if (it == by_id.end() || idx >= it->second->args.size()) continue;
      Arg& a = it->second->args[idx];
      a.cls = s.text(2);
      a.value = s.i(3);
      a.is_null = s.i(4) != 0;
      a.readable = s.i(5) != 0;
      a.written_count = s.i(6);
      a.written_end = s.i(7);
      a.zero_tail = s.i(8);
      a.deref_before = s.opt(9);
      a.deref_after = s.opt(10);
      a.strlen_before = s.opt(11);
      a.pointee = s.text(12);
      a.elem_size = s.null(13) ? 1 : s.i(13);
      a.extent = s.opt(14);
      a.extent_exact = s.i(15) != 0;
      a.is_const = s.i(16) != 0;
      const auto* head = static_cast<const unsigned char*>(sqlite3_column_blob(s.s, 17));
      int head_len = sqlite3_column_bytes(s.s, 17);
      int first = int(std::min<std::int64_t>(head_len, a.elem_size > 1 ? a.elem_size : 8));
      for (int b = 0; b < first && head; ++b)
        if (head[b] != 0) a.head_all_zero = false;
      a.written_first = s.i(18);
      if (head && head_len >= 8) {
        unsigned char word[8];
        std::memcpy(word, head, 8);
        auto as_int = [&] {
          std::uint64_t v = 0;
          for (int b = 7; b >= 0; --b) v = (v << 8) | word[b];
          return static_cast<std::int64_t>(v);
        };
        a.word_before = as_int();
        const auto* after = static_cast<const unsigned char*>(sqlite3_column_blob(s.s, 19));
        int after_len = sqlite3_column_bytes(s.s, 19);
        for (int b = 0; after && b < after_len; ++b)
          if (a.written_first + b < 8) word[a.written_first + b] = after[b];
        a.word_after = as_int();
      }
      // A stack or mapping window runs past the object into its neighbours, which
      // other threads (or completing asynchronous work) may change meanwhile.
      a.written_by_call =
          a.written_count > 0 && (a.extent_exact || a.written_first < std::max<std::int64_t>(a.elem_size, 8));
    }
  }
  {
    Statement s(db, "SELECT call_id, arg_idx, role, value FROM handles ORDER BY call_id, role = 'out', rowid");
    while (s.step()) trace.handles.push_back({s.i(0), int(s.i(1)), s.text(2) == "out", s.i(3)});
  }
  {
    Statement s(db, "SELECT function_id, param_idx, during_call, args FROM callbacks ORDER BY id");
    while (s.step()) {
      Callback cb{int(s.i(0)), int(s.i(1)), s.opt(2), {}};
      std::string text = s.text(3);
      for (std::size_t pos = 0; pos < text.size();) {
        std::size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        cb.args.push_back(std::int64_t(std::strtoull(text.substr(pos, comma - pos).c_str(), nullptr, 10)));
        pos = comma + 1;
      }
      trace.callbacks.push_back(std::move(cb));
    }
  }
  std::set<std::int64_t> callback_values;
  for (const auto& cb : trace.callbacks) callback_values.insert(cb.args.begin(), cb.args.end());
  for (auto& [id, f] : trace.functions)
    for (auto& c : f.calls)
      for (auto& a : c.args)
        if (a.cls == "pointer" && !a.is_null && callback_values.count(a.value)) a.written_by_call = false;
  return true;
}

}  // namespace remora::inference::trace_data
