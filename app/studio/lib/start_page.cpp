#include "start_page.h"

#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "recent_projects.h"

namespace remora::studio {

StartPage::StartPage(QWidget* parent) : QWidget(parent), recent_(new QListWidget) {
  auto* title = new QLabel(tr("<h1>Remora Studio</h1>"));
  auto* tagline = new QLabel(tr("Review the remoting spec Remora inferred for a vendor C API: every annotation with "
                                "its evidence and confidence. Confirm or correct it, trace a sample program, then "
                                "generate the guest library and API server."));
  tagline->setWordWrap(true);
  auto* new_project = new QPushButton(tr("New project from a header…"));
  auto* open_project = new QPushButton(tr("Open project…"));
  auto* import_spec = new QPushButton(tr("Import spec JSON…"));
  new_project->setObjectName(QStringLiteral("newProjectButton"));
  new_project->setDefault(true);
  for (auto* b : {new_project, open_project, import_spec}) b->setMinimumHeight(b->sizeHint().height() + 8);
  // Ctrl+N is the window's File > New Project action; a second owner would make it ambiguous.
  connect(new_project, &QPushButton::clicked, this, &StartPage::newProjectRequested);
  connect(open_project, &QPushButton::clicked, this, &StartPage::openProjectRequested);
  connect(import_spec, &QPushButton::clicked, this, &StartPage::importSpecRequested);
  recent_->setObjectName(QStringLiteral("recentProjects"));
  connect(recent_, &QListWidget::itemActivated, this,
          [this](QListWidgetItem* item) { emit recentProjectRequested(item->data(Qt::UserRole).toString()); });

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(new_project);
  buttons->addWidget(open_project);
  buttons->addWidget(import_spec);
  buttons->addStretch(1);

  auto* column = new QWidget;
  column->setMaximumWidth(820);
  auto* layout = new QVBoxLayout(column);
  layout->addWidget(title);
  layout->addWidget(tagline);
  layout->addSpacing(12);
  layout->addLayout(buttons);
  layout->addSpacing(12);
  layout->addWidget(new QLabel(tr("<b>Recent projects</b> (Enter or double-click to open)")));
  layout->addWidget(recent_, 1);

  auto* outer = new QHBoxLayout(this);
  outer->addStretch(1);
  outer->addWidget(column, 4);
  outer->addStretch(1);
  refreshRecent();
}

void StartPage::refreshRecent() {
  recent_->clear();
  for (const QString& path : recent_projects()) {
    const QFileInfo info(path);
    auto* item = new QListWidgetItem(QStringLiteral("%1  —  %2").arg(info.fileName(), info.absolutePath()));
    item->setData(Qt::UserRole, path);
    if (!info.exists()) {
      item->setText(item->text() + tr("  (missing)"));
      item->setForeground(Qt::gray);
    }
    recent_->addItem(item);
  }
  if (recent_->count() == 0) {
    auto* item = new QListWidgetItem(tr("No recent projects yet."));
    item->setFlags(Qt::NoItemFlags);
    recent_->addItem(item);
  }
}

}  // namespace remora::studio
