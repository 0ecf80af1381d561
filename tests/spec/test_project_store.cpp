// The SQLite project store: round trips, review history, reopening, failed
// saves that leave the previous state intact, and files that are not projects.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "remora/spec/project_store.h"
#include "rich_spec.h"

using namespace remora::spec;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("remora-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

}  // namespace

TEST_CASE("a rich spec round-trips through the store and survives reopening") {
  TempDir dir;
  Spec spec = testing::rich_spec();
  {
    auto store = ProjectStore::open(dir.file("api.remora"));
    CHECK(store->schema_version() == ProjectStore::kSchemaVersion);
    CHECK(store->load_spec() == Spec{});  // a new project is empty
    store->save_spec(spec);
    CHECK(store->load_spec() == spec);
  }
  auto reopened = ProjectStore::open(dir.file("api.remora"));
  CHECK(reopened->path() == dir.file("api.remora"));
  Spec loaded = reopened->load_spec();
  CHECK(loaded == spec);
  // Saving again replaces, never appends.
  spec.functions.erase(spec.functions.begin());
  reopened->save_spec(spec);
  CHECK(reopened->load_spec() == spec);
}

TEST_CASE("evidence and params are stored as queryable rows") {
  TempDir dir;
  auto store = ProjectStore::open(dir.file("api.remora"));
  store->save_spec(testing::rich_spec());
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(dir.file("api.remora").c_str(), &db) == SQLITE_OK);
  auto count = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    long long n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
  };
  CHECK(count("SELECT count(*) FROM functions") == 6);
  CHECK(count("SELECT count(*) FROM evidence WHERE param_id IS NOT NULL") == 3);
  CHECK(count("SELECT count(*) FROM evidence WHERE param_id IS NULL") == 1);
  CHECK(count("SELECT count(*) FROM params WHERE status = 'edited'") == 1);
  CHECK(count("SELECT count(*) FROM params WHERE confidence < 0.7") == 2);
  sqlite3_close(db);
}

TEST_CASE("review history is appended and filtered by function") {
  TempDir dir;
  auto path = dir.file("review.remora");
  {
    auto store = ProjectStore::open(path);
    ReviewEvent e;
    e.function = "clGetDeviceInfo";
    e.param = "param_value";
    e.action = "edit";
    e.before = R"({"direction":"in"})";
    e.after = R"({"direction":"out"})";
    e.note = "docs say it is written";
    store->append_review(e);
    e.action = "confirm";
    e.timestamp = "2026-01-02T03:04:05Z";
    store->append_review(e);
    e.function = "clFinish";
    e.param = "";
    e.action = "unsupport";
    store->append_review(e);
  }
  auto store = ProjectStore::open(path);
  auto all = store->review_history();
  REQUIRE(all.size() == 3);
  CHECK(all[0].id < all[1].id);
  CHECK(all[0].action == "edit");
  CHECK(all[0].after == R"({"direction":"out"})");
  CHECK(all[0].note == "docs say it is written");
  CHECK(all[0].timestamp.size() == 20);  // filled in: YYYY-MM-DDTHH:MM:SSZ
  CHECK(all[0].timestamp.back() == 'Z');
  CHECK(all[1].timestamp == "2026-01-02T03:04:05Z");
  auto info = store->review_history("clGetDeviceInfo");
  REQUIRE(info.size() == 2);
  CHECK(info[1].action == "confirm");
  CHECK(store->review_history("clFinish").size() == 1);
  CHECK(store->review_history("nothing").empty());
}

TEST_CASE("settings round-trip") {
  TempDir dir;
  auto store = ProjectStore::open(dir.file("s.remora"));
  CHECK(store->load_settings().header.empty());
  ProjectSettings s;
  s.header = "/usr/include/CL/cl.h";
  s.include_dirs = {"/usr/include"};
  s.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  s.docs = {"../shared/corpus/opencl-docs"};
  s.traces = {"a.trace", "b.trace"};
  s.library = "libOpenCL.so.1";
  store->save_settings(s);
  auto back = ProjectStore::open(dir.file("s.remora"))->load_settings();
  CHECK(back.header == s.header);
  CHECK(back.include_dirs == s.include_dirs);
  CHECK(back.defines == s.defines);
  // Relative paths are relative to the working directory when saved; they come
  // back resolved (see test_project_paths.cpp for projects that move).
  auto absolute = [](const std::string& p) { return std::filesystem::absolute(p).lexically_normal().string(); };
  CHECK(back.docs == std::vector<std::string>{absolute("../shared/corpus/opencl-docs")});
  CHECK(back.traces == std::vector<std::string>{absolute("a.trace"), absolute("b.trace")});
  CHECK(back.library == s.library);
}

TEST_CASE("a save that fails midway leaves the previous state intact") {
  TempDir dir;
  auto path = dir.file("atomic.remora");
  Spec good = testing::rich_spec();
  auto store = ProjectStore::open(path);
  store->save_spec(good);

  // The duplicate function violates a UNIQUE constraint after the old rows
  // were deleted and several new ones inserted: the transaction must roll back.
  Spec bad = good;
  bad.api.name = "Changed";
  bad.functions.push_back(bad.functions[0]);
  CHECK_THROWS_WITH(store->save_spec(bad), Catch::Contains("UNIQUE"));
  CHECK(store->load_spec() == good);

  // A NaN confidence violates NOT NULL (SQLite stores NaN as NULL) on a later row.
  bad = good;
  bad.functions.back().confidence = std::nan("");
  CHECK_THROWS(store->save_spec(bad));
  CHECK(store->load_spec() == good);
  // The store is still usable afterwards, and other connections see the old state.
  CHECK(ProjectStore::open(path)->load_spec() == good);
  good.functions.pop_back();
  store->save_spec(good);
  CHECK(ProjectStore::open(path)->load_spec() == good);
}

TEST_CASE("files that are not Remora projects are refused with a clear error") {
  TempDir dir;
  auto garbage = dir.file("notes.txt");
  std::ofstream(garbage) << "this is a text file, not a project\n";
  CHECK_THROWS_WITH(ProjectStore::open(garbage), Catch::Contains(garbage) &&
                                                     Catch::Contains("not a Remora project") &&
                                                     Catch::Contains("not an SQLite database"));
  // The refused file is untouched.
  std::ifstream in(garbage);
  std::string line;
  std::getline(in, line);
  CHECK(line == "this is a text file, not a project");

  auto short_file = dir.file("short.bin");
  std::ofstream(short_file) << "SQL";
  CHECK_THROWS_WITH(ProjectStore::open(short_file), Catch::Contains("not a Remora project"));

  // An SQLite database of another kind, e.g. a trace DB with its own tables.
  auto trace = dir.file("run.trace");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(trace.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE calls(id INTEGER); CREATE TABLE meta(key TEXT, value TEXT);",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_THROWS_WITH(ProjectStore::open(trace), Catch::Contains(trace) &&
                                                   Catch::Contains("different SQLite database") &&
                                                   Catch::Contains("calls, meta"));

  // A directory, and a path in a missing directory.
  CHECK_THROWS_WITH(ProjectStore::open(dir.path.string()), Catch::Contains(dir.path.string()));
  CHECK_THROWS_WITH(ProjectStore::open(dir.file("no/such/dir.remora")),
                    Catch::Contains("no/such/dir.remora"));
}

TEST_CASE("a project from a newer Remora is refused, not damaged") {
  TempDir dir;
  auto path = dir.file("future.remora");
  ProjectStore::open(path);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_THROWS_WITH(ProjectStore::open(path),
                    Catch::Contains("newer Remora") && Catch::Contains("schema 99"));
}

TEST_CASE("an empty file becomes a new project") {
  TempDir dir;
  auto path = dir.file("empty.remora");
  std::ofstream{path};
  auto store = ProjectStore::open(path);
  CHECK(store->schema_version() == 1);
}
