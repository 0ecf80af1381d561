// Internal: the project file's identity and schema. A project is an SQLite
// database whose application_id is kProjectApplicationId and whose
// user_version is the schema version; migrations step it up one version at a
// time, each step in its own transaction.
#pragma once

#include "sqlite_db.h"

namespace remora::spec {

inline constexpr int kProjectApplicationId = 0x52454d4f;  // "REMO"

// Makes `db` a current-version project: creates the schema in an empty file,
// migrates an older one, and refuses (std::runtime_error naming the file and
// what to do) anything that is not a Remora project or is newer than this build.
void prepare_project_schema(sqlite::Database& db);

// Throws when `path` exists but is not an SQLite file at all (checked before
// SQLite touches it, so a stray document is never modified).
void check_is_sqlite_file(const std::string& path);

}  // namespace remora::spec
