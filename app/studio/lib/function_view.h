// The function under review, laid out as its prototype with one annotation
// chip per parameter (colored by review status). Clicking a chip, or moving
// with the arrow keys, selects that parameter.
#pragma once

#include <QList>
#include <QWidget>

class QGridLayout;
class QLabel;

namespace remora::studio {

class AnnotationChip;
class ProjectSession;

class FunctionView : public QWidget {
  Q_OBJECT

 public:
  explicit FunctionView(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);
  void showFunction(const QString& function, const QString& param);
  QString function() const { return function_; }
  QString selectedParam() const { return param_; }
  // The chip of a parameter ("" = the function-level chip), for tests and focus.
  AnnotationChip* chip(const QString& param) const;

 signals:
  void paramSelected(const QString& param);  // "" selects the function itself
  void locationActivated(const QString& location);  // the declaration's "file:line" link

 private:
  void rebuild();
  void updateSelection();

  ProjectSession* session_ = nullptr;
  QString function_, param_;
  QLabel* title_;
  QLabel* details_;
  QWidget* rows_;
  QGridLayout* grid_;
  QList<AnnotationChip*> chips_;  // function-level chip first, then one per parameter
};

}  // namespace remora::studio
