// The review workflow: which annotation is current, moving to the next or
// previous one that still needs review, and turning confirm / edit / revert
// into undoable commands (which also land in the review history).
#pragma once

#include <QObject>
#include <QStringList>
#include <functional>

#include "remora/spec/model.h"

namespace remora::studio {

class ProjectSession;

class ReviewController : public QObject {
  Q_OBJECT

 public:
  explicit ReviewController(QObject* parent = nullptr);
  void setSession(ProjectSession* session);
  // The functions in display order (the list's sort and filter), for next/previous.
  void setOrder(std::function<QStringList()> order) { order_ = std::move(order); }
  void setAdvanceAfterConfirm(bool advance) { advance_ = advance; }

  QString currentFunction() const { return function_; }
  QString currentParam() const { return param_; }

  void select(const QString& function, const QString& param);
  // Selects the function's first parameter needing review (else its first one).
  void selectFunction(const QString& function);
  bool next();
  bool previous();

  bool confirm();
  // Confirms, as one undoable step, every annotation of these functions that awaits
  // confirmation and does not need review (confidence at or above the threshold,
  // no conflicts). Returns how many were confirmed.
  int confirmAboveThreshold(const QStringList& functions);
  bool applyEdit(const spec::Function& after, QString* error);
  bool revert(QString* error);

 signals:
  void currentChanged(const QString& function, const QString& param);
  void message(const QString& text);

 private:
  struct Item {
    QString function, param;
    bool needsReview = false;  // below the threshold or conflicting: walked first
    bool awaits = false;       // not yet confirmed or edited: walked after those
  };
  std::vector<Item> items() const;
  bool step(int direction);
  bool stepTo(int direction, bool Item::*wanted);
  void push(const spec::Function& before, const spec::Function& after, const std::string& action);

  ProjectSession* session_ = nullptr;
  std::function<QStringList()> order_;
  QString function_, param_;
  bool advance_ = true;
};

}  // namespace remora::studio
