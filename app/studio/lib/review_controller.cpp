#include "review_controller.h"

#include <QUndoStack>

#include "annotation_text.h"
#include "inference_backend.h"
#include "project_session.h"
#include "review_commands.h"
#include "review_state.h"

namespace remora::studio {

namespace {

// A person's decision is evidence like any other, and the strongest: it shows in
// the evidence panel as HUMAN, and the annotation's confidence becomes 1.
void add_human_evidence(spec::Param& p, const std::string& why) {
  spec::Evidence e;
  e.source = spec::EvidenceSource::Human;
  e.weight = 1.0;
  e.why = why;
  e.says.direction = p.ann.direction;
  e.says.kind = p.ann.kind;
  if (!p.ann.size.empty()) {
    e.says.size = p.ann.size;
    e.says.size_unit = p.ann.size_unit;
  }
  e.says.nullable = p.ann.nullable;
  if (p.ann.allocates) e.says.allocates = true;
  if (p.ann.deallocates) e.says.deallocates = true;
  // Said either way once a person decided: "no handles here" is a decision too.
  e.says.may_hold_handles = p.ann.may_hold_handles;
  p.evidence.push_back(std::move(e));
  p.confidence = 1.0;
}

}  // namespace

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
  for (const auto& p : f->params)
    if (param.isEmpty() && param_awaits_confirmation(*f, p)) param = qs(p.name);
  if (param.isEmpty() && !f->params.empty()) param = qs(f->params.front().name);
  select(function, param);
}

std::vector<ReviewController::Item> ReviewController::items() const {
  std::vector<Item> out;
  if (!session_) return out;
  QStringList order;
  if (order_) order = order_();
  if (order.isEmpty())
    for (int i = 0; i < session_->rowCount(); ++i) order << qs(session_->row(i).name);
  for (const QString& name : order) {
    const spec::Function* f = session_->function(name);
    if (!f) continue;
    if (f->params.empty())
      out.push_back({name, QString(), function_needs_review(*f), function_awaits_confirmation(*f)});
    for (const auto& p : f->params)
      out.push_back({name, qs(p.name), param_needs_review(*f, p), param_awaits_confirmation(*f, p)});
  }
  return out;
}

bool ReviewController::step(int direction) {
  // What remora infer says needs review comes first; then whatever still awaits
  // a person's confirmation.
  if (stepTo(direction, &Item::needsReview)) return true;
  if (stepTo(direction, &Item::awaits)) {
    emit message(tr("Nothing below the review threshold is left; walking the annotations awaiting confirmation."));
    return true;
  }
  emit message(tr("Nothing left to review — every annotation is confirmed or edited."));
  return false;
}

bool ReviewController::stepTo(int direction, bool Item::*wanted) {
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
    if (list[i].*wanted) {
      select(list[i].function, list[i].param);
      return true;
    }
  }
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
      add_human_evidence(*p, "confirmed in the studio");
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

int ReviewController::confirmAboveThreshold(const QStringList& functions) {
  if (!session_) return 0;
  std::vector<std::pair<spec::Function, spec::Function>> changes;
  int confirmed = 0;
  for (const QString& name : functions) {
    const spec::Function* f = session_->function(name);
    if (!f) continue;
    spec::Function after = *f;
    int here = 0;
    for (auto& p : after.params)
      if (param_awaits_confirmation(after, p) && !param_needs_review(after, p)) {
        p.status = spec::ReviewStatus::Confirmed;
        add_human_evidence(p, "confirmed in the studio (all above the review threshold)");
        ++here;
      }
    if (after.params.empty() && function_awaits_confirmation(after) && !function_needs_review(after)) {
      after.status = spec::ReviewStatus::Confirmed;
      ++here;
    }
    if (here) changes.emplace_back(*f, std::move(after));
    confirmed += here;
  }
  if (!confirmed) {
    emit message(tr("Nothing to confirm: every annotation here is confirmed, edited, or below the review "
                    "threshold (those need a look first)."));
    return 0;
  }
  // One undo step, named for what it does.
  QUndoStack* undo = session_->undoStack();
  undo->beginMacro(tr("Confirm %n annotation(s) above the threshold", nullptr, confirmed));
  for (auto& [before, after] : changes)
    undo->push(new FunctionChangeCommand(session_, before, after, std::string(), "confirm"));
  undo->endMacro();
  emit message(tr("Confirmed %n annotation(s) at or above the review threshold", nullptr, confirmed));
  return confirmed;
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
      add_human_evidence(*p, "edited in the studio");
      changed = true;
    }
  }
  const bool function_changed = !(f->sync == after.sync) || f->barrier != after.barrier ||
                                f->in_order != after.in_order || f->supported != after.supported;
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
    // Re-fuse from the machine evidence only: the reviewer's own (HUMAN) evidence
    // is what is being reverted.
    spec::Function machine = *f;
    if (spec::Param* mp = machine.find_param(param_.toStdString()))
      std::erase_if(mp->evidence, [](const spec::Evidence& e) { return e.source == spec::EvidenceSource::Human; });
    auto inferred = refused_param(session_->spec(), machine, param_.toStdString());
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
