// Editor for the selected parameter's annotation (direction, kind, size with
// live validation and parameter-name completion, element, nullable, lifecycle,
// may-hold-handles, how long the library keeps the memory (retain), when-conditions) and for the function-level sync mode, barrier and
// in_order (whether the object a creating call makes runs its work in order). It never changes the
// spec itself: Confirm / Apply / Revert ask the review controller, which makes
// an undoable command.
#pragma once

#include <QWidget>
#include <optional>

#include "remora/spec/model.h"

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;

namespace remora::studio {

class ProjectSession;
class WhenEditor;
class WordCompleter;

class ParamEditor : public QWidget {
  Q_OBJECT

 public:
  explicit ParamEditor(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);
  void showItem(const QString& function, const QString& param);  // param "" = function level

  // The function with the form's values applied, or nullopt with `error` set
  // when something in the form is invalid (the message is also shown).
  std::optional<spec::Function> editedFunction(QString* error);
  void showMessage(const QString& text, bool error);
  void focusFirstField();

  QComboBox* directionBox() const { return direction_; }
  QComboBox* kindBox() const { return kind_; }
  QLineEdit* sizeEdit() const { return size_; }
  QLabel* sizeMessage() const { return size_message_; }
  QLabel* message() const { return message_; }
  QCheckBox* nullableBox() const { return nullable_; }
  QCheckBox* mayHoldHandlesBox() const { return may_hold_handles_; }
  QComboBox* retainBox() const { return retain_; }
  QComboBox* pointsIntoBox() const { return points_into_; }
  QComboBox* syncBox() const { return sync_; }
  QLineEdit* inOrderEdit() const { return in_order_; }
  QPushButton* confirmButton() const { return confirm_; }
  QPushButton* applyButton() const { return apply_; }
  QPushButton* revertButton() const { return revert_; }
  QScrollArea* scrollArea() const { return scroll_; }
  WhenEditor* whenEditor() const { return when_; }
  WordCompleter* sizeCompleter() const { return completer_; }

 signals:
  void confirmRequested();
  void applyRequested();
  void revertRequested();

 private:
  void load();
  void validateSize();
  void updateSyncCondition();
  // What a size may name: the function's parameters, or a struct's members.
  spec::Function sizeScope(const spec::Function& f) const;

  ProjectSession* session_ = nullptr;
  QString function_, param_;
  QLabel* heading_;
  QGroupBox* param_group_;
  QGroupBox* function_group_;
  QScrollArea* scroll_;
  QComboBox* direction_;
  QComboBox* kind_;
  QLineEdit* size_;
  QLabel* size_message_;
  QComboBox* unit_;
  QComboBox* element_;
  QCheckBox* nullable_;
  QCheckBox* allocates_;
  QCheckBox* deallocates_;
  QCheckBox* may_hold_handles_;
  QComboBox* retain_;
  QComboBox* points_into_;  // another parameter of the call, or none
  WhenEditor* when_;
  QComboBox* sync_;
  QLineEdit* sync_condition_;
  QCheckBox* barrier_;
  QLineEdit* in_order_;
  QCheckBox* supported_;
  QLabel* message_;
  QPushButton* confirm_;
  QPushButton* apply_;
  QPushButton* revert_;
  WordCompleter* completer_;
};

}  // namespace remora::studio
