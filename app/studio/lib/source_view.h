// A read-only source pane: the header or docs file an evidence location points
// to, scrolled to that line and highlighted, as an IDE shows a search hit. A
// location whose file cannot be found says so in the pane (and where it looked).
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace remora::studio {

class ProjectSession;

class SourceView : public QWidget {
  Q_OBJECT

 public:
  explicit SourceView(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);
  // Shows the pane with the file at the location's line. Returns false (and
  // shows why in the pane) when the file cannot be found or read.
  bool showLocation(const QString& location);

  QPlainTextEdit* editor() const { return editor_; }
  QLabel* titleLabel() const { return title_; }
  QString currentFile() const { return file_; }  // absolute path of the file shown ("" if none)
  int currentLine() const;                       // 1-based line of the cursor

 private:
  bool load(const QString& path);
  void highlight(int line);

  ProjectSession* session_ = nullptr;
  QLabel* title_;
  QToolButton* close_;
  QPlainTextEdit* editor_;
  QString file_;
};

}  // namespace remora::studio
