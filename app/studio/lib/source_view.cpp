#include "source_view.h"

#include <QColor>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "project_session.h"
#include "source_locator.h"

namespace remora::studio {

namespace {
// Large generated docs would make the pane slow to fill; a location past this
// is still opened, but the pane says the file was cut.
constexpr qint64 kMaxBytes = 16 * 1024 * 1024;
}  // namespace

SourceView::SourceView(QWidget* parent)
    : QWidget(parent), title_(new QLabel), close_(new QToolButton), editor_(new QPlainTextEdit) {
  title_->setObjectName(QStringLiteral("sourceTitle"));
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  close_->setText(QStringLiteral("×"));
  close_->setToolTip(tr("Close the source view"));
  close_->setAutoRaise(true);
  editor_->setObjectName(QStringLiteral("sourceEditor"));
  editor_->setReadOnly(true);
  // Read-only, but the cursor still moves with the keyboard like in an editor.
  editor_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  editor_->setLineWrapMode(QPlainTextEdit::NoWrap);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  editor_->setFont(mono);

  auto* bar = new QHBoxLayout;
  bar->addWidget(title_, 1);
  bar->addWidget(close_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(editor_, 1);
  connect(close_, &QToolButton::clicked, this, &QWidget::hide);
}

void SourceView::setSession(ProjectSession* session) {
  session_ = session;
  file_.clear();
  editor_->clear();
  hide();
}

int SourceView::currentLine() const {
  return editor_->textCursor().blockNumber() + 1;
}

bool SourceView::showLocation(const QString& location) {
  show();
  const SourceLocation where = parse_location(location);
  const QString project = session_ ? session_->path() : QString();
  const spec::ProjectSettings settings = session_ ? session_->settings() : spec::ProjectSettings{};
  QStringList searched;
  const QString path = resolve_source(where.file, project, settings, &searched);
  if (path.isEmpty()) {
    file_.clear();
    title_->setText(
        tr("<b>%1</b> — not found").arg(display_path(where.file, project).toHtmlEscaped()));
    editor_->setExtraSelections({});
    editor_->setPlainText(
        tr("The file %1 was not found, so this location cannot be shown.\n\n"
           "Looked for it as written, and by name in:\n  %2\n\n"
           "If the sources moved, point the project at them again (a new project "
           "from the header, with its docs).")
            .arg(display_path(where.file, project), searched.join(QStringLiteral("\n  "))));
    return false;
  }
  if (path != file_ && !load(path)) return false;
  title_->setText(
      where.line > 0
          ? tr("<b>%1</b> line %2").arg(display_path(path, project).toHtmlEscaped()).arg(where.line)
          : tr("<b>%1</b>").arg(display_path(path, project).toHtmlEscaped()));
  highlight(where.line);
  return true;
}

bool SourceView::load(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    file_.clear();
    editor_->setPlainText(
        tr("%1 cannot be read: %2").arg(QFileInfo(path).fileName(), file.errorString()));
    return false;
  }
  const QByteArray bytes = file.read(kMaxBytes);
  editor_->setPlainText(QString::fromUtf8(bytes));
  file_ = path;
  return true;
}

void SourceView::highlight(int line) {
  QTextBlock block = editor_->document()->findBlockByNumber(std::max(0, line - 1));
  if (!block.isValid()) block = editor_->document()->lastBlock();
  QTextCursor cursor(block);
  editor_->setTextCursor(cursor);
  QTextEdit::ExtraSelection hit;
  hit.format.setBackground(QColor(0xff, 0xf1, 0x76));
  hit.format.setProperty(QTextFormat::FullWidthSelection, true);
  hit.cursor = cursor;
  editor_->setExtraSelections(line > 0 ? QList<QTextEdit::ExtraSelection>{hit}
                                       : QList<QTextEdit::ExtraSelection>{});
  // The line in the middle of the pane, with context around it; once more after
  // the layout settled (a pane shown just now has no height yet).
  editor_->centerCursor();
  QTimer::singleShot(0, editor_, [this] { editor_->centerCursor(); });
}

}  // namespace remora::studio
