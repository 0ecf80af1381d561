#include "trace_dialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "process_pipeline.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "tool_locator.h"

namespace remora::studio {

TraceDialog::TraceDialog(ProjectSession* session, QWidget* parent)
    : QDialog(parent),
      session_(session),
      program_(new QLineEdit),
      arguments_(new QLineEdit),
      trace_(new QLineEdit),
      status_(new QLabel),
      calls_(new QLabel),
      log_(new QPlainTextEdit),
      run_(new QPushButton(tr("Run trace"))),
      cancel_(new QPushButton(tr("Cancel"))),
      pipeline_(new ProcessPipeline(this)) {
  setWindowTitle(tr("Trace a sample program"));
  setObjectName(QStringLiteral("traceDialog"));
  program_->setPlaceholderText(tr("a program that uses the API"));
  arguments_->setPlaceholderText(tr("its arguments"));
  const QFileInfo project(session_->path());
  // Relative to the project's folder (where the trace runs): short, and no machine path on screen.
  trace_->setText(QStringLiteral("%1-trace-%2.db")
                      .arg(project.completeBaseName(),
                           QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
  status_->setWordWrap(true);
  status_->setObjectName(QStringLiteral("traceStatus"));
  calls_->setObjectName(QStringLiteral("traceCalls"));
  log_->setReadOnly(true);
  log_->setFont(QFont(QStringLiteral("monospace")));
  log_->setMinimumHeight(180);
  cancel_->setEnabled(false);

  auto* browse = new QPushButton(tr("Browse…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Program to trace"), program_->text());
    if (!path.isEmpty()) program_->setText(path);
  });
  auto* program_row = new QHBoxLayout;
  program_row->addWidget(program_, 1);
  program_row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Program"), program_row);
  form->addRow(tr("Arguments"), arguments_);
  form->addRow(tr("Trace file"), trace_);

  auto* buttons = new QDialogButtonBox;
  buttons->addButton(run_, QDialogButtonBox::ActionRole);
  buttons->addButton(cancel_, QDialogButtonBox::ActionRole);
  buttons->addButton(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(run_, &QPushButton::clicked, this, &TraceDialog::start);
  connect(cancel_, &QPushButton::clicked, pipeline_, &ProcessPipeline::cancel);
  connect(pipeline_, &ProcessPipeline::output, this, &TraceDialog::onOutput);
  connect(pipeline_, &ProcessPipeline::finished, this, &TraceDialog::onFinished);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(status_);
  layout->addWidget(calls_);
  layout->addWidget(log_, 1);
  layout->addWidget(buttons);
  resize(760, 480);
}

void TraceDialog::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

QString TraceDialog::tracePath() const {
  const QString text = trace_->text().trimmed();
  return QDir::cleanPath(QFileInfo(session_->path()).absoluteDir().absoluteFilePath(text));
}

void TraceDialog::start() {
  const QString program = program_->text().trimmed().isEmpty()
                              ? QString()
                              : QFileInfo(program_->text().trimmed()).absoluteFilePath();
  if (program.isEmpty()) return setStatus(tr("Choose the program to trace."), true);
  const QString cli = find_remora_cli();
  if (cli.isEmpty()) return setStatus(remora_cli_missing_message(), true);
  const QString trace = tracePath();
  const QString spec_json = QDir(QFileInfo(trace).absolutePath()).filePath(QFileInfo(trace).completeBaseName() + ".spec.json");
  output_.clear();
  log_->clear();
  calls_->clear();

  ProcessStep step;
  step.title = tr("Tracing %1").arg(QFileInfo(program).fileName());
  step.program = cli;
  // Run in the project's folder: the trace and its spec sit there, and the log
  // shows them relative to it.
  step.workingDirectory = QFileInfo(session_->path()).absolutePath();
  // `remora trace --spec SPEC -o DB [-I DIR] [-D DEF] -- PROGRAM ARGS`; the
  // interposer is built with the project's include dirs and defines.
  step.arguments = {QStringLiteral("trace"), QStringLiteral("--spec"), spec_json, QStringLiteral("-o"), trace};
  for (const auto& dir : session_->settings().include_dirs)
    step.arguments << QStringLiteral("--include") << QString::fromStdString(dir);
  for (const auto& define : session_->settings().defines)
    step.arguments << QStringLiteral("--define") << QString::fromStdString(define);
  step.arguments << QStringLiteral("--") << program;
  step.arguments += QProcess::splitCommand(arguments_->text());
  auto* session = session_;
  step.prepare = [session, spec_json]() -> QString {
    try {
      spec::save_spec_file(session->spec(), spec_json.toStdString());
    } catch (const std::exception& e) {
      return tr("Could not write the spec for the tracer: %1").arg(QString::fromUtf8(e.what()));
    }
    return {};
  };
  setStatus(tr("Running %1 under the interposer…").arg(program), false);
  run_->setEnabled(false);
  cancel_->setEnabled(true);
  pipeline_->start({step});
}

void TraceDialog::showReinferenceResult(const QString& text, bool ok) { setStatus(text, !ok); }

void TraceDialog::onOutput(const QString& text) {
  output_ += text;
  log_->moveCursor(QTextCursor::End);
  log_->insertPlainText(text);
  log_->moveCursor(QTextCursor::End);
  // The tracer reports "N calls recorded"; show the latest count.
  static const QRegularExpression calls(QStringLiteral("(\\d+)\\s+calls?\\b"));
  auto it = calls.globalMatch(text);
  QString last;
  while (it.hasNext()) last = it.next().captured(1);
  if (!last.isEmpty()) calls_->setText(tr("Calls recorded: %1").arg(last));
}

void TraceDialog::onFinished(bool ok, const QString& message) {
  run_->setEnabled(true);
  cancel_->setEnabled(false);
  if (!ok) {
    QString text = tr("Trace failed: %1").arg(message);
    if (output_.contains(QStringLiteral("not yet supported")))
      text += tr("\nThis build's `remora trace` is not implemented yet (the trace collector lands separately). "
                 "Nothing in the project was changed.");
    return setStatus(text, true);
  }
  if (!QFileInfo::exists(tracePath()))
    return setStatus(tr("The tracer finished but wrote no trace file at %1.").arg(trace_->text()), true);
  setStatus(tr("Trace recorded. Re-running inference with it…"), false);
  emit traceRecorded(tracePath());
}

}  // namespace remora::studio
