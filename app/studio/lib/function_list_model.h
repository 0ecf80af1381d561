// The function list: one row per function with its review badge, certainty and
// how many of its parameters a human has settled.
#pragma once

#include <QAbstractTableModel>

namespace remora::studio {

class ProjectSession;

class FunctionListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { StatusColumn, NameColumn, ConfidenceColumn, ReviewedColumn, ColumnCount };
  enum Role {
    NameRole = Qt::UserRole + 1,
    BadgeRole,      // int(Badge)
    CertaintyRole,  // double: lowest confidence awaiting review
    ChangedRole,    // bool: changed by the last re-inference (trace)
    NeedsReviewRole,
  };

  explicit FunctionListModel(QObject* parent = nullptr);
  void setSession(ProjectSession* session);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  int rowOf(const QString& function) const;

 private:
  bool changedByRun(int row) const;

  ProjectSession* session_ = nullptr;
};

}  // namespace remora::studio
