// The review screen: function list on the left; the function's prototype with
// its chips on top right; the parameter editor and the evidence below it.
// It wires the panels to one ReviewController.
#pragma once

#include <QWidget>

class QSplitter;

namespace remora::studio {

class EvidencePanel;
class FunctionListPanel;
class FunctionView;
class ParamEditor;
class ProjectSession;
class ReviewController;
class SourceView;

class ReviewWorkspace : public QWidget {
  Q_OBJECT

 public:
  explicit ReviewWorkspace(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);

  FunctionListPanel* functionList() const { return list_; }
  FunctionView* functionView() const { return view_; }
  ParamEditor* paramEditor() const { return editor_; }
  EvidencePanel* evidencePanel() const { return evidence_; }
  SourceView* sourceView() const { return source_; }
  ReviewController* controller() const { return controller_; }

  // Keyboard actions (also in the Review menu).
  void confirmCurrent();
  void applyEdit();
  void revertCurrent();
  void editCurrent();
  // Opens the source view at an evidence location ("cl.h:1024"); false when the file is missing.
  bool openSource(const QString& location);

 signals:
  void statusMessage(const QString& text);

 private:
  void onCurrentChanged(const QString& function, const QString& param);

  ProjectSession* session_ = nullptr;
  FunctionListPanel* list_;
  FunctionView* view_;
  ParamEditor* editor_;
  EvidencePanel* evidence_;
  SourceView* source_;
  QSplitter* evidence_and_source_;
  ReviewController* controller_;
};

}  // namespace remora::studio
