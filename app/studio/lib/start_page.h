// The first screen: start a project from a header, open a .remora project,
// import a spec JSON, or reopen a recent project.
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace remora::studio {

class StartPage : public QWidget {
  Q_OBJECT

 public:
  explicit StartPage(QWidget* parent = nullptr);
  void refreshRecent();
  QListWidget* recentList() const { return recent_; }

 signals:
  void newProjectRequested();
  void openProjectRequested();
  void importSpecRequested();
  void recentProjectRequested(const QString& path);

 private:
  QListWidget* recent_;
};

}  // namespace remora::studio
