#include "annotation_chip.h"

#include <QKeyEvent>
#include <QMouseEvent>

namespace remora::studio {

namespace {
constexpr int kPadding = 10, kBorder = 2;
}

AnnotationChip::AnnotationChip(const QString& text, const QColor& fill, QWidget* parent)
    : QLabel(text, parent), fill_(fill) {
  setWordWrap(true);
  setFocusPolicy(Qt::StrongFocus);
  setCursor(Qt::PointingHandCursor);
  setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Preferred);
  setSelected(false);
}

void AnnotationChip::setSelected(bool selected) {
  setStyleSheet(QStringLiteral("QLabel { background: %1; border: %2; border-radius: 9px; padding: 2px %3px; }"
                               "QLabel:focus { border: %4px solid #1a73e8; }")
                    .arg(fill_.name(), selected ? QStringLiteral("2px solid #333") : QStringLiteral("1px solid #999"))
                    .arg(kPadding)
                    .arg(kBorder));
}

QSize AnnotationChip::sizeHint() const {
  // Slack for glyphs from fallback fonts (the ★ marker), which metrics underestimate.
  return {fontMetrics().horizontalAdvance(text()) + 2 * (kPadding + kBorder) + 12, QLabel::sizeHint().height()};
}

void AnnotationChip::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint())) emit clicked();
  QLabel::mouseReleaseEvent(event);
}

void AnnotationChip::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Space || event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
    emit clicked();
    return;
  }
  QLabel::keyPressEvent(event);
}

}  // namespace remora::studio
