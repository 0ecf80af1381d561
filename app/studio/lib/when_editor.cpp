#include "when_editor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "annotation_text.h"
#include "size_validation.h"

namespace remora::studio {

namespace {
enum Column { IfColumn, DirectionColumn, KindColumn, SizeColumn, ColumnCount };
QString cell(const QTableWidget* t, int row, int column) {
  auto* item = t->item(row, column);
  return item ? item->text().trimmed() : QString();
}
}  // namespace

WhenEditor::WhenEditor(QWidget* parent) : QWidget(parent), table_(new QTableWidget(0, ColumnCount)) {
  table_->setHorizontalHeaderLabels({tr("if (C predicate)"), tr("direction"), tr("kind"), tr("size")});
  table_->horizontalHeader()->setSectionResizeMode(IfColumn, QHeaderView::Stretch);
  for (int c : {DirectionColumn, KindColumn, SizeColumn})
    table_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  table_->verticalHeader()->hide();
  table_->setObjectName(QStringLiteral("whenTable"));
  // Room for a few conditions; most parameters have none, so it stays small.
  const int row = table_->verticalHeader()->defaultSectionSize();
  table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() + 2 * row + 4);
  table_->setMaximumHeight(table_->horizontalHeader()->sizeHint().height() + 4 * row + 4);
  auto* add = new QPushButton(tr("Add condition"));
  auto* remove = new QPushButton(tr("Remove"));
  connect(add, &QPushButton::clicked, this, &WhenEditor::addRow);
  connect(remove, &QPushButton::clicked, this, [this] {
    if (table_->currentRow() >= 0) table_->removeRow(table_->currentRow());
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_);
  layout->addLayout(buttons);
}

void WhenEditor::addRow() {
  const int row = table_->rowCount();
  table_->insertRow(row);
  table_->setCurrentCell(row, IfColumn);
}

void WhenEditor::setWhen(const std::vector<spec::When>& when) {
  table_->setRowCount(0);
  for (const auto& w : when) {
    const int row = table_->rowCount();
    table_->insertRow(row);
    table_->setItem(row, IfColumn, new QTableWidgetItem(qs(w.condition)));
    if (w.overrides.direction)
      table_->setItem(row, DirectionColumn, new QTableWidgetItem(qs(spec::to_string(*w.overrides.direction))));
    if (w.overrides.kind) table_->setItem(row, KindColumn, new QTableWidgetItem(qs(spec::to_string(*w.overrides.kind))));
    if (w.overrides.size) table_->setItem(row, SizeColumn, new QTableWidgetItem(qs(*w.overrides.size)));
  }
}

bool WhenEditor::when(std::vector<spec::When>* out, QString* error, const spec::Function& f) const {
  out->clear();
  for (int row = 0; row < table_->rowCount(); ++row) {
    spec::When w;
    const QString condition = cell(table_, row, IfColumn);
    const QString direction = cell(table_, row, DirectionColumn);
    const QString kind = cell(table_, row, KindColumn);
    const QString size = cell(table_, row, SizeColumn);
    if (condition.isEmpty() && direction.isEmpty() && kind.isEmpty() && size.isEmpty()) continue;  // blank row
    const QString where = tr("condition %1: ").arg(row + 1);
    if (condition.isEmpty()) return *error = where + tr("the 'if' predicate is empty"), false;
    w.condition = condition.toStdString();
    if (!direction.isEmpty()) {
      w.overrides.direction = spec::direction_from_string(direction.toStdString());
      if (!w.overrides.direction) return *error = where + tr("direction must be in, out or inout"), false;
    }
    if (!kind.isEmpty()) {
      w.overrides.kind = spec::kind_from_string(kind.toStdString());
      if (!w.overrides.kind) return *error = where + tr("unknown kind '%1'").arg(kind), false;
    }
    if (!size.isEmpty()) {
      const QString problem = size_expression_error(size, f);
      if (!problem.isEmpty()) return *error = where + tr("size: ") + problem, false;
      w.overrides.size = size.toStdString();
    }
    if (w.overrides.empty()) return *error = where + tr("it overrides nothing"), false;
    out->push_back(std::move(w));
  }
  return true;
}

}  // namespace remora::studio
