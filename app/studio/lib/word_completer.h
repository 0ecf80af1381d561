// Completes the identifier under the cursor of a QLineEdit (parameter names in
// a size expression like "count * sizeof(cl_int)"), not the whole line as a
// plain QCompleter would.
#pragma once

#include <QObject>
#include <QStringList>

class QCompleter;
class QLineEdit;
class QStringListModel;

namespace remora::studio {

class WordCompleter : public QObject {
  Q_OBJECT

 public:
  WordCompleter(QLineEdit* edit, QObject* parent = nullptr);
  void setWords(const QStringList& words);
  QCompleter* completer() const { return completer_; }

 private:
  void onTextEdited();
  void insertCompletion(const QString& word);
  // Start of the identifier that ends at the cursor.
  int wordStart() const;

  QLineEdit* edit_;
  QCompleter* completer_;
  QStringListModel* words_;
};

}  // namespace remora::studio
