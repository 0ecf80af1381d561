// The project session: autosave into the store, review history, import of
// spec JSON, and clear errors (nothing crashes) for bad files.
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <catch2/catch.hpp>

#include "main_window.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "remora/spec/project_store.h"
#include "review_commands.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

TEST_CASE("session: autosave writes edits to the store in the background", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString path = dir.filePath("auto.remora");
  auto session = ProjectSession::create(path, {}, test::sample_spec());
  session->setAutosaveDelay(20);
  QSignalSpy saved(session.get(), &ProjectSession::saved);

  spec::Function before = *session->function("sampleQuery");
  spec::Function after = before;
  after.params[2].status = spec::ReviewStatus::Confirmed;
  session->undoStack()->push(new FunctionChangeCommand(session.get(), before, after, "value", "confirm"));
  CHECK(session->isDirty());
  REQUIRE(test::wait_until([&] { return saved.count() > 0; }, 10000));
  CHECK(saved.front().front().toBool());
  CHECK_FALSE(session->isDirty());

  // Another handle on the same file sees the autosaved state and the history.
  auto store = spec::ProjectStore::open(path.toStdString());
  CHECK(store->load_spec().find_function("sampleQuery")->params[2].status == spec::ReviewStatus::Confirmed);
  const auto history = store->review_history("sampleQuery");
  REQUIRE(history.size() == 1);
  CHECK(history[0].action == "confirm");
  CHECK(history[0].param == "value");
  CHECK(history[0].after.find("confirmed") != std::string::npos);
}

TEST_CASE("session: import spec JSON, and bad files give clear errors", "[studio]") {
  test::ensure_app();
  QTemporaryDir dir;
  const QString json = dir.filePath("sample.json");
  spec::save_spec_file(test::sample_spec(), json.toStdString());

  MainWindow window;
  REQUIRE(window.importSpecJson(json, dir.filePath("sample.remora")));
  REQUIRE(window.session());
  CHECK(window.session()->spec() == test::sample_spec());

  QFile broken(dir.filePath("broken.json"));
  REQUIRE(broken.open(QIODevice::WriteOnly));
  broken.write("{ \"format\": \"remora-spec/1\", \"functions\": [ { \"name\": 42 } ] }");
  broken.close();
  CHECK_FALSE(window.importSpecJson(broken.fileName(), dir.filePath("broken.remora")));
  CHECK(window.lastError().contains("broken.json"));
  CHECK(window.session());  // the open project is untouched

  QFile garbage(dir.filePath("garbage.remora"));
  REQUIRE(garbage.open(QIODevice::WriteOnly));
  garbage.write("this is not an SQLite database, just text that happens to be long enough to look like a file");
  garbage.close();
  CHECK_FALSE(window.openProject(garbage.fileName()));
  CHECK_FALSE(window.lastError().isEmpty());
  CHECK_FALSE(window.openProject(dir.filePath("missing.remora")));
  CHECK(window.lastError().contains("does not exist"));
}
