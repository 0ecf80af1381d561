// "New project": the vendor header and how to parse it (include dirs, defines),
// where its documentation is, the library soname, and where the .remora file goes.
#pragma once

#include <QDialog>

#include "remora/spec/project_store.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace remora::studio {

struct NewProjectRequest {
  QString projectPath;  // the .remora file to create
  QString apiName;      // "" = derived from the header name
  spec::ProjectSettings settings;
};

class NewProjectDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewProjectDialog(QWidget* parent = nullptr);
  NewProjectRequest request() const;
  // "" when the form can be used, else what to fix.
  QString problem() const;

  QLineEdit* headerEdit() const { return header_; }
  QPlainTextEdit* extraHeadersEdit() const { return extra_headers_; }
  QPlainTextEdit* apiHeadersEdit() const { return api_headers_; }
  QPlainTextEdit* includeDirsEdit() const { return include_dirs_; }
  QPlainTextEdit* definesEdit() const { return defines_; }
  QPlainTextEdit* docsEdit() const { return docs_; }
  QLineEdit* libraryEdit() const { return library_; }
  QLineEdit* apiNameEdit() const { return api_name_; }
  QLineEdit* projectEdit() const { return project_; }
  QPushButton* createButton() const { return create_; }
  QLabel* errorLabel() const { return error_; }

  void accept() override;

 private:
  void suggestProjectPath();

  QLineEdit* header_;
  QPlainTextEdit* extra_headers_;
  QPlainTextEdit* api_headers_;
  QPlainTextEdit* include_dirs_;
  QPlainTextEdit* defines_;
  QPlainTextEdit* docs_;
  QLineEdit* library_;
  QLineEdit* api_name_;
  QLineEdit* project_;
  QLabel* error_;
  QPushButton* create_;
  bool project_edited_ = false;
};

}  // namespace remora::studio
