// An API of several headers set up in the new-project dialog, as `remora infer
// HEADER... --api-dir/--api-glob` takes it: more headers named one by one, or an
// umbrella header plus which of the headers it includes belong to the API.
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>

#include "inference_backend.h"
#include "main_window.h"
#include "project_session.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {

void write(const QString& path, const char* text) {
  QFile file(path);
  REQUIRE(file.open(QIODevice::WriteOnly));
  file.write(text);
}

// Creates a project through the dialog, filled in by typing; returns the functions' names.
QStringList create(const QString& header, const QString& more, const QString& api_headers,
                   const QString& project) {
  MainWindow window;
  window.show();
  NewProjectDialog* dialog = window.showNewProjectDialog(header);
  QTest::keyClicks(dialog->extraHeadersEdit(), more);
  QTest::keyClicks(dialog->apiHeadersEdit(), api_headers);
  QTest::keyClicks(dialog->libraryEdit(), QStringLiteral("libmulti.so.1"));
  dialog->projectEdit()->setText(project);
  QSignalSpy finished(&window, &MainWindow::backgroundFinished);
  QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
  REQUIRE(test::wait_until([&] { return finished.count() > 0; }, 120000));
  INFO("last error: " << window.lastError().toStdString());
  REQUIRE(finished.front().front().toBool());
  QStringList names;
  for (const auto& f : window.session()->spec().functions) names << QString::fromStdString(f.name);
  return names;
}

}  // namespace

TEST_CASE("new project from several headers, or an umbrella and its API folder",
          "[studio][headers]") {
  test::ensure_app();
  if (!inference_available()) {
    WARN("skipped: this build has no remora_inference");
    return;
  }
  QTemporaryDir dir;
  REQUIRE(QDir(dir.path()).mkpath(QStringLiteral("multi")));
  write(dir.filePath(QStringLiteral("multi/core.h")),
        "int multi_open(int device, void **handle);\n");
  write(dir.filePath(QStringLiteral("multi/math.h")),
        "int multi_scale(void *handle, float *data, int n);\n");
  write(dir.filePath(QStringLiteral("other.h")), "int not_the_api(int x);\n");
  write(dir.filePath(QStringLiteral("multi.h")),
        "#include \"multi/core.h\"\n#include \"multi/math.h\"\n#include \"other.h\"\nint "
        "multi_version(void);\n");

  SECTION("headers named one by one") {
    const QStringList names = create(dir.filePath(QStringLiteral("multi/core.h")),
                                     dir.filePath(QStringLiteral("multi/math.h")), QString(),
                                     dir.filePath(QStringLiteral("two.remora")));
    CHECK(names.contains(QStringLiteral("multi_open")));
    CHECK(names.contains(QStringLiteral("multi_scale")));
    // The project keeps every header, so a later trace re-infers all of them.
    auto session = ProjectSession::open(dir.filePath(QStringLiteral("two.remora")));
    REQUIRE(session->settings().extra_headers.size() == 1);
    CHECK(QString::fromStdString(session->settings().extra_headers[0])
              .endsWith(QStringLiteral("multi/math.h")));
  }
  SECTION("an umbrella header and the folder of its API headers") {
    const QStringList names = create(dir.filePath(QStringLiteral("multi.h")), QString(),
                                     dir.filePath(QStringLiteral("multi")),
                                     dir.filePath(QStringLiteral("umbrella.remora")));
    CHECK(names.contains(QStringLiteral("multi_version")));
    CHECK(names.contains(QStringLiteral("multi_open")));
    CHECK(names.contains(QStringLiteral("multi_scale")));
    CHECK_FALSE(names.contains(QStringLiteral("not_the_api")));
    auto session = ProjectSession::open(dir.filePath(QStringLiteral("umbrella.remora")));
    CHECK(session->settings().api_dirs.size() == 1);
  }
  SECTION("an umbrella header and a pattern") {
    const QStringList names =
        create(dir.filePath(QStringLiteral("multi.h")), QString(), QStringLiteral("ma*.h"),
               dir.filePath(QStringLiteral("glob.remora")));
    CHECK(names.contains(QStringLiteral("multi_scale")));
    CHECK_FALSE(names.contains(QStringLiteral("multi_open")));
  }
}
