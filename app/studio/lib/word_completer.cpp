#include "word_completer.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QLineEdit>
#include <QStringListModel>

namespace remora::studio {

WordCompleter::WordCompleter(QLineEdit* edit, QObject* parent)
    : QObject(parent), edit_(edit), completer_(new QCompleter(this)), words_(new QStringListModel(this)) {
  completer_->setModel(words_);
  completer_->setCaseSensitivity(Qt::CaseInsensitive);
  completer_->setCompletionMode(QCompleter::PopupCompletion);
  completer_->setWidget(edit_);
  connect(edit_, &QLineEdit::textEdited, this, &WordCompleter::onTextEdited);
  connect(completer_, qOverload<const QString&>(&QCompleter::activated), this, &WordCompleter::insertCompletion);
}

void WordCompleter::setWords(const QStringList& words) { words_->setStringList(words); }

int WordCompleter::wordStart() const {
  const QString text = edit_->text();
  int start = edit_->cursorPosition();
  while (start > 0 && (text[start - 1].isLetterOrNumber() || text[start - 1] == QLatin1Char('_'))) --start;
  return start;
}

void WordCompleter::onTextEdited() {
  const int start = wordStart();
  const QString prefix = edit_->text().mid(start, edit_->cursorPosition() - start);
  if (prefix.isEmpty() || prefix[0].isDigit()) {
    completer_->popup()->hide();
    return;
  }
  completer_->setCompletionPrefix(prefix);
  if (completer_->completionCount() == 0 ||
      (completer_->completionCount() == 1 && completer_->currentCompletion() == prefix)) {
    completer_->popup()->hide();
    return;
  }
  completer_->popup()->setCurrentIndex(completer_->completionModel()->index(0, 0));
  completer_->complete();
}

void WordCompleter::insertCompletion(const QString& word) {
  const int start = wordStart();
  QString text = edit_->text();
  text.replace(start, edit_->cursorPosition() - start, word);
  edit_->setText(text);
  edit_->setCursorPosition(start + static_cast<int>(word.size()));
}

}  // namespace remora::studio
