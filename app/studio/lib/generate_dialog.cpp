#include "generate_dialog.h"

#include <QCheckBox>
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
#include <QStandardPaths>
#include <QVBoxLayout>

#include "process_pipeline.h"
#include "project_session.h"
#include "remora/spec/json_io.h"
#include "tool_locator.h"

namespace remora::studio {

GenerateDialog::GenerateDialog(ProjectSession* session, QWidget* parent)
    : QDialog(parent),
      session_(session),
      output_(new QLineEdit),
      build_(new QCheckBox(tr("Build the generated project with CMake"))),
      sample_(new QCheckBox(tr("Then run a sample program through the guest library"))),
      sample_program_(new QLineEdit),
      sample_args_(new QLineEdit),
      library_(new QLineEdit),
      status_(new QLabel),
      log_(new QPlainTextEdit),
      run_(new QPushButton(tr("Generate"))),
      cancel_(new QPushButton(tr("Cancel"))),
      pipeline_(new ProcessPipeline(this)) {
  setWindowTitle(tr("Generate the remoting stack"));
  setObjectName(QStringLiteral("generateDialog"));
  const QFileInfo project(session_->path());
  // Relative to the project's folder (absolute paths work too): no machine path on screen.
  output_->setText(project.completeBaseName() + QStringLiteral("-stack"));
  build_->setChecked(true);
  sample_program_->setPlaceholderText(tr("a program that uses the API"));
  sample_args_->setPlaceholderText(tr("its arguments"));
  // The API server loads the real library by path.
  const QString soname = QString::fromStdString(session_->spec().api.library);
  const QString resolved = resolve_library_path(soname);
  library_->setText(resolved.isEmpty() ? soname : resolved);
  library_->setPlaceholderText(tr("the real vendor library the API server loads (default: the spec's library)"));
  for (QWidget* w : {static_cast<QWidget*>(sample_program_), static_cast<QWidget*>(sample_args_),
                     static_cast<QWidget*>(library_)}) {
    w->setEnabled(false);
    connect(sample_, &QCheckBox::toggled, w, &QWidget::setEnabled);
  }
  status_->setWordWrap(true);
  status_->setObjectName(QStringLiteral("generateStatus"));
  log_->setReadOnly(true);
  log_->setObjectName(QStringLiteral("generateLog"));
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  log_->setFont(mono);
  log_->setMinimumHeight(200);
  log_->setPlaceholderText(tr("The output of remora generate, cmake and the sample program appears here."));
  cancel_->setEnabled(false);

  auto* browse = new QPushButton(tr("Browse…"));
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Output folder"), output_->text());
    if (!dir.isEmpty()) output_->setText(dir);
  });
  auto* out_row = new QHBoxLayout;
  out_row->addWidget(output_, 1);
  out_row->addWidget(browse);
  auto* form = new QFormLayout;
  form->addRow(tr("Output folder"), out_row);
  form->addRow(QString(), build_);
  form->addRow(QString(), sample_);
  form->addRow(tr("Sample program"), sample_program_);
  form->addRow(tr("Arguments"), sample_args_);
  form->addRow(tr("Real library"), library_);

  auto* buttons = new QDialogButtonBox;
  buttons->addButton(run_, QDialogButtonBox::ActionRole);
  buttons->addButton(cancel_, QDialogButtonBox::ActionRole);
  buttons->addButton(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(run_, &QPushButton::clicked, this, &GenerateDialog::start);
  connect(cancel_, &QPushButton::clicked, pipeline_, &ProcessPipeline::cancel);
  connect(pipeline_, &ProcessPipeline::stepStarted, this, [this](int index, int count, const QString& title) {
    setStatus(tr("Step %1 of %2: %3…").arg(index + 1).arg(count).arg(title), false);
  });
  connect(pipeline_, &ProcessPipeline::output, this, [this](const QString& text) {
    log_->moveCursor(QTextCursor::End);
    log_->insertPlainText(text);
    log_->moveCursor(QTextCursor::End);
  });
  connect(pipeline_, &ProcessPipeline::finished, this, [this](bool ok, const QString& message) {
    run_->setEnabled(true);
    cancel_->setEnabled(false);
    setStatus(ok ? tr("Done: the stack is in %1.").arg(output_->text()) : message, !ok);
  });

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(status_);
  layout->addWidget(log_, 1);
  layout->addWidget(buttons);
  resize(820, 560);
}

void GenerateDialog::setStatus(const QString& text, bool error) {
  status_->setText(text);
  status_->setStyleSheet(error ? QStringLiteral("color: #b00020; font-weight: bold;") : QString());
}

void GenerateDialog::start() {
  const QString cli = find_remora_cli();
  if (cli.isEmpty()) return setStatus(remora_cli_missing_message(), true);
  if (output_->text().trimmed().isEmpty()) return setStatus(tr("Choose an output folder."), true);
  if (sample_->isChecked() && sample_program_->text().trimmed().isEmpty())
    return setStatus(tr("Choose the sample program to run, or untick the sample step."), true);
  const QString out =
      QDir::cleanPath(QFileInfo(session_->path()).absoluteDir().absoluteFilePath(output_->text().trimmed()));
  const QString real_library = resolve_library_path(library_->text().trimmed());
  if (sample_->isChecked() && real_library.isEmpty())
    return setStatus(tr("The real vendor library '%1' was not found; give its path (e.g. "
                        "/usr/lib/x86_64-linux-gnu/libOpenCL.so.1) so the API server can load it.")
                         .arg(library_->text().trimmed()),
                     true);
  const QString spec_json = QDir(out).filePath(QStringLiteral("spec.json"));
  const QString build = QDir(out).filePath(QStringLiteral("build"));

  QList<ProcessStep> steps;
  ProcessStep generate;
  generate.title = tr("remora generate");
  generate.program = cli;
  generate.arguments = {QStringLiteral("generate"), QStringLiteral("--spec"), spec_json, QStringLiteral("-o"), out};
  auto* session = session_;
  generate.prepare = [session, out, spec_json]() -> QString {
    if (!QDir().mkpath(out)) return tr("Could not create the output folder %1.").arg(out);
    try {
      spec::save_spec_file(session->spec(), spec_json.toStdString());
    } catch (const std::exception& e) {
      return tr("Could not write %1: %2").arg(spec_json, QString::fromUtf8(e.what()));
    }
    return {};
  };
  steps << generate;
  if (build_->isChecked()) {
    ProcessStep configure;
    configure.title = tr("cmake configure");
    configure.program = QStringLiteral("cmake");
    configure.arguments = {QStringLiteral("-S"), out, QStringLiteral("-B"), build};
    if (!QStandardPaths::findExecutable(QStringLiteral("ninja")).isEmpty())
      configure.arguments << QStringLiteral("-G") << QStringLiteral("Ninja");
    steps << configure;
    ProcessStep compile;
    compile.title = tr("cmake build");
    compile.program = QStringLiteral("cmake");
    compile.arguments = {QStringLiteral("--build"), build, QStringLiteral("-j2")};
    steps << compile;
  }
  if (sample_->isChecked()) {
    // Start the generated API server on a private socket, run the sample with
    // the guest library in front of the vendor one, stop the server.
    static const char* kRunThroughStack = R"sh(
build="$1"; lib="$2"; shift 2
server=""
for s in "$build"/server/*-server; do [ -x "$s" ] && server="$s" && break; done
[ -n "$server" ] || { echo "no API server was built in $build/server"; exit 2; }
sock="$build/remora-studio.sock"; rm -f "$sock"
echo "starting $server --listen unix:$sock --lib $lib"
"$server" --listen "unix:$sock" --lib "$lib" & pid=$!
i=0; while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
echo "running $* through the guest library"
REMORA_SERVER="unix:$sock" LD_LIBRARY_PATH="$build/guest${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@" & spid=$!
trap 'kill $spid $pid 2>/dev/null; exit 143' TERM
wait $spid; rc=$?
kill $pid 2>/dev/null; wait $pid 2>/dev/null
echo "sample exited with code $rc"
exit $rc
)sh";
    ProcessStep sample;
    sample.title = tr("running the sample through the generated stack");
    sample.program = QStringLiteral("/bin/sh");
    sample.arguments = {QStringLiteral("-c"), QString::fromLatin1(kRunThroughStack), QStringLiteral("run-sample"), build,
                        real_library, QFileInfo(sample_program_->text().trimmed()).absoluteFilePath()};
    sample.arguments += QProcess::splitCommand(sample_args_->text());
    steps << sample;
  }
  // Every step runs in the project's folder; the log shows paths relative to it.
  for (ProcessStep& step : steps) step.workingDirectory = QFileInfo(session_->path()).absolutePath();
  log_->clear();
  run_->setEnabled(false);
  cancel_->setEnabled(true);
  pipeline_->start(steps);
}

}  // namespace remora::studio
