// Undoable review changes. Every change (confirm, edit, revert) is one command
// holding the function before and after, so undo/redo restore it exactly; each
// redo and undo is also appended to the project's review history.
#pragma once

#include <QUndoCommand>

#include "remora/spec/model.h"

namespace remora::studio {

class ProjectSession;

class FunctionChangeCommand : public QUndoCommand {
 public:
  // `param` is "" for a function-level change; `action` is the history verb
  // ("confirm", "edit", "revert", "unsupport").
  FunctionChangeCommand(ProjectSession* session, spec::Function before, spec::Function after, std::string param,
                        std::string action);

  void redo() override;
  void undo() override;

 private:
  void record(const spec::Function& from, const spec::Function& to, const std::string& action,
              const std::string& note);

  ProjectSession* session_;
  spec::Function before_, after_;
  std::string param_, action_;
  bool first_redo_ = true;
};

}  // namespace remora::studio
