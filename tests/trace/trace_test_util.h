// Helpers shared by the trace tests: the header-only OpenCL spec, tracing a
// program into a fresh database, and small SQL queries on the result.
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "remora/spec/json_io.h"
#include "remora/trace/tracer.h"

namespace trace_test {

inline const remora::spec::Spec& header_only_spec() {
  static remora::spec::Spec spec = [] {
    auto load = remora::spec::load_spec_file(std::string(REMORA_SOURCE_DIR) +
                                             "/tests/data/trace/opencl-header-only.spec.json");
    REQUIRE(load.ok());
    return load.spec;
  }();
  return spec;
}

inline std::string cache_dir() { return std::string(REMORA_BINARY_DIR) + "/tests/trace/interposer-cache"; }

inline std::string fresh_db(const std::string& name) {
  auto dir = std::filesystem::path(REMORA_BINARY_DIR) / "tests/trace/dbs";
  std::filesystem::create_directories(dir);
  return (dir / (name + "-" + std::to_string(getpid()) + ".db")).string();
}

inline remora::trace::TraceResult trace(const std::vector<std::string>& argv, const std::string& db,
                                        const remora::spec::Spec& spec = header_only_spec()) {
  remora::trace::TraceOptions options;
  options.argv = argv;
  options.output = db;
  options.build.cache_dir = cache_dir();
  remora::spec::Diagnostics diagnostics;
  auto result = remora::trace::trace_program(spec, options, diagnostics);
  for (const auto& d : diagnostics)
    if (d.severity == remora::spec::Diagnostic::Severity::Error) FAIL(remora::spec::format_diagnostic(d));
  return result;
}

// Opens a trace read-only; every query returns the first column of its rows.
class Db {
 public:
  explicit Db(const std::string& path) { REQUIRE(sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK); }
  ~Db() { sqlite3_close(db_); }
  long long integer(const std::string& sql) {
    auto rows = column(sql);
    return rows.empty() || rows[0].empty() ? -1 : std::stoll(rows[0]);
  }
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(s);
    return out;
  }
  // Rows of `sql` as vectors of text.
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* s = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
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
  sqlite3* db_ = nullptr;
};

// SQL fragment: the calls of one function by name, as table alias `c`.
inline std::string calls_of(const std::string& fn) {
  return "(SELECT calls.* FROM calls JOIN functions ON functions.id = calls.function_id WHERE functions.name = '" + fn +
         "') c";
}

}  // namespace trace_test
