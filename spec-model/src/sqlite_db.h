// Internal RAII wrappers over the sqlite3 C API: a connection, a prepared
// statement and an IMMEDIATE transaction that rolls back unless committed.
// Every failure throws std::runtime_error naming the database file.
#pragma once

#include <sqlite3.h>

#include <string>

namespace remora::spec::sqlite {

class Database {
 public:
  // flags: SQLITE_OPEN_* (READWRITE | CREATE by default).
  Database(const std::string& path, int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }
  const std::string& path() const { return path_; }
  // Runs one or more statements without results.
  void exec(const std::string& sql);
  long long last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int pragma_int(const char* name);
  [[noreturn]] void fail(const std::string& what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

class Statement {
 public:
  Statement(const Database& db, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQL.
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, long long value);
  Statement& bind(int index, double value);
  Statement& bind_null(int index);
  // true while rows come; false when done. Throws on error.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  std::string text(int column) const;
  long long integer(int column) const;
  double real(int column) const;
  bool is_null(int column) const;

 private:
  const Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE takes the write lock up front, so a save never fails half
// way for lack of it; the destructor rolls back anything not committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

}  // namespace remora::spec::sqlite
