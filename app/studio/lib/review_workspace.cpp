#include "review_workspace.h"

#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

#include "evidence_panel.h"
#include "function_list_panel.h"
#include "function_view.h"
#include "param_editor.h"
#include "project_session.h"
#include "review_controller.h"
#include "source_view.h"

namespace remora::studio {

namespace {
QWidget* titled(const QString& title, QWidget* body) {
  auto* box = new QWidget;
  auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(title));
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(label);
  layout->addWidget(body, 1);
  return box;
}
}  // namespace

ReviewWorkspace::ReviewWorkspace(QWidget* parent)
    : QWidget(parent),
      list_(new FunctionListPanel),
      view_(new FunctionView),
      editor_(new ParamEditor),
      evidence_(new EvidencePanel),
      source_(new SourceView),
      evidence_and_source_(new QSplitter(Qt::Vertical)),
      controller_(new ReviewController(this)) {
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(titled(tr("Annotation"), editor_));
  // The source view opens under the evidence when a location is clicked, so the
  // reviewer reads the header line and the evidence side by side.
  evidence_and_source_->addWidget(titled(tr("Evidence"), evidence_));
  evidence_and_source_->addWidget(source_);
  evidence_and_source_->setStretchFactor(0, 1);
  evidence_and_source_->setStretchFactor(1, 1);
  bottom->addWidget(evidence_and_source_);
  bottom->setStretchFactor(0, 1);
  bottom->setStretchFactor(1, 1);
  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(titled(tr("Function"), view_));
  right->addWidget(bottom);
  right->setStretchFactor(0, 2);
  right->setStretchFactor(1, 3);
  right->setSizes({330, 420});
  auto* main = new QSplitter(Qt::Horizontal);
  main->addWidget(list_);
  main->addWidget(right);
  main->setStretchFactor(0, 2);
  main->setStretchFactor(1, 5);
  main->setSizes({470, 810});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(main);

  controller_->setOrder([this] { return list_->visibleFunctions(); });
  connect(list_, &FunctionListPanel::functionSelected, controller_, &ReviewController::selectFunction);
  connect(view_, &FunctionView::paramSelected, this,
          [this](const QString& param) { controller_->select(view_->function(), param); });
  connect(controller_, &ReviewController::currentChanged, this, &ReviewWorkspace::onCurrentChanged);
  connect(controller_, &ReviewController::message, this, &ReviewWorkspace::statusMessage);
  connect(evidence_, &EvidencePanel::locationActivated, this, &ReviewWorkspace::openSource);
  connect(view_, &FunctionView::locationActivated, this, &ReviewWorkspace::openSource);
  connect(editor_, &ParamEditor::confirmRequested, this, &ReviewWorkspace::confirmCurrent);
  connect(editor_, &ParamEditor::applyRequested, this, &ReviewWorkspace::applyEdit);
  connect(editor_, &ParamEditor::revertRequested, this, &ReviewWorkspace::revertCurrent);
}

void ReviewWorkspace::setSession(ProjectSession* session) {
  session_ = session;
  list_->setSession(session);
  view_->setSession(session);
  editor_->setSession(session);
  evidence_->setSession(session);
  source_->setSession(session);
  controller_->setSession(session);
  if (session_) {
    connect(session_, &ProjectSession::specReset, this, [this] {
      // Re-show the current item from the new spec.
      const QString f = controller_->currentFunction(), p = controller_->currentParam();
      view_->showFunction(QString(), QString());
      onCurrentChanged(f, p);
    });
    const QStringList order = list_->visibleFunctions();
    if (!order.isEmpty()) list_->selectFunction(order.front());
  }
}

void ReviewWorkspace::onCurrentChanged(const QString& function, const QString& param) {
  list_->selectFunction(function);
  view_->showFunction(function, param);
  editor_->showItem(function, param);
  evidence_->showItem(function, param);
}

bool ReviewWorkspace::openSource(const QString& location) {
  // The source gets two thirds of the column when it opens; later the reviewer's split stays.
  if (!source_->isVisible()) {
    const int height = std::max(evidence_and_source_->height(), 300);
    evidence_and_source_->setSizes({height / 3, height - height / 3});
  }
  return source_->showLocation(location);
}

void ReviewWorkspace::confirmCurrent() { controller_->confirm(); }

void ReviewWorkspace::applyEdit() {
  QString error;
  auto edited = editor_->editedFunction(&error);
  if (!edited) {
    emit statusMessage(error);
    return;
  }
  if (!controller_->applyEdit(*edited, &error)) {
    editor_->showMessage(error, true);
    emit statusMessage(error);
    return;
  }
  editor_->showMessage(tr("Edit applied."), false);
}

void ReviewWorkspace::revertCurrent() {
  QString error;
  if (!controller_->revert(&error)) {
    editor_->showMessage(error, true);
    emit statusMessage(error);
  }
}

void ReviewWorkspace::editCurrent() { editor_->focusFirstField(); }

}  // namespace remora::studio
