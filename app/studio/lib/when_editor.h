// The table of conditional overrides of one parameter ("if kind ==
// cudaMemcpyDeviceToHost then direction out"), one row per condition.
#pragma once

#include <QWidget>
#include <vector>

#include "remora/spec/model.h"

class QTableWidget;

namespace remora::studio {

class WhenEditor : public QWidget {
  Q_OBJECT

 public:
  explicit WhenEditor(QWidget* parent = nullptr);
  void setWhen(const std::vector<spec::When>& when);
  // The rows as When entries; on a bad row returns false and sets `error`.
  bool when(std::vector<spec::When>* out, QString* error, const spec::Function& f) const;
  QTableWidget* table() const { return table_; }
  void addRow();

 private:
  QTableWidget* table_;
};

}  // namespace remora::studio
