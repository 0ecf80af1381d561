// Background work can be cancelled and loses nothing; generate runs the real
// `remora generate` through QProcess with its output in the log pane.
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QCheckBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>

#include "generate_dialog.h"
#include "inference_backend.h"
#include "main_window.h"
#include "project_session.h"
#include "studio_test_support.h"

using namespace remora;
using namespace remora::studio;

namespace {
NewProjectRequest cl_request(const QString& project) {
  NewProjectRequest request;
  request.projectPath = project;
  request.settings.header = "/usr/include/CL/cl.h";
  request.settings.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  request.settings.library = "libOpenCL.so.1";
  return request;
}

bool can_infer_cl() {
  return inference_available() && QFileInfo::exists(QStringLiteral("/usr/include/CL/cl.h"));
}
}  // namespace

TEST_CASE("cancelling inference leaves no half-made project", "[studio]") {
  test::ensure_app();
  if (!can_infer_cl()) {
    WARN("skipped: needs remora_inference and /usr/include/CL/cl.h");
    return;
  }
  QTemporaryDir dir;
  const QString project = dir.filePath(QStringLiteral("cancelled.remora"));
  MainWindow window;
  QSignalSpy finished(&window, &MainWindow::backgroundFinished);
  window.startNewProject(cl_request(project));
  window.cancelBackgroundWork();
  REQUIRE(test::wait_until([&] { return finished.count() == 1; }, 120000));
  CHECK_FALSE(finished.front().front().toBool());
  CHECK(window.session() == nullptr);
  CHECK_FALSE(QFileInfo::exists(project));
  CHECK_FALSE(window.isBusy());
}

TEST_CASE("generate runs remora generate and shows its output", "[studio]") {
  test::ensure_app();
  const QString cli = QStringLiteral(REMORA_BINARY_DIR "/app/cli/remora");
  if (!can_infer_cl() || !QFileInfo(cli).isExecutable()) {
    WARN("skipped: build the `remora` target (and have cl.h + inference) to run it");
    return;
  }
  qputenv("REMORA_CLI", cli.toUtf8());
  QTemporaryDir dir;
  MainWindow window;
  QSignalSpy finished(&window, &MainWindow::backgroundFinished);
  window.startNewProject(cl_request(dir.filePath(QStringLiteral("gen.remora"))));
  REQUIRE(test::wait_until([&] { return finished.count() == 1; }, 120000));
  REQUIRE(window.session());

  GenerateDialog generate(window.session());
  const QString out = dir.filePath(QStringLiteral("stack"));
  generate.outputEdit()->setText(out);
  generate.buildBox()->setChecked(false);  // building the stack is covered by codegen's tests
  QTest::mouseClick(generate.runButton(), Qt::LeftButton);
  CHECK_FALSE(generate.runButton()->isEnabled());  // running, UI still live
  REQUIRE(test::wait_until([&] { return generate.runButton()->isEnabled(); }, 120000));
  INFO("status: " << generate.statusLabel()->text().toStdString() << "\nlog:\n"
                  << generate.log()->toPlainText().toStdString());
  CHECK(generate.statusLabel()->text().startsWith(QStringLiteral("Done")));
  CHECK(generate.log()->toPlainText().contains(QStringLiteral("generate --spec")));
  CHECK(QFileInfo::exists(QDir(out).filePath(QStringLiteral("CMakeLists.txt"))));
  CHECK(QFileInfo::exists(QDir(out).filePath(QStringLiteral("spec.json"))));
  qunsetenv("REMORA_CLI");
}
