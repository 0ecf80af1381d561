#include "project_schema.h"

#include <fstream>
#include <stdexcept>
#include <vector>

#include "remora/spec/project_store.h"

namespace remora::spec {
namespace {

struct Migration {
  int to_version;
  const char* description;
  const char* sql;
};

// Append a step to change the schema; never edit a released one.
const Migration kMigrations[] = {
    {1, "initial schema", R"sql(
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE types(
        position INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        json TEXT NOT NULL);
      CREATE TABLE functions(
        id INTEGER PRIMARY KEY,
        position INTEGER NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        confidence REAL NOT NULL,
        json TEXT NOT NULL);
      CREATE TABLE params(
        id INTEGER PRIMARY KEY,
        function_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        annotation TEXT NOT NULL,
        status TEXT NOT NULL,
        confidence REAL NOT NULL,
        UNIQUE(function_id, position));
      CREATE TABLE evidence(
        id INTEGER PRIMARY KEY,
        function_id INTEGER NOT NULL REFERENCES functions(id) ON DELETE CASCADE,
        param_id INTEGER REFERENCES params(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        source TEXT NOT NULL,
        says TEXT NOT NULL,
        weight REAL NOT NULL,
        why TEXT NOT NULL,
        location TEXT NOT NULL);
      CREATE INDEX evidence_owner ON evidence(function_id, param_id, position);
      CREATE TABLE review_events(
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        timestamp TEXT NOT NULL,
        function TEXT NOT NULL,
        param TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        note TEXT NOT NULL);
      CREATE INDEX review_events_function ON review_events(function, id);
    )sql"},
};

static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == ProjectStore::kSchemaVersion,
              "one migration step per schema version");

std::vector<std::string> user_tables(sqlite::Database& db) {
  std::vector<std::string> names;
  sqlite::Statement s(db,
                      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                      "'sqlite_%' ORDER BY name");
  while (s.step()) names.push_back(s.text(0));
  return names;
}

[[noreturn]] void not_a_project(const std::string& path, const std::string& why) {
  throw std::runtime_error(
      path + " is not a Remora project: " + why +
      ". Give a new file name to create a project, or open an existing .remora file.");
}

}  // namespace

void check_is_sqlite_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;  // missing: SQLite creates it
  char header[16] = {};
  in.read(header, sizeof header);
  std::streamsize n = in.gcount();
  if (n == 0) return;  // empty file: becomes a new project
  static const char kMagic[16] = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                  'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
  if (n < 16 || !std::equal(header, header + 16, kMagic))
    not_a_project(path, "it is not an SQLite database");
}

void prepare_project_schema(sqlite::Database& db) {
  int app_id = 0, version = 0;
  try {
    app_id = db.pragma_int("application_id");
    version = db.pragma_int("user_version");
  } catch (const std::runtime_error& e) {
    not_a_project(db.path(), std::string("it cannot be read as a database (") + e.what() + ")");
  }
  if (app_id != kProjectApplicationId) {
    auto tables = user_tables(db);
    if (!tables.empty() || app_id != 0) {
      std::string list;
      for (std::size_t i = 0; i < tables.size() && i < 5; ++i) list += (i ? ", " : "") + tables[i];
      not_a_project(db.path(), "it is a different SQLite database (tables: " +
                                   (list.empty() ? std::string("none") : list) +
                                   "; a trace database is read with `remora trace-summary`)");
    }
  }
  if (version > ProjectStore::kSchemaVersion)
    throw std::runtime_error(db.path() + " was written by a newer Remora (project schema " +
                             std::to_string(version) + "; this build reads up to " +
                             std::to_string(ProjectStore::kSchemaVersion) +
                             "). Upgrade Remora to open it.");

  // WAL: readers (the studio) are not blocked by a save, and a crash mid-save
  // leaves the last committed state.
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA foreign_keys = ON");

  for (const Migration& m : kMigrations) {
    if (m.to_version <= version) continue;
    sqlite::Transaction tx(db);
    try {
      db.exec(m.sql);
      if (m.to_version == 1)
        db.exec("PRAGMA application_id = " + std::to_string(kProjectApplicationId));
      db.exec("PRAGMA user_version = " + std::to_string(m.to_version));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(db.path() + ": migrating the project to schema " +
                               std::to_string(m.to_version) + " (" + m.description +
                               ") failed: " + e.what());
    }
    tx.commit();
    version = m.to_version;
  }
}

}  // namespace remora::spec
