// The SQLite project store. The model is stored relationally enough to query
// (functions, params with status and confidence, evidence rows, review
// events) while each item's annotation keeps its remora-spec/1 JSON form, so
// the store and the JSON files can never disagree about a field.
#include "remora/spec/project_store.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "project_schema.h"
#include "remora/spec/project_paths.h"
#include "remora/spec/json_fragments.h"
#include "sqlite_db.h"

namespace remora::spec {
namespace {

namespace fs = std::filesystem;

std::string now_iso8601() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class SqliteProjectStore final : public ProjectStore {
 public:
  explicit SqliteProjectStore(const std::string& path) : db_(open_database(path)) {
    prepare_project_schema(db_);
  }

  int schema_version() const override {
    sqlite::Statement s(db_, "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
  }

  std::string path() const override { return db_.path(); }

  // Source paths in the settings are stored relative to this folder.
  std::string project_dir() const { return fs::absolute(db_.path()).parent_path().string(); }

  Spec load_spec() const override {
    Spec spec;
    SpecIssues issues;
    {
      sqlite::Statement s(db_, "SELECT value FROM meta WHERE key = 'api'");
      if (s.step()) spec.api = api_from_json(parse(s.text(0), "api"), issues);
    }
    {
      sqlite::Statement s(db_, "SELECT position, json FROM types ORDER BY position");
      while (s.step())
        spec.types.push_back(type_from_json(parse(s.text(1), "type"),
                                            "types[" + std::to_string(s.integer(0)) + "]", issues));
    }
    std::map<long long, std::size_t> function_index;  // row id -> index in spec.functions
    {
      sqlite::Statement s(db_, "SELECT id, json FROM functions ORDER BY position");
      while (s.step()) {
        function_index[s.integer(0)] = spec.functions.size();
        spec.functions.push_back(function_from_json(parse(s.text(1), "function"), issues));
      }
    }
    std::map<long long, Param*> param_by_id;
    {
      sqlite::Statement s(
          db_, "SELECT id, function_id, annotation FROM params ORDER BY function_id, position");
      while (s.step()) {
        Function& f = spec.functions.at(function_index.at(s.integer(1)));
        f.params.push_back(param_from_json(parse(s.text(2), "param"), f.name + ".params", issues));
      }
    }
    // Pointers into params are taken only after every vector stopped growing.
    {
      sqlite::Statement s(db_, "SELECT id, function_id FROM params ORDER BY function_id, position");
      std::map<long long, std::size_t> next;
      while (s.step()) {
        Function& f = spec.functions.at(function_index.at(s.integer(1)));
        param_by_id[s.integer(0)] = &f.params.at(next[s.integer(1)]++);
      }
    }
    {
      sqlite::Statement s(db_,
                          "SELECT function_id, param_id, source, says, weight, why, location "
                          "FROM evidence ORDER BY function_id, param_id, position");
      while (s.step()) {
        Evidence e;
        auto source = evidence_source_from_string(s.text(2));
        if (!source) issues.error("evidence", "unknown source \"" + s.text(2) + "\"");
        e.source = source.value_or(EvidenceSource::Header);
        e.says = patch_from_json(parse(s.text(3), "evidence"), "evidence", issues);
        e.weight = s.real(4);
        e.why = s.text(5);
        e.location = s.text(6);
        if (s.is_null(1))
          spec.functions.at(function_index.at(s.integer(0))).evidence.push_back(std::move(e));
        else
          param_by_id.at(s.integer(1))->evidence.push_back(std::move(e));
      }
    }
    if (!issues.errors.empty())
      throw std::runtime_error(db_.path() + " is damaged: " + format_issue(issues.errors.front()) +
                               " (restore it from a backup or re-run inference)");
    return spec;
  }

  void save_spec(const Spec& spec) override {
    sqlite::Transaction tx(db_);
    db_.exec("DELETE FROM evidence; DELETE FROM params; DELETE FROM functions; DELETE FROM types;");
    sqlite::Statement meta(db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
    meta.bind(1, std::string("format")).bind(2, std::string(kSpecFormat)).run();
    meta.bind(1, std::string("api")).bind(2, api_to_json(spec.api).dump()).run();

    sqlite::Statement type(db_, "INSERT INTO types(position, name, json) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < spec.types.size(); ++i)
      type.bind(1, static_cast<long long>(i))
          .bind(2, spec.types[i].name)
          .bind(3, type_to_json(spec.types[i]).dump())
          .run();

    sqlite::Statement function(db_,
                               "INSERT INTO functions(position, name, status, confidence, json) "
                               "VALUES (?, ?, ?, ?, ?)");
    sqlite::Statement param(db_,
                            "INSERT INTO params(function_id, position, name, type, annotation, "
                            "status, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)");
    sqlite::Statement evidence(
        db_,
        "INSERT INTO evidence(function_id, param_id, position, source, says, "
        "weight, why, location) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    auto insert_evidence = [&](long long function_id, const long long* param_id,
                               const std::vector<Evidence>& list) {
      for (std::size_t k = 0; k < list.size(); ++k) {
        evidence.bind(1, function_id);
        if (param_id)
          evidence.bind(2, *param_id);
        else
          evidence.bind_null(2);
        evidence.bind(3, static_cast<long long>(k))
            .bind(4, std::string(to_string(list[k].source)))
            .bind(5, patch_to_json(list[k].says).dump())
            .bind(6, list[k].weight)
            .bind(7, list[k].why)
            .bind(8, list[k].location)
            .run();
      }
    };

    for (std::size_t i = 0; i < spec.functions.size(); ++i) {
      const Function& f = spec.functions[i];
      Json j = function_to_json(f);
      j.erase("params");  // stored as rows below
      j.erase("evidence");
      function.bind(1, static_cast<long long>(i))
          .bind(2, f.name)
          .bind(3, std::string(to_string(f.status)))
          .bind(4, f.confidence)
          .bind(5, j.dump())
          .run();
      long long function_id = db_.last_insert_rowid();
      insert_evidence(function_id, nullptr, f.evidence);
      for (std::size_t k = 0; k < f.params.size(); ++k) {
        const Param& p = f.params[k];
        Json pj = param_to_json(p);
        pj.erase("evidence");
        param.bind(1, function_id)
            .bind(2, static_cast<long long>(k))
            .bind(3, p.name)
            .bind(4, p.type)
            .bind(5, pj.dump())
            .bind(6, std::string(to_string(p.status)))
            .bind(7, p.confidence)
            .run();
        long long param_id = db_.last_insert_rowid();
        insert_evidence(function_id, &param_id, p.evidence);
      }
    }
    tx.commit();
  }

  ProjectSettings load_settings() const override {
    ProjectSettings s;
    const std::string dir = project_dir();
    sqlite::Statement q(db_, "SELECT key, value FROM settings");
    while (q.step()) {
      std::string key = q.text(0);
      Json value = parse(q.text(1), "setting " + key);
      // Paths are {"relative", "absolute"} (see project_paths.h); a plain string
      // is a path as written by an older version, relative to an unknown folder.
      auto one_path = [&](const Json& v) -> std::string {
        StoredPath stored;
        if (v.is_string()) {
          stored.relative = v.get<std::string>();
          std::error_code ec;
          if (!stored.relative.empty() && !fs::path(stored.relative).is_absolute())
            stored.absolute = fs::absolute(stored.relative, ec).string();
        } else if (v.is_object()) {
          stored.relative = v.value("relative", std::string());
          stored.absolute = v.value("absolute", std::string());
        }
        return resolve_path(stored, dir);
      };
      auto path = [&](std::string& out) { out = one_path(value); };
      auto paths = [&](std::vector<std::string>& out) {
        if (!value.is_array()) return;
        for (const auto& v : value)
          if (std::string p = one_path(v); !p.empty()) out.push_back(p);
      };
      auto text = [&](std::string& out) {
        if (value.is_string()) out = value.get<std::string>();
      };
      auto list = [&](std::vector<std::string>& out) {
        if (!value.is_array()) return;
        for (const auto& v : value)
          if (v.is_string()) out.push_back(v.get<std::string>());
      };
      if (key == "header")
        path(s.header);
      else if (key == "include_dirs")
        paths(s.include_dirs);
      else if (key == "defines")
        list(s.defines);
      else if (key == "docs")
        paths(s.docs);
      else if (key == "traces")
        paths(s.traces);
      else if (key == "library")
        text(s.library);
      else if (key == "extra_headers")
        list(s.extra_headers);
      else if (key == "api_dirs")
        list(s.api_dirs);
      else if (key == "api_globs")
        list(s.api_globs);
      else if (key == "excludes")
        list(s.excludes);
    }
    return s;
  }

  void save_settings(const ProjectSettings& s) override {
    const std::string dir = project_dir();
    auto path = [&](const std::string& p) -> Json {
      if (p.empty()) return "";
      StoredPath stored = store_path(p, dir);
      return Json{{"relative", stored.relative}, {"absolute", stored.absolute}};
    };
    auto paths = [&](const std::vector<std::string>& list) {
      Json out = Json::array();
      for (const auto& p : list) out.push_back(path(p));
      return out;
    };
    sqlite::Transaction tx(db_);
    sqlite::Statement put(db_, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)");
    auto save = [&](const char* key, const Json& value) {
      put.bind(1, std::string(key)).bind(2, value.dump()).run();
    };
    save("header", path(s.header));
    save("include_dirs", paths(s.include_dirs));
    save("defines", s.defines);
    save("docs", paths(s.docs));
    save("traces", paths(s.traces));
    save("library", s.library);
    save("extra_headers", s.extra_headers);
    save("api_dirs", s.api_dirs);
    save("api_globs", s.api_globs);
    save("excludes", s.excludes);
    tx.commit();
  }

  void append_review(const ReviewEvent& e) override {
    sqlite::Statement s(db_,
                        "INSERT INTO review_events(timestamp, function, param, action, before, "
                        "after, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, e.timestamp.empty() ? now_iso8601() : e.timestamp)
        .bind(2, e.function)
        .bind(3, e.param)
        .bind(4, e.action)
        .bind(5, e.before)
        .bind(6, e.after)
        .bind(7, e.note)
        .run();
  }

  std::vector<ReviewEvent> review_history(const std::string& function) const override {
    const char* all =
        "SELECT id, timestamp, function, param, action, before, after, note "
        "FROM review_events ORDER BY id";
    const char* one =
        "SELECT id, timestamp, function, param, action, before, after, note "
        "FROM review_events WHERE function = ? ORDER BY id";
    sqlite::Statement s(db_, function.empty() ? all : one);
    if (!function.empty()) s.bind(1, function);
    std::vector<ReviewEvent> out;
    while (s.step()) {
      ReviewEvent e;
      e.id = s.integer(0);
      e.timestamp = s.text(1);
      e.function = s.text(2);
      e.param = s.text(3);
      e.action = s.text(4);
      e.before = s.text(5);
      e.after = s.text(6);
      e.note = s.text(7);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  static sqlite::Database open_database(const std::string& path) {
    check_is_sqlite_file(path);
    try {
      return sqlite::Database(path);
    } catch (const std::runtime_error& e) {
      throw std::runtime_error(std::string(e.what()) +
                               " (check that the directory exists and is writable)");
    }
  }

  Json parse(const std::string& text, const std::string& what) const {
    bool too_deep = json_too_deep(text).has_value();  // a damaged or crafted project file
    Json j = too_deep ? Json() : Json::parse(text, nullptr, false);
    if (too_deep || j.is_discarded())
      throw std::runtime_error(db_.path() + " is damaged: the stored " + what +
                               " is not valid JSON (restore it from a backup or re-run inference)");
    return j;
  }

  sqlite::Database db_;
};

}  // namespace

std::unique_ptr<ProjectStore> ProjectStore::open(const std::string& path) {
  return std::make_unique<SqliteProjectStore>(path);
}

}  // namespace remora::spec
