// Runs external commands one after another (remora generate, cmake, a sample
// program) with their output streamed to the UI and a cancel that kills the
// running one. QProcess is asynchronous: the UI thread never waits on a child.
#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <functional>

namespace remora::studio {

struct ProcessStep {
  QString title;    // "Generating the stack"
  QString program;  // absolute path or a name on PATH
  QStringList arguments;
  QString workingDirectory;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  // Runs just before the step starts; returning a non-empty message fails the pipeline.
  std::function<QString()> prepare;
};

class ProcessPipeline : public QObject {
  Q_OBJECT

 public:
  explicit ProcessPipeline(QObject* parent = nullptr);
  ~ProcessPipeline() override;

  void start(QList<ProcessStep> steps);
  void cancel();
  bool isRunning() const { return running_; }

 signals:
  void stepStarted(int index, int count, const QString& title);
  void output(const QString& text);
  // ok: every step exited with status 0. message: what failed and why.
  void finished(bool ok, const QString& message);

 private:
  void startNext();
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void finish(bool ok, const QString& message);
  QString relative(QString text) const;  // paths under the step's folder, relative to it

  QList<ProcessStep> steps_;
  int current_ = -1;
  bool running_ = false;
  bool cancelled_ = false;
  QProcess* process_ = nullptr;
};

}  // namespace remora::studio
