#include "new_project_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace remora::studio {

namespace {
std::vector<std::string> lines_of(const QPlainTextEdit* edit) {
  std::vector<std::string> out;
  for (const QString& line : edit->toPlainText().split(QLatin1Char('\n'))) {
    QString item = line.trimmed();
    if (item.startsWith(QStringLiteral("-D")) || item.startsWith(QStringLiteral("-I"))) item = item.mid(2).trimmed();
    if (!item.isEmpty()) out.push_back(item.toStdString());
  }
  return out;
}

QPlainTextEdit* list_edit(const QString& placeholder) {
  auto* edit = new QPlainTextEdit;
  edit->setPlaceholderText(placeholder);
  edit->setTabChangesFocus(true);
  edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 14);
  return edit;
}

QWidget* with_browse(QLineEdit* edit, QPushButton* button) {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  layout->addWidget(button);
  return row;
}
}  // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent)
    : QDialog(parent),
      header_(new QLineEdit),
      extra_headers_(list_edit(tr("more headers of the same API, one per line (one spec for all)"))),
      api_headers_(list_edit(tr("which headers the ones above include belong to the API: a folder, or a "
                                "pattern like cu*.h, one per line; !pattern excludes"))),
      include_dirs_(list_edit(tr("one directory per line"))),
      defines_(list_edit(tr("one NAME or NAME=VALUE per line, e.g. CL_TARGET_OPENCL_VERSION=300"))),
      docs_(list_edit(tr("files or folders: reference pages, Doxygen HTML, registry XML"))),
      library_(new QLineEdit),
      api_name_(new QLineEdit),
      project_(new QLineEdit),
      error_(new QLabel),
      create_(nullptr) {
  setWindowTitle(tr("New Remora project"));
  setObjectName(QStringLiteral("newProjectDialog"));
  header_->setObjectName(QStringLiteral("headerPath"));
  header_->setPlaceholderText(tr("the API's main header, e.g. /usr/include/yourapi.h"));
  library_->setPlaceholderText(tr("default: the installed library that defines the API's functions"));
  api_name_->setPlaceholderText(tr("derived from the header name"));
  project_->setPlaceholderText(tr("where to save the .remora project"));
  error_->setStyleSheet(QStringLiteral("color: #b00020;"));
  error_->setWordWrap(true);
  error_->hide();

  auto* browse_header = new QPushButton(tr("Browse…"));
  connect(browse_header, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Vendor header"), header_->text(),
                                                      tr("C headers (*.h *.hpp);;All files (*)"));
    if (!path.isEmpty()) header_->setText(path);
  });
  auto* browse_more = new QPushButton(tr("Add header…"));
  connect(browse_more, &QPushButton::clicked, this, [this] {
    const QStringList paths = QFileDialog::getOpenFileNames(this, tr("More headers"), header_->text(),
                                                            tr("C headers (*.h *.hpp);;All files (*)"));
    for (const QString& path : paths) extra_headers_->appendPlainText(path);
  });
  auto* browse_docs = new QPushButton(tr("Add folder…"));
  connect(browse_docs, &QPushButton::clicked, this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Documentation folder"));
    if (!dir.isEmpty()) docs_->appendPlainText(dir);
  });
  auto* browse_project = new QPushButton(tr("Browse…"));
  connect(browse_project, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Project file"), project_->text(),
                                                      tr("Remora projects (*.remora)"));
    if (!path.isEmpty()) {
      project_->setText(path.endsWith(QStringLiteral(".remora")) ? path : path + QStringLiteral(".remora"));
      project_edited_ = true;
    }
  });
  connect(header_, &QLineEdit::textChanged, this, &NewProjectDialog::suggestProjectPath);
  connect(project_, &QLineEdit::textEdited, this, [this] { project_edited_ = true; });

  auto* docs_column = new QWidget;
  auto* docs_layout = new QVBoxLayout(docs_column);
  docs_layout->setContentsMargins(0, 0, 0, 0);
  docs_layout->addWidget(docs_);
  docs_layout->addWidget(browse_docs, 0, Qt::AlignLeft);

  auto* more_column = new QWidget;
  auto* more_layout = new QVBoxLayout(more_column);
  more_layout->setContentsMargins(0, 0, 0, 0);
  more_layout->addWidget(extra_headers_);
  more_layout->addWidget(browse_more, 0, Qt::AlignLeft);

  auto* form = new QFormLayout;
  form->addRow(tr("Header"), with_browse(header_, browse_header));
  form->addRow(tr("More headers"), more_column);
  form->addRow(tr("API headers"), api_headers_);
  form->addRow(tr("Include dirs"), include_dirs_);
  form->addRow(tr("Defines"), defines_);
  form->addRow(tr("Documentation"), docs_column);
  form->addRow(tr("Library soname"), library_);
  form->addRow(tr("API name"), api_name_);
  form->addRow(tr("Project file"), with_browse(project_, browse_project));

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  create_ = buttons->button(QDialogButtonBox::Ok);
  create_->setText(tr("Create and infer"));
  create_->setObjectName(QStringLiteral("createButton"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* intro = new QLabel(tr("Remora parses the header, mines the documentation, and proposes an annotation for "
                              "every parameter. You review them next."));
  intro->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(error_);
  layout->addWidget(buttons);
  resize(640, sizeHint().height());
}

void NewProjectDialog::suggestProjectPath() {
  if (project_edited_) return;
  const QFileInfo header(header_->text().trimmed());
  if (header.completeBaseName().isEmpty()) return;
  project_->setText(QDir::home().filePath(header.completeBaseName() + QStringLiteral(".remora")));
}

NewProjectRequest NewProjectDialog::request() const {
  NewProjectRequest r;
  r.projectPath = project_->text().trimmed();
  r.apiName = api_name_->text().trimmed();
  r.settings.header = header_->text().trimmed().toStdString();
  r.settings.include_dirs = lines_of(include_dirs_);
  r.settings.defines = lines_of(defines_);
  r.settings.docs = lines_of(docs_);
  r.settings.library = library_->text().trimmed().toStdString();
  r.settings.extra_headers = lines_of(extra_headers_);
  // What remora infer's --api-dir / --api-glob / --exclude take, one line each:
  // an existing folder, a pattern, or "!pattern" to exclude.
  for (const std::string& line : lines_of(api_headers_)) {
    const QString item = QString::fromStdString(line);
    if (item.startsWith(QLatin1Char('!'))) r.settings.excludes.push_back(item.mid(1).trimmed().toStdString());
    else if (QFileInfo(item).isDir()) r.settings.api_dirs.push_back(QFileInfo(item).absoluteFilePath().toStdString());
    else r.settings.api_globs.push_back(line);
  }
  return r;
}

QString NewProjectDialog::problem() const {
  const QString header = header_->text().trimmed();
  if (header.isEmpty()) return tr("Choose the vendor header to start from.");
  if (!QFileInfo(header).isFile()) return tr("The header %1 does not exist.").arg(header);
  for (const auto& more : request().settings.extra_headers)
    if (!QFileInfo(QString::fromStdString(more)).isFile())
      return tr("The header %1 does not exist.").arg(QString::fromStdString(more));
  for (const auto& dir : request().settings.include_dirs)
    if (!QFileInfo(QString::fromStdString(dir)).isDir())
      return tr("Include directory %1 does not exist.").arg(QString::fromStdString(dir));
  for (const auto& doc : request().settings.docs)
    if (!QFileInfo::exists(QString::fromStdString(doc)))
      return tr("Documentation path %1 does not exist.").arg(QString::fromStdString(doc));
  const QString project = project_->text().trimmed();
  if (project.isEmpty()) return tr("Choose where to save the project file.");
  if (!QFileInfo(project).absoluteDir().exists())
    return tr("The folder for %1 does not exist.").arg(project);
  return {};
}

void NewProjectDialog::accept() {
  const QString why = problem();
  error_->setText(why);
  error_->setVisible(!why.isEmpty());
  if (why.isEmpty()) QDialog::accept();
}

}  // namespace remora::studio
