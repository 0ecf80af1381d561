#include "function_list_panel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

#include "function_filter_proxy.h"
#include "function_list_model.h"
#include "project_session.h"
#include "review_state.h"

namespace remora::studio {

FunctionListPanel::FunctionListPanel(QWidget* parent)
    : QWidget(parent),
      search_(new QLineEdit),
      filter_(new QComboBox),
      table_(new QTableView),
      progress_(new QLabel),
      model_(new FunctionListModel(this)),
      proxy_(new FunctionFilterProxy(this)) {
  search_->setPlaceholderText(QStringLiteral("Search functions and parameters (Ctrl+F)"));
  search_->setClearButtonEnabled(true);
  search_->setObjectName(QStringLiteral("functionSearch"));
  using F = FunctionFilterProxy::Filter;
  const std::pair<const char*, F> filters[] = {
      {"All functions", F::All},   {"Needs review", F::NeedsReview}, {"Conflicts", F::Conflict},
      {"Confirmed", F::Confirmed}, {"Edited", F::Edited},            {"Unsupported", F::Unsupported},
      {"Changed by trace", F::ChangedByTrace}};
  for (const auto& [label, value] : filters) filter_->addItem(tr(label), static_cast<int>(value));
  filter_->setObjectName(QStringLiteral("functionFilter"));

  proxy_->setSourceModel(model_);
  table_->setModel(proxy_);
  table_->setObjectName(QStringLiteral("functionTable"));
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSortingEnabled(true);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  auto* header = table_->horizontalHeader();
  header->setSectionResizeMode(FunctionListModel::StatusColumn, QHeaderView::ResizeToContents);
  header->setSectionResizeMode(FunctionListModel::NameColumn, QHeaderView::Stretch);
  header->setSectionResizeMode(FunctionListModel::ConfidenceColumn, QHeaderView::ResizeToContents);
  header->setSectionResizeMode(FunctionListModel::ReviewedColumn, QHeaderView::ResizeToContents);
  table_->sortByColumn(FunctionListModel::ConfidenceColumn, Qt::AscendingOrder);

  progress_->setObjectName(QStringLiteral("reviewProgress"));

  auto* filters_row = new QHBoxLayout;
  filters_row->addWidget(search_, 1);
  filters_row->addWidget(filter_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters_row);
  layout->addWidget(table_, 1);
  layout->addWidget(progress_);

  connect(search_, &QLineEdit::textChanged, proxy_, &FunctionFilterProxy::setSearchText);
  connect(filter_, &QComboBox::currentIndexChanged, this,
          [this] { proxy_->setFilter(static_cast<F>(filter_->currentData().toInt())); });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) emit functionSelected(current.data(FunctionListModel::NameRole).toString());
          });
}

void FunctionListPanel::setSession(ProjectSession* session) {
  if (session_) session_->disconnect(this);
  session_ = session;
  model_->setSession(session);
  if (session_) {
    connect(session_, &ProjectSession::functionChanged, this, &FunctionListPanel::updateProgress);
    connect(session_, &ProjectSession::specReset, this, [this] {
      resort();
      updateProgress();
    });
  }
  resort();
  updateProgress();
}

void FunctionListPanel::resort() {
  proxy_->invalidate();
  proxy_->sort(table_->horizontalHeader()->sortIndicatorSection(), table_->horizontalHeader()->sortIndicatorOrder());
}

void FunctionListPanel::updateProgress() {
  if (!session_) return progress_->clear();
  progress_->setText(progress_text(review_progress(session_->spec())));
}

void FunctionListPanel::selectFunction(const QString& name) {
  const int row = model_->rowOf(name);
  if (row < 0) return;
  QModelIndex index = proxy_->mapFromSource(model_->index(row, FunctionListModel::NameColumn));
  if (!index.isValid()) {  // filtered out: show everything rather than lose the selection
    search_->clear();
    filter_->setCurrentIndex(0);
    index = proxy_->mapFromSource(model_->index(row, FunctionListModel::NameColumn));
  }
  if (table_->currentIndex().row() == index.row()) return;
  table_->setCurrentIndex(index);
  table_->scrollTo(index);
}

QString FunctionListPanel::currentFunction() const {
  return table_->currentIndex().data(FunctionListModel::NameRole).toString();
}

QStringList FunctionListPanel::visibleFunctions() const {
  QStringList names;
  for (int row = 0; row < proxy_->rowCount(); ++row)
    names << proxy_->index(row, FunctionListModel::NameColumn).data(FunctionListModel::NameRole).toString();
  return names;
}

void FunctionListPanel::showChangedByTrace() {
  // A search typed before the trace would hide changed rows that do not match
  // it: the changed filter stands alone.
  search_->clear();
  filter_->setCurrentIndex(filter_->findData(static_cast<int>(FunctionFilterProxy::Filter::ChangedByTrace)));
}

}  // namespace remora::studio
