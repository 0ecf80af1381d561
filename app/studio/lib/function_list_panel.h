// Left pane: search box, badge filter, the sorted function table and the
// review progress ("212 of 260 parameters confirmed").
#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace remora::studio {

class FunctionFilterProxy;
class FunctionListModel;
class ProjectSession;

class FunctionListPanel : public QWidget {
  Q_OBJECT

 public:
  explicit FunctionListPanel(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);

  void selectFunction(const QString& name);
  QString currentFunction() const;
  QStringList visibleFunctions() const;  // in display order
  void showChangedByTrace();
  void resort();  // re-apply the review order and filters

  QLineEdit* searchBox() const { return search_; }
  QComboBox* filterBox() const { return filter_; }
  QTableView* table() const { return table_; }
  QLabel* progressLabel() const { return progress_; }
  FunctionListModel* model() const { return model_; }

 signals:
  void functionSelected(const QString& name);

 private:
  void updateProgress();

  ProjectSession* session_ = nullptr;
  QLineEdit* search_;
  QComboBox* filter_;
  QTableView* table_;
  QLabel* progress_;
  FunctionListModel* model_;
  FunctionFilterProxy* proxy_;
};

}  // namespace remora::studio
