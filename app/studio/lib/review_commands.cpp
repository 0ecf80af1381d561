#include "review_commands.h"

#include "annotation_text.h"
#include "project_session.h"
#include "review_json.h"

namespace remora::studio {

FunctionChangeCommand::FunctionChangeCommand(ProjectSession* session, spec::Function before, spec::Function after,
                                             std::string param, std::string action)
    : session_(session),
      before_(std::move(before)),
      after_(std::move(after)),
      param_(std::move(param)),
      action_(std::move(action)) {
  const QString target = param_.empty() ? qs(after_.name) : qs(after_.name) + "." + qs(param_);
  QString verb = qs(action_);
  if (!verb.isEmpty()) verb[0] = verb[0].toUpper();
  setText(QStringLiteral("%1 %2").arg(verb, target));
}

void FunctionChangeCommand::redo() {
  session_->replaceFunction(after_);
  record(before_, after_, action_, first_redo_ ? "" : "redo");
  first_redo_ = false;
}

void FunctionChangeCommand::undo() {
  session_->replaceFunction(before_);
  record(after_, before_, "revert", "undo of " + action_);
}

void FunctionChangeCommand::record(const spec::Function& from, const spec::Function& to, const std::string& action,
                                   const std::string& note) {
  spec::ReviewEvent event;
  event.function = to.name;
  event.param = param_;
  event.action = action;
  event.note = note;
  const spec::Param* p_from = param_.empty() ? nullptr : from.find_param(param_);
  const spec::Param* p_to = param_.empty() ? nullptr : to.find_param(param_);
  if (p_from && p_to) {
    event.before = param_snapshot_json(from, *p_from);
    event.after = param_snapshot_json(to, *p_to);
  } else {
    event.before = function_snapshot_json(from);
    event.after = function_snapshot_json(to);
  }
  session_->appendReview(std::move(event));
}

}  // namespace remora::studio
