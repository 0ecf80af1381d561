#include "function_filter_proxy.h"

#include "function_list_model.h"
#include "review_state.h"

namespace remora::studio {

FunctionFilterProxy::FunctionFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
  // Rows stay put while the reviewer works (a confirmed row does not jump away);
  // the order and filter are refreshed on demand (invalidate()).
  setDynamicSortFilter(false);
}

void FunctionFilterProxy::setFilter(Filter filter) {
  filter_ = filter;
  invalidateFilter();
}

void FunctionFilterProxy::setSearchText(const QString& text) {
  search_ = text.trimmed();
  invalidateFilter();
}

bool FunctionFilterProxy::filterAcceptsRow(int row, const QModelIndex& parent) const {
  const QModelIndex index = sourceModel()->index(row, FunctionListModel::NameColumn, parent);
  if (!search_.isEmpty()) {
    const QString name = index.data(FunctionListModel::NameRole).toString();
    const QString prototype = index.data(Qt::ToolTipRole).toString();
    if (!name.contains(search_, Qt::CaseInsensitive) && !prototype.contains(search_, Qt::CaseInsensitive))
      return false;
  }
  const auto badge = static_cast<Badge>(index.data(FunctionListModel::BadgeRole).toInt());
  switch (filter_) {
    case Filter::All: return true;
    case Filter::NeedsReview: return badge == Badge::NeedsReview || badge == Badge::Conflict;
    case Filter::Conflict: return badge == Badge::Conflict;
    case Filter::Confirmed: return badge == Badge::Confirmed;
    case Filter::Edited: return badge == Badge::Edited;
    case Filter::Unsupported: return badge == Badge::Unsupported;
    case Filter::ChangedByTrace: return index.data(FunctionListModel::ChangedRole).toBool();
  }
  return true;
}

bool FunctionFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  auto key = [](const QModelIndex& i) {
    const QModelIndex name = i.siblingAtColumn(FunctionListModel::NameColumn);
    return std::make_tuple(name.data(FunctionListModel::BadgeRole).toInt(),
                           name.data(FunctionListModel::CertaintyRole).toDouble(),
                           name.data(FunctionListModel::NameRole).toString());
  };
  switch (left.column()) {
    case FunctionListModel::NameColumn:
      return left.data(FunctionListModel::NameRole).toString() < right.data(FunctionListModel::NameRole).toString();
    case FunctionListModel::StatusColumn:
      if (left.data(FunctionListModel::BadgeRole) != right.data(FunctionListModel::BadgeRole))
        return left.data(FunctionListModel::BadgeRole).toInt() < right.data(FunctionListModel::BadgeRole).toInt();
      return key(left) < key(right);
    // Review order: unsupported, conflicts, needing review, awaiting confirmation; least certain first.
    default: return key(left) < key(right);
  }
}

}  // namespace remora::studio
