#include "main_window.h"

#include <QUndoStack>

#include <QAction>
#include <algorithm>
#include <cstdio>
#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QToolButton>

#include "annotation_text.h"
#include "function_list_panel.h"
#include "generate_dialog.h"
#include "inference_job.h"
#include "project_session.h"
#include "recent_projects.h"
#include "remora/spec/json_io.h"
#include "review_controller.h"
#include "review_state.h"
#include "review_workspace.h"
#include "spec_merge.h"
#include "start_page.h"
#include "trace_dialog.h"

namespace remora::studio {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      stack_(new QStackedWidget),
      start_(new StartPage),
      workspace_(new ReviewWorkspace),
      job_(new InferenceJob(this)),
      busy_label_(new QLabel),
      busy_bar_(new QProgressBar),
      cancel_button_(new QToolButton) {
  setObjectName(QStringLiteral("mainWindow"));
  stack_->addWidget(start_);
  stack_->addWidget(workspace_);
  setCentralWidget(stack_);
  busy_bar_->setMaximumWidth(220);
  busy_bar_->setTextVisible(false);
  cancel_button_->setText(tr("Cancel"));
  cancel_button_->setToolTip(tr("Cancel the background work (Esc)"));
  statusBar()->addPermanentWidget(busy_label_);
  statusBar()->addPermanentWidget(busy_bar_);
  statusBar()->addPermanentWidget(cancel_button_);
  clearBusy();
  createActions();

  connect(start_, &StartPage::newProjectRequested, this, [this] { showNewProjectDialog(); });
  connect(start_, &StartPage::openProjectRequested, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                      tr("Remora projects (*.remora);;All files (*)"));
    if (!path.isEmpty()) openProject(path);
  });
  connect(start_, &StartPage::importSpecRequested, this, [this] { action("actionImport")->trigger(); });
  connect(start_, &StartPage::recentProjectRequested, this, &MainWindow::openProject);
  connect(workspace_, &ReviewWorkspace::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 6000); });
  connect(cancel_button_, &QToolButton::clicked, this, &MainWindow::cancelBackgroundWork);
  connect(job_, &InferenceJob::progress, this, [this](const QString& stage, qint64 done, qint64 total) {
    busy_label_->setText(total > 0 ? tr("%1 (%2/%3)").arg(stage).arg(done).arg(total) : stage);
    busy_bar_->setRange(0, total > 0 ? 1000 : 0);
    if (total > 0) busy_bar_->setValue(static_cast<int>(1000 * done / total));
  });
  updateActions();
  updateTitle();
  resize(1280, 800);
}

MainWindow::~MainWindow() {
  job_->cancel();
  session_.reset();  // flushes pending saves
}

QAction* MainWindow::action(const QString& name) const { return findChild<QAction*>(name); }

void MainWindow::createActions() {
  auto make = [this](QMenu* menu, const QString& name, const QString& text, QList<QKeySequence> keys,
                     auto slot, bool needs_project) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    a->setShortcuts(keys);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, slot);
    menu->addAction(a);
    if (needs_project) project_actions_ << a;
    return a;
  };
  QMenu* file = menuBar()->addMenu(tr("&File"));
  make(file, "actionNew", tr("&New Project…"), {QKeySequence::New}, [this] { showNewProjectDialog(); }, false);
  make(file, "actionOpen", tr("&Open Project…"), {QKeySequence::Open}, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), QString(),
                                                      tr("Remora projects (*.remora);;All files (*)"));
    if (!path.isEmpty()) openProject(path);
  }, false);
  make(file, "actionImport", tr("&Import Spec JSON…"), {}, [this] {
    const QString json = QFileDialog::getOpenFileName(this, tr("Import spec JSON"), QString(),
                                                      tr("Remora specs (*.json);;All files (*)"));
    if (json.isEmpty()) return;
    const QFileInfo info(json);
    const QString project = QFileDialog::getSaveFileName(
        this, tr("Save the imported spec as a project"), info.absoluteDir().filePath(info.completeBaseName() + ".remora"),
        tr("Remora projects (*.remora)"));
    if (!project.isEmpty()) importSpecJson(json, project);
  }, false);
  make(file, "actionExport", tr("&Export Spec JSON…"), {}, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export spec JSON"), QString(), tr("JSON (*.json)"));
    if (!path.isEmpty()) exportSpecJson(path);
  }, true);
  make(file, "actionSave", tr("&Save"), {QKeySequence::Save}, [this] { saveProject(); }, true);
  make(file, "actionClose", tr("&Close Project"), {QKeySequence::Close}, [this] { closeProject(); }, true);
  file->addSeparator();
  make(file, "actionQuit", tr("&Quit"), {QKeySequence::Quit}, [this] { close(); }, false);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  make(edit, "actionUndo", tr("&Undo"), {QKeySequence::Undo}, [this] {
    if (session_) session_->undoStack()->undo();
  }, true);
  make(edit, "actionRedo", tr("&Redo"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)}, [this] {
    if (session_) session_->undoStack()->redo();
  }, true);
  make(edit, "actionFind", tr("&Find Function"), {QKeySequence::Find}, [this] {
    workspace_->functionList()->searchBox()->setFocus();
    workspace_->functionList()->searchBox()->selectAll();
  }, true);

  QMenu* review = menuBar()->addMenu(tr("&Review"));
  make(review, "actionNext", tr("&Next Needing Review"), {QKeySequence(Qt::Key_J), QKeySequence(Qt::Key_F8)},
       [this] { workspace_->controller()->next(); }, true);
  make(review, "actionPrevious", tr("&Previous Needing Review"),
       {QKeySequence(Qt::Key_K), QKeySequence(Qt::SHIFT | Qt::Key_F8)},
       [this] { workspace_->controller()->previous(); }, true);
  make(review, "actionConfirm", tr("&Confirm"),
       {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)},
       [this] { workspace_->confirmCurrent(); }, true);
  make(review, "actionEdit", tr("&Edit Annotation"), {QKeySequence(Qt::Key_E)}, [this] { workspace_->editCurrent(); },
       true);
  make(review, "actionApply", tr("&Apply Edit"), {QKeySequence(Qt::CTRL | Qt::Key_E)}, [this] { workspace_->applyEdit(); },
       true);
  make(review, "actionRevert", tr("&Revert to Inferred"), {QKeySequence(Qt::CTRL | Qt::Key_R)},
       [this] { workspace_->revertCurrent(); }, true);
  review->addSeparator();
  make(review, "actionConfirmFunction", tr("Confirm All Above Threshold in &Function"),
       {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return)}, [this] {
         const QString f = workspace_->controller()->currentFunction();
         if (!f.isEmpty()) workspace_->controller()->confirmAboveThreshold({f});
       }, true);
  make(review, "actionConfirmFiltered", tr("Confirm All Above Threshold in the F&ilter"), {}, [this] {
    workspace_->controller()->confirmAboveThreshold(workspace_->functionList()->visibleFunctions());
  }, true);

  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  make(tools, "actionTrace", tr("&Trace a Sample…"), {QKeySequence(Qt::CTRL | Qt::Key_T)}, [this] { showTraceDialog(); },
       true);
  make(tools, "actionGenerate", tr("&Generate…"), {QKeySequence(Qt::CTRL | Qt::Key_G)}, [this] { showGenerateDialog(); },
       true);
  make(tools, "actionCancel", tr("&Cancel Background Work"), {QKeySequence(Qt::Key_Escape)},
       [this] { cancelBackgroundWork(); }, false);
}

void MainWindow::updateActions() {
  for (QAction* a : project_actions_) a->setEnabled(session_ != nullptr);
  // Undo and Redo name what they would undo ("Undo Confirm clFoo.size").
  const QUndoStack* stack = session_ ? session_->undoStack() : nullptr;
  const QString undo = stack ? stack->undoText() : QString(), redo = stack ? stack->redoText() : QString();
  action("actionUndo")->setText(undo.isEmpty() ? tr("&Undo") : tr("&Undo %1").arg(undo));
  action("actionRedo")->setText(redo.isEmpty() ? tr("&Redo") : tr("&Redo %1").arg(redo));
  action("actionUndo")->setEnabled(stack && stack->canUndo());
  action("actionRedo")->setEnabled(stack && stack->canRedo());
}

void MainWindow::updateTitle() {
  QString title = tr("Remora Studio");
  if (session_) {
    title = QStringLiteral("%1%2 — %3")
                .arg(QFileInfo(session_->path()).fileName(), session_->isDirty() ? QStringLiteral("*") : QString(), title);
  }
  setWindowTitle(title);
}

void MainWindow::showError(const QString& title, const QString& text) {
  last_error_ = text;
  statusBar()->showMessage(text, 10000);
  // Non-blocking, so background work and tests keep running.
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setObjectName(QStringLiteral("errorBox"));
  box->open();
}

void MainWindow::setSession(std::unique_ptr<ProjectSession> session) {
  workspace_->setSession(nullptr);
  session_ = std::move(session);
  if (session_) {
    connect(session_.get(), &ProjectSession::dirtyChanged, this, &MainWindow::updateTitle);
    connect(session_->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
    connect(session_.get(), &ProjectSession::functionChanged, this, &MainWindow::updateTitle);
    connect(session_.get(), &ProjectSession::specReset, this, &MainWindow::updateTitle);
    connect(session_.get(), &ProjectSession::saved, this, [this](bool ok, const QString& message) {
      if (ok) statusBar()->showMessage(tr("Saved %1").arg(session_->path()), 3000);
      else showError(tr("Could not save"), tr("The project was not saved: %1\nYour changes are kept in memory; "
                                              "fix the problem (disk space, permissions) and save again.")
                                               .arg(message));
    });
    add_recent_project(session_->path());
    workspace_->setSession(session_.get());
    stack_->setCurrentWidget(workspace_);
    workspace_->functionList()->table()->setFocus();
  } else {
    stack_->setCurrentWidget(start_);
    start_->refreshRecent();
  }
  updateActions();
  updateTitle();
  if (session_) emit projectOpened();
}

bool MainWindow::openProject(const QString& path) {
  if (!QFileInfo(path).isFile()) {
    showError(tr("Cannot open project"), tr("%1 does not exist. Create a new project or pick another file.").arg(path));
    remove_recent_project(path);
    start_->refreshRecent();
    return false;
  }
  try {
    setSession(ProjectSession::open(path));
    statusBar()->showMessage(tr("Opened %1").arg(path), 4000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot open project"), QString::fromUtf8(e.what()));
    return false;
  }
}

bool MainWindow::importSpecJson(const QString& jsonPath, const QString& projectPath) {
  const spec::SpecLoad load = spec::load_spec_file(jsonPath.toStdString());
  if (!load.ok()) {
    QString issues;
    for (const auto& issue : load.errors) issues += QString::fromStdString(spec::format_issue(issue)) + "\n";
    showError(tr("Cannot import spec"), tr("%1 is not a usable remora-spec/1 document:\n%2").arg(jsonPath, issues));
    return false;
  }
  try {
    spec::ProjectSettings settings;
    if (!load.spec.api.headers.empty()) settings.header = load.spec.api.headers.front();
    settings.include_dirs = load.spec.api.include_dirs;
    settings.defines = load.spec.api.defines;
    settings.library = load.spec.api.library;
    QFile::remove(projectPath);  // an import starts a fresh project at that path
    setSession(ProjectSession::create(projectPath, settings, load.spec));
    statusBar()->showMessage(tr("Imported %1 (%2 warnings)").arg(jsonPath).arg(load.warnings.size()), 5000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot import spec"), QString::fromUtf8(e.what()));
    return false;
  }
}

NewProjectDialog* MainWindow::showNewProjectDialog(const QString& header) {
  auto* dialog = new NewProjectDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  if (!header.isEmpty()) dialog->headerEdit()->setText(QFileInfo(header).absoluteFilePath());
  connect(dialog, &QDialog::accepted, this, [this, dialog] { startNewProject(dialog->request()); });
  dialog->open();
  return dialog;
}

bool MainWindow::isBusy() const { return job_->isRunning(); }

void MainWindow::setBusy(const QString& text) {
  busy_label_->setText(text);
  busy_bar_->setRange(0, 0);
  for (QWidget* w : {static_cast<QWidget*>(busy_label_), static_cast<QWidget*>(busy_bar_),
                     static_cast<QWidget*>(cancel_button_)})
    w->show();
}

void MainWindow::clearBusy() {
  busy_label_->hide();
  busy_bar_->hide();
  cancel_button_->hide();
}

void MainWindow::cancelBackgroundWork() {
  if (!job_->isRunning()) return;
  job_->cancel();
  busy_label_->setText(tr("Cancelling…"));
}

void MainWindow::startNewProject(const NewProjectRequest& request) {
  if (isBusy()) return showError(tr("Busy"), tr("Wait for the running job to finish, or cancel it (Esc)."));
  setBusy(tr("Inferring %1…").arg(QFileInfo(QString::fromStdString(request.settings.header)).fileName()));
  job_->disconnect(this, nullptr);
  connect(job_, &InferenceJob::progress, this, [this](const QString& stage, qint64 done, qint64 total) {
    busy_label_->setText(total > 0 ? tr("%1 (%2/%3)").arg(stage).arg(done).arg(total) : stage);
    busy_bar_->setRange(0, total > 0 ? 1000 : 0);
    if (total > 0) busy_bar_->setValue(static_cast<int>(1000 * done / total));
  });
  connect(job_, &InferenceJob::finished, this, [this, request] { onNewProjectInferred(request); });
  // The new project file is written on the worker too; the UI thread only adopts it.
  job_->start(request.settings, request.apiName, [request](InferOutcome& outcome) {
    const std::string path = request.projectPath.toStdString();
    std::remove(path.c_str());  // the dialog chose this path for a new project
    outcome.store = spec::ProjectStore::open(path);
    outcome.store->save_settings(request.settings);
    outcome.store->save_spec(outcome.spec);
  });
}

void MainWindow::onNewProjectInferred(const NewProjectRequest& request) {
  clearBusy();
  InferOutcome outcome = job_->takeOutcome();
  if (!outcome.ok) {
    if (!outcome.cancelled) showError(tr("Inference failed"), outcome.error);
    else statusBar()->showMessage(outcome.error, 5000);
    emit backgroundFinished(false);
    return;
  }
  int warnings = 0;
  for (const auto& d : outcome.diagnostics) warnings += d.severity != spec::Diagnostic::Severity::Note;
  try {
    const int functions = static_cast<int>(outcome.spec.functions.size());
    setSession(ProjectSession::adopt(request.projectPath, std::move(outcome.store), request.settings,
                                     std::move(outcome.spec)));
    statusBar()->showMessage(tr("Inferred %1 functions (%2 warnings). J / F8 jumps to the next annotation needing review.")
                                 .arg(functions)
                                 .arg(warnings),
                             8000);
    emit backgroundFinished(true);
  } catch (const std::exception& e) {
    showError(tr("Cannot create project"), QString::fromUtf8(e.what()));
    emit backgroundFinished(false);
  }
}

void MainWindow::reinferWithTrace(const QString& traceDb) {
  if (!session_) return;
  if (isBusy()) return showError(tr("Busy"), tr("Wait for the running job to finish, or cancel it (Esc)."));
  spec::ProjectSettings settings = session_->settings();
  if (std::find(settings.traces.begin(), settings.traces.end(), traceDb.toStdString()) == settings.traces.end())
    settings.traces.push_back(traceDb.toStdString());
  session_->setSettings(settings);
  setBusy(tr("Re-inferring with %1…").arg(QFileInfo(traceDb).fileName()));
  job_->disconnect(this, nullptr);
  connect(job_, &InferenceJob::progress, this, [this](const QString& stage, qint64 done, qint64 total) {
    busy_label_->setText(total > 0 ? tr("%1 (%2/%3)").arg(stage).arg(done).arg(total) : stage);
  });
  connect(job_, &InferenceJob::finished, this, [this, traceDb] { onTraceInferred(traceDb); });
  job_->start(settings, qs(session_->spec().api.name));
}

void MainWindow::onTraceInferred(const QString& traceDb) {
  clearBusy();
  InferOutcome outcome = job_->takeOutcome();
  if (!outcome.ok || !session_) {
    if (!outcome.cancelled) showError(tr("Re-inference failed"), outcome.error);
    emit backgroundFinished(false);
    return;
  }
  // A docs folder or trace that is gone keeps its evidence; the user hears which.
  const QStringList missing =
      keep_evidence_of_missing_sources(session_->settings(), session_->spec(), session_->path(), outcome.spec);
  spec::keep_human_decisions(session_->spec(), outcome.spec);
  QSet<QString> changed = changed_annotations(session_->spec(), outcome.spec);
  const int count = static_cast<int>(changed.size());
  session_->replaceSpec(std::move(outcome.spec), std::move(changed));
  if (count > 0) workspace_->functionList()->showChangedByTrace();
  QString message = tr("The trace %1 changed %2 annotation(s); they are highlighted (filter: Changed by trace).")
                        .arg(QFileInfo(traceDb).fileName())
                        .arg(count);
  if (!missing.isEmpty()) message += QLatin1Char(' ') + missing.join(QLatin1Char(' '));
  statusBar()->showMessage(message, missing.isEmpty() ? 10000 : 0);
  emit backgroundFinished(true);
}

void MainWindow::showTraceDialog() {
  if (!session_) return;
  auto* dialog = new TraceDialog(session_.get(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &TraceDialog::traceRecorded, this, &MainWindow::reinferWithTrace);
  connect(this, &MainWindow::backgroundFinished, dialog, [this, dialog](bool ok) {
    dialog->showReinferenceResult(
        ok && session_ ? tr("Inference re-run with the trace: %1 annotation(s) changed; they are highlighted in the list.")
                             .arg(session_->changedAnnotations().size())
                       : tr("Re-running inference with the trace failed: %1").arg(last_error_),
        ok);
  });
  connect(this, &MainWindow::projectOpened, dialog, &QDialog::close);
  dialog->show();
}

void MainWindow::showGenerateDialog() {
  if (!session_) return;
  auto* dialog = new GenerateDialog(session_.get(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(this, &MainWindow::projectOpened, dialog, &QDialog::close);
  dialog->show();
}

void MainWindow::saveProject() {
  if (session_) session_->save();
}

bool MainWindow::exportSpecJson(const QString& path) {
  if (!session_) return false;
  try {
    spec::save_spec_file(session_->spec(), path.toStdString());
    statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
    return true;
  } catch (const std::exception& e) {
    showError(tr("Cannot export"), QString::fromUtf8(e.what()));
    return false;
  }
}

void MainWindow::closeProject() {
  for (QDialog* d : findChildren<QDialog*>()) d->close();
  setSession(nullptr);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  job_->cancel();
  if (session_) {
    session_->save();
    session_->flush();
  }
  event->accept();
}

}  // namespace remora::studio
