#include "function_list_model.h"

#include <QFont>

#include "annotation_text.h"
#include "project_session.h"
#include "review_state.h"
#include "struct_rows.h"

namespace remora::studio {

FunctionListModel::FunctionListModel(QObject* parent) : QAbstractTableModel(parent) {}

void FunctionListModel::setSession(ProjectSession* session) {
  beginResetModel();
  if (session_) session_->disconnect(this);
  session_ = session;
  if (session_) {
    connect(session_, &ProjectSession::functionChanged, this, [this](const QString& name) {
      const int row = rowOf(name);
      if (row >= 0) emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(session_, &ProjectSession::specReset, this, [this] {
      beginResetModel();
      endResetModel();
    });
  }
  endResetModel();
}

int FunctionListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !session_ ? 0 : session_->rowCount();
}

int FunctionListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

int FunctionListModel::rowOf(const QString& function) const {
  return session_ ? session_->rowOf(function) : -1;
}

bool FunctionListModel::changedByRun(int row) const {
  const auto& changed = session_->changedAnnotations();
  if (changed.isEmpty()) return false;
  const auto& f = session_->row(row);
  const QString name = qs(f.name);
  if (changed.contains(name)) return true;
  for (const auto& p : f.params)
    if (changed.contains(annotation_key(name, qs(p.name)))) return true;
  return false;
}

QVariant FunctionListModel::data(const QModelIndex& index, int role) const {
  if (!session_ || !index.isValid() || index.row() >= rowCount()) return {};
  const auto& f = session_->row(index.row());
  const Badge badge = function_badge(f);
  switch (role) {
    case NameRole: return qs(f.name);
    case BadgeRole: return static_cast<int>(badge);
    case CertaintyRole: return function_certainty(f);
    case ChangedRole: return changedByRun(index.row());
    case NeedsReviewRole: return function_needs_review(f);
    case Qt::ToolTipRole: return is_struct_row(f) ? struct_text(f) : prototype_text(f);
    case Qt::BackgroundRole:
      if (index.column() == StatusColumn) return badge_color(badge);
      if (changedByRun(index.row())) return QColor(0xff, 0xf5, 0x9d);
      return {};
    case Qt::FontRole:
      if (index.column() == NameColumn && changedByRun(index.row())) {
        QFont bold;
        bold.setBold(true);
        return bold;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == ConfidenceColumn || index.column() == ReviewedColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::DisplayRole: break;
    default: return {};
  }
  switch (index.column()) {
    case StatusColumn: return badge_text(badge);
    case NameColumn: return qs(f.name);
    case ConfidenceColumn: return is_unsupported(f) ? QStringLiteral("—") : QString::number(function_certainty(f), 'f', 2);
    case ReviewedColumn: {
      int reviewed = 0;
      for (const auto& p : f.params) reviewed += p.status != spec::ReviewStatus::Inferred;
      return QStringLiteral("%1/%2").arg(reviewed).arg(f.params.size());
    }
  }
  return {};
}

QVariant FunctionListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case StatusColumn: return QStringLiteral("Status");
    case NameColumn: return QStringLiteral("Function");
    case ConfidenceColumn: return QStringLiteral("Certainty");
    case ReviewedColumn: return QStringLiteral("Reviewed");
  }
  return {};
}

}  // namespace remora::studio
