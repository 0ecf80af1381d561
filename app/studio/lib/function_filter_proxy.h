// Filters the function list by badge and search text, and orders it so the
// least certain functions needing review come first.
#pragma once

#include <QSortFilterProxyModel>

namespace remora::studio {

class FunctionFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  enum class Filter { All, NeedsReview, Conflict, Confirmed, Edited, Unsupported, ChangedByTrace };

  explicit FunctionFilterProxy(QObject* parent = nullptr);
  void setFilter(Filter filter);
  void setSearchText(const QString& text);  // matches function and parameter names
  Filter filter() const { return filter_; }

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  Filter filter_ = Filter::All;
  QString search_;
};

}  // namespace remora::studio
