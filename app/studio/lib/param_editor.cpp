#include "param_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include "annotation_text.h"
#include "project_session.h"
#include "remora/spec/ctype.h"
#include "remora/spec/size_expr.h"
#include "review_state.h"
#include "size_validation.h"
#include "struct_rows.h"
#include "when_editor.h"
#include "word_completer.h"

namespace remora::studio {

namespace {
const spec::Direction kDirections[] = {spec::Direction::In, spec::Direction::Out, spec::Direction::InOut};
const spec::Kind kKinds[] = {spec::Kind::Value,  spec::Kind::Handle,   spec::Kind::Buffer,
                             spec::Kind::Element, spec::Kind::String,  spec::Kind::Callback,
                             spec::Kind::Userdata, spec::Kind::Opaque};

void select_data(QComboBox* box, int value) { box->setCurrentIndex(std::max(0, box->findData(value))); }
}  // namespace

ParamEditor::ParamEditor(QWidget* parent)
    : QWidget(parent),
      heading_(new QLabel),
      param_group_(new QGroupBox(tr("Parameter"))),
      function_group_(new QGroupBox(tr("Function"))),
      scroll_(new QScrollArea),
      direction_(new QComboBox),
      kind_(new QComboBox),
      size_(new QLineEdit),
      size_message_(new QLabel),
      unit_(new QComboBox),
      element_(new QComboBox),
      nullable_(new QCheckBox(tr("nullable (NULL is allowed)"))),
      allocates_(new QCheckBox(tr("allocates (a new object comes back here)"))),
      deallocates_(new QCheckBox(tr("deallocates (the call releases this object)"))),
      // Raw bytes in which a program may put handles among plain data (clSetKernelArg's
      // arg_value): the stack translates the handle values it finds there, so a wrong
      // "no" lets a guest's handle reach the library untranslated (refused at run time).
      may_hold_handles_(new QCheckBox(tr("may hold handles (in raw bytes)"))),
      retain_(new QComboBox),
      points_into_(new QComboBox),
      when_(new WhenEditor),
      sync_(new QComboBox),
      sync_condition_(new QLineEdit),
      barrier_(new QCheckBox(tr("barrier (waits for queued work)"))),
      in_order_(new QLineEdit),
      supported_(new QCheckBox(tr("supported (remoted)"))),
      message_(new QLabel),
      confirm_(new QPushButton(tr("Confirm"))),
      apply_(new QPushButton(tr("Apply edit"))),
      revert_(new QPushButton(tr("Revert to inferred"))),
      completer_(new WordCompleter(size_, this)) {
  heading_->setObjectName(QStringLiteral("editorHeading"));
  heading_->setWordWrap(true);
  QFont bold = heading_->font();
  bold.setBold(true);
  heading_->setFont(bold);
  for (auto d : kDirections) direction_->addItem(qs(spec::to_string(d)), static_cast<int>(d));
  for (auto k : kKinds) kind_->addItem(qs(spec::to_string(k)), static_cast<int>(k));
  unit_->addItem(tr("elements"), static_cast<int>(spec::SizeUnit::Elements));
  unit_->addItem(tr("bytes"), static_cast<int>(spec::SizeUnit::Bytes));
  element_->addItem(tr("(none)"), -1);
  for (auto k : kKinds) element_->addItem(qs(spec::to_string(k)), static_cast<int>(k));
  size_->setObjectName(QStringLiteral("sizeExpression"));
  size_->setPlaceholderText(tr("a size expression over the other parameters"));
  size_message_->setObjectName(QStringLiteral("sizeMessage"));
  size_message_->setWordWrap(true);
  size_message_->setStyleSheet(QStringLiteral("color: #b00020;"));
  size_message_->hide();
  // How long the library keeps using an input buffer's memory (the spec's `retain`).
  retain_->addItem(tr("only during the call"), QString());
  retain_->addItem(tr("until the object the call creates is released"), QStringLiteral("object"));
  retain_->addItem(tr("until the command the call queues completes"), QStringLiteral("command"));
  retain_->setObjectName(QStringLiteral("retain"));
  retain_->setToolTip(tr("retain: object keeps the server's copy with the created object (CL_MEM_USE_HOST_PTR); "
                         "command says the program leaves a non-blocking call's input alone until it completes, "
                         "so shm: may read it in place"));
  sync_->addItem(tr("sync"), static_cast<int>(spec::Sync::Mode::Sync));
  sync_->addItem(tr("async"), static_cast<int>(spec::Sync::Mode::Async));
  sync_->addItem(tr("async if…"), static_cast<int>(spec::Sync::Mode::AsyncIf));
  sync_condition_->setPlaceholderText(tr("a C predicate over the parameters"));
  in_order_->setObjectName(QStringLiteral("inOrder"));
  in_order_->setToolTip(
      tr("Whether the object this call creates runs its queued work in order: true, or a "
         "predicate on the creating call's arguments, which may read a key/value list with "
         "property(p, KEY); empty: nothing is assumed"));
  message_->setObjectName(QStringLiteral("editorMessage"));
  message_->setWordWrap(true);
  message_->hide();
  may_hold_handles_->setToolTip(tr("Raw bytes in which the program may put handles among plain data "
                                   "(a kernel argument's value, a property list): the stack translates "
                                   "the handle values it finds there"));
  confirm_->setToolTip(tr("Accept the annotation as shown (Ctrl+Enter)"));
  apply_->setToolTip(tr("Save the edited annotation (Ctrl+S saves the project)"));
  revert_->setToolTip(tr("Go back to what inference produced (Ctrl+R)"));
  confirm_->setObjectName(QStringLiteral("confirmButton"));
  apply_->setObjectName(QStringLiteral("applyButton"));
  revert_->setObjectName(QStringLiteral("revertButton"));

  auto* form = new QFormLayout(param_group_);
  form->addRow(tr("Direction"), direction_);
  form->addRow(tr("Kind"), kind_);
  auto* size_row = new QHBoxLayout;
  size_row->addWidget(size_, 1);
  size_row->addWidget(unit_);
  form->addRow(tr("Size"), size_row);
  form->addRow(QString(), size_message_);
  form->addRow(tr("Element"), element_);
  form->addRow(QString(), nullable_);
  form->addRow(QString(), allocates_);
  form->addRow(QString(), deallocates_);
  form->addRow(QString(), may_hold_handles_);
  form->addRow(tr("Kept"), retain_);
  // An out pointer the library sets inside another parameter's memory (SQLite's pzTail in
  // zSql): the program gets the same offset into its own.
  points_into_->setObjectName(QStringLiteral("points_into"));
  points_into_->setToolTip(tr("points_into: the library sets this out pointer to an address inside that "
                              "parameter's memory; the stack gives the program the same offset into its own"));
  form->addRow(tr("Points into"), points_into_);
  form->addRow(tr("When"), when_);

  auto* function_form = new QFormLayout(function_group_);
  auto* sync_row = new QHBoxLayout;
  sync_row->addWidget(sync_);
  sync_row->addWidget(sync_condition_, 1);
  function_form->addRow(tr("Calls"), sync_row);
  function_form->addRow(QString(), barrier_);
  function_form->addRow(tr("In order"), in_order_);
  function_form->addRow(QString(), supported_);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(confirm_);
  buttons->addWidget(apply_);
  buttons->addWidget(revert_);
  buttons->addStretch(1);

  auto* content = new QWidget;
  auto* inner = new QVBoxLayout(content);
  inner->addWidget(heading_);
  inner->addWidget(param_group_);
  inner->addWidget(function_group_);
  inner->addStretch(1);
  scroll_->setWidget(content);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(scroll_, 1);
  layout->addWidget(message_);
  layout->addLayout(buttons);

  connect(size_, &QLineEdit::textChanged, this, &ParamEditor::validateSize);
  connect(size_, &QLineEdit::returnPressed, this, &ParamEditor::applyRequested);
  connect(sync_, &QComboBox::currentIndexChanged, this, &ParamEditor::updateSyncCondition);
  connect(confirm_, &QPushButton::clicked, this, &ParamEditor::confirmRequested);
  connect(apply_, &QPushButton::clicked, this, &ParamEditor::applyRequested);
  connect(revert_, &QPushButton::clicked, this, &ParamEditor::revertRequested);
  setEnabled(false);
}

void ParamEditor::setSession(ProjectSession* session) {
  if (session_) session_->disconnect(this);
  session_ = session;
  function_.clear();
  param_.clear();
  if (session_)
    connect(session_, &ProjectSession::functionChanged, this, [this](const QString& name) {
      if (name == function_) load();  // undo/redo or a confirm: show the new state
    });
  load();
}

void ParamEditor::showItem(const QString& function, const QString& param) {
  const bool moved = function != function_ || param != param_;
  function_ = function;
  param_ = param;
  message_->hide();
  load();
  // Each annotation starts at the top of the form (the reviewer reads it top down).
  if (moved) scroll_->verticalScrollBar()->setValue(0);
}

spec::Function ParamEditor::sizeScope(const spec::Function& f) const {
  // A struct member's size names its sibling members, reviewable or not.
  if (const spec::Type* type = session_ ? session_->structOf(function_) : nullptr) return all_fields_as_function(*type);
  return f;
}

void ParamEditor::load() {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  setEnabled(f != nullptr);
  if (!f) {
    heading_->setText(tr("Select a parameter to review it."));
    return;
  }
  const spec::Function scope = sizeScope(*f);
  const bool is_struct = is_struct_row(*f);
  completer_->setWords(parameter_names(scope));
  const spec::Param* p = param_.isEmpty() ? nullptr : f->find_param(param_.toStdString());
  param_group_->setTitle(is_struct ? tr("Struct member") : tr("Parameter"));
  function_group_->setVisible(!is_struct);
  when_->setEnabled(!is_struct);  // members have no conditional overrides
  // Examples from this function, never from one API: its first integer parameter.
  QString example;
  for (const auto& other : scope.params)
    if ((!p || other.name != p->name) && !other.ctype.empty() && spec::is_integer_like(other.ctype)) {
      example = qs(other.name);
      break;
    }
  size_->setPlaceholderText(example.isEmpty() ? (is_struct ? tr("a size expression over the other members")
                                                           : tr("a size expression over the other parameters"))
                                              : tr("e.g. %1, or %1 * 4").arg(example));
  sync_condition_->setPlaceholderText(example.isEmpty() ? tr("a C predicate over the parameters")
                                                        : tr("a C predicate, e.g. %1 == 0").arg(example));
  param_group_->setEnabled(p != nullptr);
  if (p) {
    heading_->setText(tr("%1%2 %3 — %4, confidence %5")
                          .arg(is_struct ? tr("%1 member: ").arg(qs(f->name)) : QString(), qs(p->type), qs(p->name),
                               status_label(p->status, p->confidence, !p->conflicts.empty()))
                          .arg(p->confidence, 0, 'f', 2));
    select_data(direction_, static_cast<int>(p->ann.direction));
    select_data(kind_, static_cast<int>(p->ann.kind));
    size_->setText(qs(p->ann.size));
    select_data(unit_, static_cast<int>(p->ann.size_unit));
    select_data(element_, p->ann.element ? static_cast<int>(p->ann.element->kind) : -1);
    nullable_->setChecked(p->ann.nullable);
    allocates_->setChecked(p->ann.allocates);
    deallocates_->setChecked(p->ann.deallocates);
    may_hold_handles_->setChecked(p->ann.may_hold_handles);
    retain_->setCurrentIndex(std::max(0, retain_->findData(qs(p->ann.retain))));
    points_into_->clear();
    points_into_->addItem(tr("nothing (its own memory)"), QString());
    if (!is_struct)
      for (const auto& other : f->params)
        if (other.name != p->name) points_into_->addItem(qs(other.name), qs(other.name));
    points_into_->setCurrentIndex(std::max(0, points_into_->findData(qs(p->ann.points_into))));
    when_->setWhen(p->when);
  } else {
    heading_->setText(tr("%1 — function-level annotation, %2").arg(qs(f->name), status_label(f->status, f->confidence, false)));
    size_->clear();
    when_->setWhen({});
  }
  select_data(sync_, static_cast<int>(f->sync.mode));
  sync_condition_->setText(qs(f->sync.condition));
  barrier_->setChecked(f->barrier);
  in_order_->setText(qs(f->in_order));
  // Only a call that creates an object can say how that object runs its work.
  const bool creates = spec::creates_handle(*f);
  in_order_->setEnabled(creates || !f->in_order.empty());
  in_order_->setPlaceholderText(creates ? tr("true, or e.g. (flags & OUT_OF_ORDER) == 0; empty: no")
                                        : tr("this call creates no object"));
  supported_->setChecked(f->supported);
  updateSyncCondition();
  validateSize();
}

void ParamEditor::validateSize() {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  const QString problem = f ? size_expression_error(size_->text(), sizeScope(*f)) : QString();
  size_message_->setText(problem.isEmpty() ? QString() : tr("Invalid size: %1").arg(problem));
  size_message_->setVisible(!problem.isEmpty());
  size_->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("border: 1px solid #b00020;"));
}

void ParamEditor::updateSyncCondition() {
  sync_condition_->setEnabled(sync_->currentData().toInt() == static_cast<int>(spec::Sync::Mode::AsyncIf));
}

void ParamEditor::showMessage(const QString& text, bool error) {
  message_->setText(text);
  message_->setStyleSheet(error ? QStringLiteral("color: #b00020; font-weight: bold;") : QStringLiteral("color: #1b5e20;"));
  message_->setVisible(!text.isEmpty());
}

void ParamEditor::focusFirstField() {
  if (param_group_->isEnabled()) direction_->setFocus();
  else sync_->setFocus();
}

std::optional<spec::Function> ParamEditor::editedFunction(QString* error) {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) {
    *error = tr("Nothing is selected.");
    return std::nullopt;
  }
  spec::Function edited = *f;
  if (spec::Param* p = param_.isEmpty() ? nullptr : edited.find_param(param_.toStdString())) {
    const QString problem = size_expression_error(size_->text(), sizeScope(*f));
    if (!problem.isEmpty()) {
      *error = tr("Not applied — invalid size expression: %1").arg(problem);
      showMessage(*error, true);
      return std::nullopt;
    }
    std::vector<spec::When> when;
    if (!when_->when(&when, error, *f)) {
      *error = tr("Not applied — %1").arg(*error);
      showMessage(*error, true);
      return std::nullopt;
    }
    spec::Annotation& ann = p->ann;
    ann.direction = static_cast<spec::Direction>(direction_->currentData().toInt());
    ann.kind = static_cast<spec::Kind>(kind_->currentData().toInt());
    ann.size = size_->text().trimmed().toStdString();
    ann.size_unit = static_cast<spec::SizeUnit>(unit_->currentData().toInt());
    const int element = element_->currentData().toInt();
    if (element < 0) {
      ann.element.reset();
    } else if (!ann.element || static_cast<int>(ann.element->kind) != element) {
      spec::Annotation pointee;
      pointee.kind = static_cast<spec::Kind>(element);
      if (ann.element) pointee.handle_type = ann.element->handle_type;
      ann.element = spec::Box<spec::Annotation>(std::move(pointee));
    }
    ann.nullable = nullable_->isChecked();
    ann.allocates = allocates_->isChecked();
    ann.deallocates = deallocates_->isChecked();
    ann.may_hold_handles = may_hold_handles_->isChecked();
    ann.retain = retain_->currentData().toString().toStdString();
    ann.points_into = points_into_->currentData().toString().toStdString();
    p->when = std::move(when);
  }
  edited.sync.mode = static_cast<spec::Sync::Mode>(sync_->currentData().toInt());
  edited.sync.condition =
      edited.sync.mode == spec::Sync::Mode::AsyncIf ? sync_condition_->text().trimmed().toStdString() : std::string();
  if (edited.sync.mode == spec::Sync::Mode::AsyncIf && edited.sync.condition.empty()) {
    *error = tr("Not applied — 'async if' needs a condition.");
    showMessage(*error, true);
    return std::nullopt;
  }
  edited.barrier = barrier_->isChecked();
  std::string in_order = in_order_->text().trimmed().toStdString();
  if (in_order == "false") in_order.clear();
  if (!in_order.empty() && !spec::creates_handle(edited)) {
    *error =
        tr("Not applied — in order: %1 creates no object (no allocated handle returned or written)")
            .arg(function_);
    showMessage(*error, true);
    return std::nullopt;
  }
  if (!in_order.empty() && in_order != "true") {
    spec::SizeExprParse parsed = spec::parse_creation_predicate(in_order);
    if (!parsed) {
      *error = tr("Not applied — in order: %1").arg(qs(parsed.error->message));
      showMessage(*error, true);
      return std::nullopt;
    }
  }
  edited.in_order = in_order;
  edited.supported = supported_->isChecked();
  message_->hide();
  return edited;
}

}  // namespace remora::studio
