// "Generate": write the remoting stack with `remora generate`, build it with
// CMake, optionally run a sample program against it, all with the output
// streamed into a log pane and a cancel button.
#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace remora::studio {

class ProcessPipeline;
class ProjectSession;

class GenerateDialog : public QDialog {
  Q_OBJECT

 public:
  GenerateDialog(ProjectSession* session, QWidget* parent = nullptr);

  QLineEdit* outputEdit() const { return output_; }
  QCheckBox* buildBox() const { return build_; }
  QCheckBox* sampleBox() const { return sample_; }
  QLineEdit* sampleEdit() const { return sample_program_; }
  QPushButton* runButton() const { return run_; }
  QLabel* statusLabel() const { return status_; }
  QPlainTextEdit* log() const { return log_; }
  void start();

 private:
  void setStatus(const QString& text, bool error);

  ProjectSession* session_;
  QLineEdit* output_;
  QCheckBox* build_;
  QCheckBox* sample_;
  QLineEdit* sample_program_;
  QLineEdit* sample_args_;
  QLineEdit* library_;
  QLabel* status_;
  QPlainTextEdit* log_;
  QPushButton* run_;
  QPushButton* cancel_;
  ProcessPipeline* pipeline_;
};

}  // namespace remora::studio
