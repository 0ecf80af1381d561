// Per function call counts; per parameter NULLs, directions observed (written or
// only passed in), written extents, handle flows and callback invocations.
#include "remora/trace/trace_summary.h"

#include <sqlite3.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "remora/trace/trace_db.h"

namespace remora::trace {
namespace {

class Db {
 public:
  explicit Db(sqlite3* db) : db_(db) {}
  // Runs a query; each row as strings (NULL -> "").
  std::vector<std::vector<std::string>> rows(const std::string& sql, long long bind = -1) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) return out;
    if (bind >= 0) sqlite3_bind_int64(s, 1, bind);
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const unsigned char* t = sqlite3_column_text(s, c);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_;
};

std::string fmt(const char* f, auto... a) {
  char buf[512];
  std::snprintf(buf, sizeof buf, f, a...);
  return buf;
}

}  // namespace

bool summarize_trace(const std::string& db_path, std::string& out, std::string& error) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open " + db_path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory");
    sqlite3_close(raw);
    return false;
  }
  Db db(raw);
  std::map<std::string, std::string> meta;
  for (auto& r : db.rows("SELECT key, value FROM meta")) meta[r[0]] = r[1];
  if (meta["format"] != kTraceFormat) {
    error = db_path + " is not a remora trace database (no '" + std::string(kTraceFormat) +
            "' format marker); record one with 'remora trace'";
    sqlite3_close(raw);
    return false;
  }
  auto totals = db.rows(
      "SELECT COUNT(*), COUNT(DISTINCT pid), COUNT(DISTINCT pid || ':' || tid), SUM(complete = 0) FROM calls");
  out += "trace of: " + meta["argv"] + "\n";
  out += "api: " + meta["api"] + "; " + totals[0][0] + " calls in " + totals[0][1] + " process(es), " + totals[0][2] +
         " thread(s); " + (totals[0][3].empty() ? "0" : totals[0][3]) + " never returned\n";
  out += "program exit code: " + meta["exit_code"];
  if (!meta["signal"].empty() && meta["signal"] != "0") out += " (killed by signal " + meta["signal"] + " " + meta["signal_name"] + ")";
  out += "\n\n";

  auto functions = db.rows(
      "SELECT f.id, f.name, COUNT(c.id), SUM(c.complete = 0), COALESCE(SUM(c.duration_ns), 0) FROM functions f "
      "JOIN calls c ON c.function_id = f.id GROUP BY f.id ORDER BY COUNT(c.id) DESC, f.name");
  out += fmt("%-36s %8s %10s %12s\n", "function", "calls", "unreturned", "total ms");
  for (auto& f : functions)
    out += fmt("%-36s %8s %10s %12.3f\n", f[1].c_str(), f[2].c_str(), f[3].empty() ? "0" : f[3].c_str(),
               std::stod(f[4]) / 1e6);
  out += "\n";

  for (auto& f : functions) {
    long long fid = std::stoll(f[0]);
    out += f[1] + " (" + f[2] + " calls)\n";
    auto params = db.rows("SELECT idx, name, type FROM params WHERE function_id = ? ORDER BY idx", fid);
    for (auto& p : params) {
      std::string where = "FROM args a JOIN calls c ON c.id = a.call_id WHERE c.function_id = ?1 AND a.idx = " + p[0];
      auto s = db.rows(
          "SELECT COUNT(*), MIN(a.class), MAX(a.class), SUM(a.is_null), SUM(a.readable), "
          "SUM(a.written_count > 0), MIN(CASE WHEN a.written_count > 0 THEN a.written_end END), "
          "MAX(CASE WHEN a.written_count > 0 THEN a.written_end END), COUNT(DISTINCT a.value), MIN(a.value), "
          "MAX(a.value), MIN(a.region), MAX(a.region), SUM(a.strlen_before IS NOT NULL AND a.pointee = 'char') " +
              where,
          fid)[0];
      std::string line = "  " + p[1] + " (" + p[2] + "): ";
      std::string cls = s[1] == s[2] ? s[1] : s[1] + "/" + s[2];
      long long n = std::stoll(s[0]);
      if (cls == "signed" || cls == "unsigned" || cls == "float" || cls == "struct") {
        line += "scalar, " + s[8] + " distinct value(s)";
        if (s[8] != "1") line += " in " + s[9] + ".." + s[10];
        else line += " = " + s[9];
        // Scalars that bound what a pointer argument of the same call got written.
        out += line + "\n";
        continue;
      }
      long long nulls = s[3].empty() ? 0 : std::stoll(s[3]);
      line += cls + ", NULL in " + std::to_string(nulls) + "/" + std::to_string(n);
      if (cls == "handle") {
        auto flows = db.rows(
            "SELECT pf.name, CASE WHEN fl.from_arg < 0 THEN 'return' ELSE pp.name END, COUNT(*) FROM flows fl "
            "JOIN calls tc ON tc.id = fl.to_call JOIN calls pc ON pc.id = fl.from_call "
            "JOIN functions pf ON pf.id = pc.function_id "
            "LEFT JOIN params pp ON pp.function_id = pc.function_id AND pp.idx = fl.from_arg "
            "WHERE tc.function_id = ?1 AND fl.to_arg = " + p[0] + " GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 4",
            fid);
        if (!flows.empty()) {
          line += "; values from";
          for (auto& fl : flows) line += " " + fl[0] + "." + fl[1] + " (" + fl[2] + ")";
        }
      } else if (cls == "function") {
        auto inv = db.rows("SELECT COUNT(*), COUNT(DISTINCT fn_ptr) FROM callbacks WHERE function_id = ?1 AND "
                           "param_idx = " + p[0], fid)[0];
        line += "; callback invoked " + inv[0] + " time(s)";
      } else if (cls == "pointer") {
        long long readable = s[4].empty() ? 0 : std::stoll(s[4]);
        long long written = s[5].empty() ? 0 : std::stoll(s[5]);
        line += "; written in " + std::to_string(written) + "/" + std::to_string(readable) + " readable";
        if (written) {
          line += " (extent " + s[6] + ".." + s[7] + " bytes)";
          // Scalars of the same call that the written extent matched (in bytes, or in
          // elements of the pointee), allowing for trailing bytes that were already zero.
          auto rel = db.rows(
              "SELECT q.idx, SUM(a.written_end <= q.value * m.k AND q.value * m.k - a.written_end <= a.zero_tail), "
              "COUNT(*), m.k FROM args a JOIN calls c ON c.id = a.call_id JOIN args q ON q.call_id = a.call_id "
              "JOIN (SELECT 1 AS k UNION SELECT DISTINCT elem_size FROM args a2 JOIN calls c2 ON c2.id = a2.call_id "
              "WHERE c2.function_id = ?1 AND a2.idx = " + p[0] + " AND elem_size > 1) m "
              "WHERE c.function_id = ?1 AND a.idx = " + p[0] + " AND a.written_count > 0 "
              "AND q.class IN ('signed', 'unsigned') GROUP BY q.idx, m.k HAVING SUM(a.written_end <= q.value * m.k "
              "AND q.value * m.k - a.written_end <= a.zero_tail) > 0 ORDER BY 2 DESC LIMIT 3",
              fid);
          for (auto& r : rel) {
            std::string qname = r[0];
            for (auto& pp : params)
              if (pp[0] == r[0]) qname = pp[1];
            line += "; extent == " + qname + (r[3] == "1" ? "" : " elements") + " in " + r[1] + "/" + r[2];
          }
        }
        else if (readable) line += " (only passed in)";
        if (!s[13].empty() && s[13] != "0") line += "; string in " + s[13] + " call(s)";
        line += "; region " + (s[11] == s[12] ? s[11] : s[11] + ".." + s[12]);
      }
      auto outs = db.rows("SELECT COUNT(*) FROM handles h JOIN calls c ON c.id = h.call_id WHERE c.function_id = ?1 "
                          "AND h.arg_idx = " + p[0] + " AND h.role = 'out'", fid)[0];
      if (outs[0] != "0") line += "; produced " + outs[0] + " handle(s)";
      out += line + "\n";
    }
    auto ret = db.rows("SELECT COUNT(*) FROM handles h JOIN calls c ON c.id = h.call_id WHERE c.function_id = ?1 AND "
                       "h.arg_idx = -1 AND h.role = 'out'", fid)[0];
    auto uses = db.rows("SELECT COUNT(*), COUNT(DISTINCT tf.function_id) FROM flows fl JOIN calls pc ON pc.id = "
                        "fl.from_call JOIN calls tf ON tf.id = fl.to_call WHERE pc.function_id = ?1", fid)[0];
    if (ret[0] != "0") out += "  return: produced " + ret[0] + " handle(s)\n";
    if (uses[0] != "0") out += "  its handles were used " + uses[0] + " time(s) by " + uses[1] + " function(s)\n";
  }
  auto cbs = db.rows("SELECT COUNT(*) FROM callbacks")[0];
  out += "\ncallback invocations: " + cbs[0] + "\n";
  sqlite3_close(raw);
  return true;
}

}  // namespace remora::trace
