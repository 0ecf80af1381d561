// The studio window: the start page or the review workspace, menus with every
// keyboard action, and a status bar with review progress and the progress and
// cancel of background work (inference, tracing).
#pragma once

#include <QMainWindow>
#include <memory>

#include "new_project_dialog.h"

class QAction;
class QLabel;
class QProgressBar;
class QStackedWidget;
class QToolButton;

namespace remora::studio {

class InferenceJob;
class ProjectSession;
class ReviewWorkspace;
class StartPage;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Each returns false and shows the reason (lastError()) on failure.
  bool openProject(const QString& path);
  bool importSpecJson(const QString& jsonPath, const QString& projectPath);
  // Asynchronous: inference runs in the background; projectOpened() or
  // backgroundFailed() follows.
  void startNewProject(const NewProjectRequest& request);
  void reinferWithTrace(const QString& traceDb);
  void cancelBackgroundWork();
  bool isBusy() const;
  void closeProject();

  // `header`: pre-filled (remora-studio some/header.h starts here).
  NewProjectDialog* showNewProjectDialog(const QString& header = {});
  void showTraceDialog();
  void showGenerateDialog();
  void saveProject();
  bool exportSpecJson(const QString& path);

  ProjectSession* session() const { return session_.get(); }
  ReviewWorkspace* workspace() const { return workspace_; }
  StartPage* startPage() const { return start_; }
  QString lastError() const { return last_error_; }
  QAction* action(const QString& name) const;  // by objectName, e.g. "actionConfirm"

 signals:
  void projectOpened();
  void backgroundFinished(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void createActions();
  void setSession(std::unique_ptr<ProjectSession> session);
  void showError(const QString& title, const QString& text);
  void setBusy(const QString& text);
  void clearBusy();
  void updateTitle();
  void updateActions();
  void onNewProjectInferred(const NewProjectRequest& request);
  void onTraceInferred(const QString& traceDb);

  std::unique_ptr<ProjectSession> session_;
  QStackedWidget* stack_;
  StartPage* start_;
  ReviewWorkspace* workspace_;
  InferenceJob* job_;
  QLabel* busy_label_;
  QProgressBar* busy_bar_;
  QToolButton* cancel_button_;
  QString last_error_;
  QList<QAction*> project_actions_;  // enabled only while a project is open
};

}  // namespace remora::studio
