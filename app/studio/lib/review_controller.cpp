#include "review_controller.h"

#include "annotation_text.h"
#include "inference_backend.h"
#include "project_session.h"
#include "review_commands.h"
#include "review_state.h"

namespace remora::studio {

ReviewController::ReviewController(QObject* parent) : QObject(parent) {}

void ReviewController::setSession(ProjectSession* session) {
  session_ = session;
  function_.clear();
  param_.clear();
  emit currentChanged(function_, param_);
}

void ReviewController::select(const QString& function, const QString& param) {
  if (function == function_ && param == param_) return;
  function_ = function;
  param_ = param;
  emit currentChanged(function_, param_);
}

void ReviewController::selectFunction(const QString& function) {
  const spec::Function* f = session_ ? session_->function(function) : nullptr;
  if (!f) return;
  if (function == function_) return;  // keep the parameter the reviewer is on
  QString param;
  for (const auto& p : f->params)
    if (param_needs_review(*f, p)) {
      param = qs(p.name);
      break;
    }
  if (param.isEmpty() && !f->params.empty()) param = qs(f->params.front().name);
  select(function, param);
}

std::vector<ReviewController::Item> ReviewController::items() const {
  std::vector<Item> out;
  if (!session_) return out;
  QStringList order;
  if (order_) order = order_();
  if (order.isEmpty())
    for (const auto& f : session_->spec().functions) order << qs(f.name);
  for (const QString& name : order) {
    const spec::Function* f = session_->function(name);
    if (!f) continue;
    if (f->params.empty()) out.push_back({name, QString(), function_needs_review(*f)});
    for (const auto& p : f->params) out.push_back({name, qs(p.name), param_needs_review(*f, p)});
  }
  return out;
}

bool ReviewController::step(int direction) {
  const auto list = items();
  if (list.empty()) return false;
  const int n = static_cast<int>(list.size());
  // Where we are: the current item, or (function-level selection) just before
  // the function's first parameter.
  int position = -1;
  bool on_item = false;
  for (int i = 0; i < n; ++i)
    if (list[i].function == function_ && (list[i].param == param_ || param_.isEmpty())) {
      position = i;
      on_item = list[i].param == param_;
      break;
    }
  int start;
  if (position < 0) start = direction > 0 ? 0 : n - 1;
  else if (on_item) start = position + direction;
  else start = direction > 0 ? position : position - 1;
  for (int k = 0; k < n; ++k) {
    const int i = ((start + direction * k) % n + n) % n;
    if (list[i].needsReview) {
      select(list[i].function, list[i].param);
      return true;
    }
  }
  emit message(tr("Nothing left to review — every annotation is confirmed or edited."));
  return false;
}

bool ReviewController::next() { return step(+1); }
bool ReviewController::previous() { return step(-1); }

void ReviewController::push(const spec::Function& before, const spec::Function& after, const std::string& action) {
  session_->undoStack()->push(new FunctionChangeCommand(session_, before, after, param_.toStdString(), action));
}

bool ReviewController::confirm() {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) return false;
  spec::Function after = *f;
  if (!param_.isEmpty()) {
    spec::Param* p = after.find_param(param_.toStdString());
    if (!p) return false;
    if (p->status == spec::ReviewStatus::Inferred) {
      p->status = spec::ReviewStatus::Confirmed;
      push(*f, after, "confirm");
      emit message(tr("Confirmed %1.%2").arg(function_, param_));
    }
  } else if (after.status == spec::ReviewStatus::Inferred) {
    after.status = spec::ReviewStatus::Confirmed;
    push(*f, after, "confirm");
    emit message(tr("Confirmed %1").arg(function_));
  }
  if (advance_) next();
  return true;
}

bool ReviewController::applyEdit(const spec::Function& edited, QString* error) {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) return *error = tr("Nothing is selected."), false;
  spec::Function after = edited;
  bool changed = false;
  if (!param_.isEmpty()) {
    const spec::Param* old = f->find_param(param_.toStdString());
    spec::Param* p = after.find_param(param_.toStdString());
    if (old && p && (!(old->ann == p->ann) || !(old->when == p->when))) {
      p->status = spec::ReviewStatus::Edited;
      changed = true;
    }
  }
  const bool function_changed = !(f->sync == after.sync) || f->barrier != after.barrier || f->supported != after.supported;
  if (function_changed) {
    after.status = after.supported ? spec::ReviewStatus::Edited : spec::ReviewStatus::Unsupported;
    if (!after.supported && after.unsupported_reason.empty()) after.unsupported_reason = "marked unsupported by the reviewer";
    changed = true;
  }
  if (!changed) return *error = tr("Nothing changed. Use Confirm (Ctrl+Enter) to accept the annotation as inferred."), false;
  push(*f, after, function_changed && !after.supported ? "unsupport" : "edit");
  emit message(tr("Edited %1").arg(param_.isEmpty() ? function_ : function_ + "." + param_));
  return true;
}

bool ReviewController::revert(QString* error) {
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) return *error = tr("Nothing is selected."), false;
  spec::Function after = *f;
  if (param_.isEmpty()) {
    if (after.status == spec::ReviewStatus::Inferred) return *error = tr("Already as inferred."), false;
    after.status = spec::ReviewStatus::Inferred;
  } else {
    spec::Param* p = after.find_param(param_.toStdString());
    if (!p) return false;
    if (p->status == spec::ReviewStatus::Inferred) return *error = tr("Already as inferred."), false;
    auto inferred = refused_param(session_->spec(), *f, param_.toStdString());
    if (!inferred) inferred = session_->inferredParam(function_, param_);
    if (!inferred)
      return *error = tr("The inferred version of %1 is not known in this session (it was reviewed before the "
                         "project was opened). Re-run inference to recover it.")
                          .arg(param_),
             false;
    *p = *inferred;
    p->status = spec::ReviewStatus::Inferred;
  }
  push(*f, after, "revert");
  emit message(tr("Reverted %1 to the inferred annotation").arg(param_.isEmpty() ? function_ : function_ + "." + param_));
  return true;
}

}  // namespace remora::studio
