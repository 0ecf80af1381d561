#include "process_pipeline.h"

#include <QDir>
#include <QFileInfo>

#include <QPointer>
#include <QTimer>

namespace remora::studio {

ProcessPipeline::ProcessPipeline(QObject* parent) : QObject(parent) {}

ProcessPipeline::~ProcessPipeline() {
  if (process_) {
    process_->disconnect(this);
    process_->kill();
    process_->waitForFinished(2000);
  }
}

void ProcessPipeline::start(QList<ProcessStep> steps) {
  if (running_) return;
  steps_ = std::move(steps);
  current_ = -1;
  cancelled_ = false;
  running_ = true;
  startNext();
}

void ProcessPipeline::cancel() {
  if (!running_) return;
  cancelled_ = true;
  if (!process_) return;
  // SIGTERM first so a step can clean up (the sample step stops its server).
  process_->terminate();
  QPointer<QProcess> running(process_);
  QTimer::singleShot(2000, this, [running] {
    if (running) running->kill();
  });
}

void ProcessPipeline::startNext() {
  if (++current_ >= steps_.size()) return finish(true, QStringLiteral("Done."));
  const ProcessStep& step = steps_[current_];
  emit stepStarted(current_, static_cast<int>(steps_.size()), step.title);
  if (step.prepare) {
    const QString problem = step.prepare();
    if (!problem.isEmpty()) return finish(false, problem);
  }
  // The command as a person would type it in the step's folder: the program by
  // name, paths under that folder relative to it (no machine paths in the log).
  const QDir here(step.workingDirectory);
  auto shorten = [&](const QString& a) {
    if (step.workingDirectory.isEmpty() || !QDir::isAbsolutePath(a)) return a;
    const QString relative = here.relativeFilePath(a);
    return relative.startsWith(QStringLiteral("..")) ? a : relative;
  };
  QStringList shown;
  for (const QString& a : step.arguments)
    shown << (a.contains(QLatin1Char('\n'))   ? QStringLiteral("'<script>'")
              : a.contains(QLatin1Char(' ')) ? QStringLiteral("'%1'").arg(shorten(a))
                                             : shorten(a));
  emit output(QStringLiteral("$ %1 %2\n").arg(QFileInfo(step.program).fileName(), shown.join(QLatin1Char(' '))));
  process_ = new QProcess(this);
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setProcessEnvironment(step.environment);
  if (!step.workingDirectory.isEmpty()) process_->setWorkingDirectory(step.workingDirectory);
  connect(process_, &QProcess::readyReadStandardOutput, this,
          [this] { emit output(QString::fromLocal8Bit(process_->readAllStandardOutput())); });
  connect(process_, &QProcess::finished, this, &ProcessPipeline::onFinished);
  connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;  // crashes arrive through finished()
    const QString what = steps_[current_].program;
    process_->deleteLater();
    process_ = nullptr;
    finish(false, QStringLiteral("Could not start %1: not found or not executable.").arg(what));
  });
  process_->start(step.program, step.arguments);
}

void ProcessPipeline::onFinished(int exitCode, QProcess::ExitStatus status) {
  const QString rest = QString::fromLocal8Bit(process_->readAllStandardOutput());
  if (!rest.isEmpty()) emit output(rest);
  process_->deleteLater();
  process_ = nullptr;
  const QString title = steps_[current_].title;
  if (cancelled_) return finish(false, QStringLiteral("Cancelled during: %1.").arg(title));
  if (status == QProcess::CrashExit)
    return finish(false, QStringLiteral("%1 crashed (see the log above).").arg(title));
  if (exitCode != 0)
    return finish(false, QStringLiteral("%1 failed with exit code %2 (see the log above).").arg(title).arg(exitCode));
  startNext();
}

void ProcessPipeline::finish(bool ok, const QString& message) {
  running_ = false;
  emit finished(ok, message);
}

}  // namespace remora::studio
