#include "screenshot_tour.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
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
#include "source_view.h"
#include "struct_rows.h"
#include "evidence_panel.h"
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
  QDir out(QFileInfo(options.outputDir).absoluteFilePath());  // the tour changes directory
  if (!out.mkpath(QStringLiteral("."))) {
    err() << "cannot create " << options.outputDir << Qt::endl;
    return 1;
  }
  QTemporaryDir scratch(QDir::temp().filePath(QStringLiteral("remora-tour-XXXXXX")));
  // The tour works inside its project folder, as a user would: the docs and the
  // sample are linked in there, so every path on screen is relative to the
  // project (no machine paths in the docs' images).
  const QString previous_dir = QDir::currentPath();
  QDir::setCurrent(scratch.path());
  QStringList docs;
  for (const QString& d : options.docs) {
    const QString link = QFileInfo(d).fileName();
    QFile::link(QFileInfo(QDir(previous_dir), d).absoluteFilePath(), scratch.filePath(link));
    docs << link;
  }
  QString sample;
  if (!options.sample.isEmpty()) {
    sample = QFileInfo(options.sample).fileName();
    QFile::link(QFileInfo(QDir(previous_dir), options.sample).absoluteFilePath(), scratch.filePath(sample));
    sample = QStringLiteral("./") + sample;
  }
  struct RestoreDir {
    QString dir;
    ~RestoreDir() { QDir::setCurrent(dir); }
  } restore{previous_dir};
  window.resize(1280, 800);
  settle();
  bool ok = save(&window, out, QStringLiteral("start-page.png"));

  NewProjectDialog* dialog = window.showNewProjectDialog();
  dialog->headerEdit()->setText(options.header.isEmpty() ? QStringLiteral("/usr/include/CL/cl.h") : options.header);
  dialog->definesEdit()->setPlainText(options.defines.isEmpty() ? QStringLiteral("CL_TARGET_OPENCL_VERSION=300")
                                                                : options.defines.join('\n'));
  dialog->docsEdit()->setPlainText(docs.join('\n'));
  dialog->libraryEdit()->setText(QStringLiteral("libOpenCL.so.1"));
  dialog->projectEdit()->setText(QStringLiteral("opencl.remora"));
  ok &= save(dialog, out, QStringLiteral("new-project.png"));

  if (!options.specJson.isEmpty()) {
    dialog->reject();
    if (!window.importSpecJson(QFileInfo(QDir(previous_dir), options.specJson).absoluteFilePath(),
                               QStringLiteral("opencl.remora"))) {
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
  // The source view open at the header line the strongest header evidence points to.
  for (const QString& location : ws->evidencePanel()->locations())
    if (location.contains(QStringLiteral(".h:"))) {
      ws->openSource(location);
      break;
    }
  ok &= save(&window, out, QStringLiteral("review.png"));

  // A struct whose pointer members are reviewed like parameters.
  const ProjectSession* session = window.session();
  for (int i = 0; i < session->rowCount(); ++i)
    if (is_struct_row(session->row(i)) && !session->row(i).params.empty()) {
      ws->controller()->selectFunction(qs(session->row(i).name));
      ws->sourceView()->hide();
      ok &= save(&window, out, QStringLiteral("struct-fields.png"));
      break;
    }
  if (!function.isEmpty()) ws->controller()->select(function, param);

  ws->paramEditor()->sizeEdit()->setFocus();
  // An unfinished expression over the parameter's own size: refused, visibly.
  ws->paramEditor()->sizeEdit()->setText(QStringLiteral("min(%1, ").arg(ws->paramEditor()->sizeEdit()->text()));
  ws->applyEdit();
  ok &= save(&window, out, QStringLiteral("param-editor-error.png"));
  ws->paramEditor()->showItem(ws->controller()->currentFunction(), ws->controller()->currentParam());

  window.showGenerateDialog();
  settle();
  if (auto* generate = window.findChild<GenerateDialog*>()) {
    generate->sampleBox()->setChecked(!sample.isEmpty());
    generate->sampleEdit()->setText(sample);
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
    trace->programEdit()->setText(sample);
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
