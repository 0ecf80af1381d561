// Trace a sample from the studio: the real `remora trace` runs a real OpenCL
// program (pocl), the studio re-infers with the trace in the background, keeps
// the reviewer's decisions, and highlights the annotations the trace changed.
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <catch2/catch.hpp>
#include <cstdio>

#include "annotation_text.h"
#include "function_filter_proxy.h"
#include "function_list_model.h"
#include "function_list_panel.h"
#include "inference_backend.h"
#include "main_window.h"
#include "project_session.h"
#include "review_controller.h"
#include "review_workspace.h"
#include "studio_test_support.h"
#include "trace_dialog.h"

using namespace remora;
using namespace remora::studio;

TEST_CASE("tracing a sample highlights the annotations it changed", "[studio][trace]") {
  test::ensure_app();
  const QString cli = QStringLiteral(REMORA_BINARY_DIR "/app/cli/remora");
  const QString sample = QStringLiteral(REMORA_BINARY_DIR "/samples/opencl/ocl-02-vector-add");
  if (!inference_available() || !QFileInfo(cli).isExecutable() || !QFileInfo(sample).isExecutable() ||
      !QFileInfo::exists(QStringLiteral("/usr/include/CL/cl.h"))) {
    WARN("skipped: build the `remora` and `ocl-02-vector-add` targets (and have cl.h + inference) to run it");
    return;
  }
  qputenv("REMORA_CLI", cli.toUtf8());
  QTemporaryDir dir;
  MainWindow window;
  window.show();
  NewProjectRequest request;
  request.projectPath = dir.filePath(QStringLiteral("traced.remora"));
  request.settings.header = "/usr/include/CL/cl.h";
  request.settings.defines = {"CL_TARGET_OPENCL_VERSION=300"};
  request.settings.library = "libOpenCL.so.1";
  QSignalSpy background(&window, &MainWindow::backgroundFinished);
  window.startNewProject(request);
  REQUIRE(test::wait_until([&] { return background.count() == 1; }, 180000));
  REQUIRE(background.front().front().toBool());
  ProjectSession* session = window.session();

  // A human decision made before tracing must survive the re-inference.
  ReviewController* controller = window.workspace()->controller();
  REQUIRE(controller->next());
  const QString kept_fn = controller->currentFunction(), kept_param = controller->currentParam();
  controller->setAdvanceAfterConfirm(false);
  controller->confirm();

  window.showTraceDialog();
  auto* trace = window.findChild<TraceDialog*>();
  REQUIRE(trace);
  QTest::keyClicks(trace->programEdit(), sample);
  QSignalSpy recorded(trace, &TraceDialog::traceRecorded);
  QTest::mouseClick(trace->runButton(), Qt::LeftButton);
  REQUIRE(test::wait_until([&] { return recorded.count() > 0 || trace->runButton()->isEnabled(); }, 240000));
  INFO("trace status: " << trace->statusLabel()->text().toStdString() << "\nlog:\n"
                        << trace->log()->toPlainText().toStdString());
  REQUIRE(recorded.count() == 1);
  CHECK(trace->findChild<QLabel*>(QStringLiteral("traceCalls"))->text().startsWith(QStringLiteral("Calls recorded: ")));
  REQUIRE(test::wait_until([&] { return background.count() == 2; }, 180000));
  REQUIRE(background.back().front().toBool());

  CHECK(trace->statusLabel()->text().contains(QStringLiteral("annotation(s) changed")));
  const QString db = recorded.front().front().toString();
  CHECK(session->settings().traces == std::vector<std::string>{db.toStdString()});
  const QSet<QString> changed = session->changedAnnotations();
  std::printf("[studio trace] %s: the trace changed %lld annotation(s)\n", qPrintable(QFileInfo(sample).fileName()),
              static_cast<long long>(changed.size()));
  REQUIRE_FALSE(changed.isEmpty());
  // Every changed annotation now carries trace evidence or a different inferred value.
  FunctionListPanel* list = window.workspace()->functionList();
  CHECK(list->filterBox()->currentData().toInt() == static_cast<int>(FunctionFilterProxy::Filter::ChangedByTrace));
  const QStringList shown = list->visibleFunctions();
  REQUIRE_FALSE(shown.isEmpty());
  for (const QString& f : shown) {
    bool touched = changed.contains(f);
    for (const auto& p : session->function(f)->params) touched |= changed.contains(annotation_key(f, qs(p.name)));
    CHECK(touched);
  }
  const spec::Param* kept = session->function(kept_fn)->find_param(kept_param.toStdString());
  REQUIRE(kept);
  CHECK(kept->status == spec::ReviewStatus::Confirmed);
  qunsetenv("REMORA_CLI");
}
