// One annotation chip in the function view: a rounded, colored label that
// wraps when the pane is narrow (a push button would clip), takes focus, and
// is activated by a click or Space/Enter.
#pragma once

#include <QColor>
#include <QLabel>

namespace remora::studio {

class AnnotationChip : public QLabel {
  Q_OBJECT

 public:
  AnnotationChip(const QString& text, const QColor& fill, QWidget* parent = nullptr);
  void setSelected(bool selected);
  // One line when there is room; the layout may give less and the text wraps.
  QSize sizeHint() const override;

 signals:
  void clicked();

 protected:
  void mouseReleaseEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  QColor fill_;
};

}  // namespace remora::studio
