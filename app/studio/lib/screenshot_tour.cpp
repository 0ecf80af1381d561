#include "screenshot_tour.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTextStream>
#include <functional>

#include "annotation_text.h"
#include "function_list_panel.h"
#include "generate_dialog.h"
#include "main_window.h"
#include "param_editor.h"
#include "project_session.h"
#include "review_controller.h"
#include "review_workspace.h"
#include "trace_dialog.h"

namespace remora::studio {

namespace {

QTextStream& err() {
  static QTextStream stream(stderr);
  return stream;
}

bool wait_until(const std::function<bool()>& done, int timeout_ms) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeout_ms) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

void settle() {
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < 250) QApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool save(QWidget* widget, const QDir& dir, const QString& name) {
  settle();
  const QString path = dir.filePath(name);
  const bool ok = widget->grab().save(path);
  err() << (ok ? "wrote " : "FAILED to write ") << path << Qt::endl;
  return ok;
}

// The parameter with the most evidence among those needing review: it shows
// the evidence panel at its most informative.
std::pair<QString, QString> richest_item(const spec::Spec& spec) {
  std::pair<QString, QString> best;
  size_t most = 0;
  for (const auto& f : spec.functions)
    for (const auto& p : f.params)
      if (p.status == spec::ReviewStatus::Inferred && p.evidence.size() > most && p.ann.kind == spec::Kind::Buffer) {
        most = p.evidence.size();
        best = {qs(f.name), qs(p.name)};
      }
  return best;
}

}  // namespace

int run_screenshot_tour(MainWindow& window, const TourOptions& options) {
  QDir out(options.outputDir);
  if (!out.mkpath(QStringLiteral("."))) {
    err() << "cannot create " << options.outputDir << Qt::endl;
    return 1;
  }
  QTemporaryDir scratch(QDir::temp().filePath(QStringLiteral("remora-tour-XXXXXX")));
  window.resize(1280, 800);
  settle();
  bool ok = save(&window, out, QStringLiteral("start-page.png"));

  NewProjectDialog* dialog = window.showNewProjectDialog();
  dialog->headerEdit()->setText(options.header.isEmpty() ? QStringLiteral("/usr/include/CL/cl.h") : options.header);
  dialog->definesEdit()->setPlainText(options.defines.isEmpty() ? QStringLiteral("CL_TARGET_OPENCL_VERSION=300")
                                                                : options.defines.join('\n'));
  dialog->docsEdit()->setPlainText(options.docs.join('\n'));
  dialog->libraryEdit()->setText(QStringLiteral("libOpenCL.so.1"));
  dialog->projectEdit()->setText(scratch.filePath(QStringLiteral("opencl.remora")));
  ok &= save(dialog, out, QStringLiteral("new-project.png"));

  if (!options.specJson.isEmpty()) {
    dialog->reject();
    if (!window.importSpecJson(options.specJson, scratch.filePath(QStringLiteral("opencl.remora")))) {
      err() << "import failed: " << window.lastError() << Qt::endl;
      return 1;
    }
  } else {
    bool finished = false, success = false;
    QObject::connect(&window, &MainWindow::backgroundFinished, [&](bool good) {
      finished = true;
      success = good;
    });
    dialog->accept();
    if (!wait_until([&] { return finished; }, 120000) || !success) {
      err() << "inference failed: " << window.lastError() << Qt::endl;
      return 1;
    }
  }

  ReviewWorkspace* ws = window.workspace();
  auto [function, param] = richest_item(window.session()->spec());
  if (!function.isEmpty()) ws->controller()->select(function, param);
  ok &= save(&window, out, QStringLiteral("review.png"));

  ws->paramEditor()->sizeEdit()->setFocus();
  // An unfinished expression over the parameter's own size: refused, visibly.
  ws->paramEditor()->sizeEdit()->setText(QStringLiteral("min(%1, ").arg(ws->paramEditor()->sizeEdit()->text()));
  ws->applyEdit();
  ok &= save(&window, out, QStringLiteral("param-editor-error.png"));
  ws->paramEditor()->showItem(ws->controller()->currentFunction(), ws->controller()->currentParam());

  window.showGenerateDialog();
  settle();
  if (auto* generate = window.findChild<GenerateDialog*>()) {
    generate->sampleBox()->setChecked(!options.sample.isEmpty());
    generate->sampleEdit()->setText(options.sample);
    generate->start();  // shows the real log (or the real reason it cannot run)
    wait_until([&] { return generate->runButton()->isEnabled(); }, 400000);
    ok &= save(generate, out, QStringLiteral("generate.png"));
    generate->close();
  }
  window.showTraceDialog();
  settle();
  if (auto* trace = window.findChild<TraceDialog*>()) {
    bool reinferred = false;
    QObject::connect(&window, &MainWindow::backgroundFinished, [&](bool) { reinferred = true; });
    trace->programEdit()->setText(options.sample);
    trace->start();
    wait_until([&] { return trace->runButton()->isEnabled(); }, 240000);
    wait_until([&] { return reinferred; }, 120000);
    ok &= save(trace, out, QStringLiteral("trace.png"));
    trace->close();
    // The re-inference with the trace, and the annotations it changed.
    if (reinferred && !window.session()->changedAnnotations().isEmpty()) {
      const QString first = *window.session()->changedAnnotations().begin();
      const qsizetype dot = first.indexOf(QLatin1Char('.'));
      ws->controller()->select(dot < 0 ? first : first.left(dot), dot < 0 ? QString() : first.mid(dot + 1));
      ok &= save(&window, out, QStringLiteral("review-after-trace.png"));
    }
  }
  window.session()->flush();
  return ok ? 0 : 1;
}

}  // namespace remora::studio
