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
  for (const QString& a : step.arguments) {
    const QString s = shorten(a);
    shown << (s.contains(QLatin1Char('\n'))   ? QStringLiteral("'<script>'")
              : s.contains(QLatin1Char(' ')) ? QStringLiteral("'%1'").arg(s)
                                             : s);
  }
  emit output(QStringLiteral("$ %1 %2\n").arg(QFileInfo(step.program).fileName(), shown.join(QLatin1Char(' '))));
  process_ = new QProcess(this);
  process_->setProcessChannelMode(QProcess::MergedChannels);
  process_->setProcessEnvironment(step.environment);
  if (!step.workingDirectory.isEmpty()) process_->setWorkingDirectory(step.workingDirectory);
  connect(process_, &QProcess::readyReadStandardOutput, this,
          [this] { emit output(relative(QString::fromLocal8Bit(process_->readAllStandardOutput()))); });
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

QString ProcessPipeline::relative(QString text) const {
  // Tools print absolute paths; in the log, paths under the step's folder read
  // relative to it, as the echoed command does (no machine paths on screen).
  const QString folder = current_ >= 0 && current_ < steps_.size() ? steps_[current_].workingDirectory : QString();
  if (folder.isEmpty()) return text;
  const QDir dir(folder);
  text.replace(dir.absolutePath() + QLatin1Char('/'), QString());
  if (const QString real = dir.canonicalPath(); !real.isEmpty()) text.replace(real + QLatin1Char('/'), QString());
  return text;
}

void ProcessPipeline::onFinished(int exitCode, QProcess::ExitStatus status) {
  const QString rest = relative(QString::fromLocal8Bit(process_->readAllStandardOutput()));
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
