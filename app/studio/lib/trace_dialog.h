// "Trace a sample": run a program under the `remora trace` interposer, show the
// calls as they are recorded, and hand the trace DB back so the studio can
// re-run inference with it and highlight what changed.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace remora::studio {

class ProcessPipeline;
class ProjectSession;

class TraceDialog : public QDialog {
  Q_OBJECT

 public:
  TraceDialog(ProjectSession* session, QWidget* parent = nullptr);

  QLineEdit* programEdit() const { return program_; }
  QLineEdit* argumentsEdit() const { return arguments_; }
  QLineEdit* traceEdit() const { return trace_; }
  QPushButton* runButton() const { return run_; }
  QLabel* statusLabel() const { return status_; }
  QPlainTextEdit* log() const { return log_; }
  void start();
  // Shown when the re-inference with the trace is done.
  void showReinferenceResult(const QString& text, bool ok);

 signals:
  // The program ran and the trace was written to `traceDb`.
  void traceRecorded(const QString& traceDb);

 private:
  // The trace database: the field's path, relative ones taken from the project's folder.
  QString tracePath() const;
  void onOutput(const QString& text);
  void onFinished(bool ok, const QString& message);
  void setStatus(const QString& text, bool error);

  ProjectSession* session_;
  QLineEdit* program_;
  QLineEdit* arguments_;
  QLineEdit* trace_;
  QLabel* status_;
  QLabel* calls_;
  QPlainTextEdit* log_;
  QPushButton* run_;
  QPushButton* cancel_;
  ProcessPipeline* pipeline_;
  QString output_;  // everything the tool printed (to explain failures)
};

}  // namespace remora::studio
