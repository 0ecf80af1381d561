#include "function_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "annotation_chip.h"
#include "annotation_text.h"
#include "project_session.h"
#include "review_state.h"
#include "source_locator.h"
#include "struct_rows.h"

namespace remora::studio {

FunctionView::FunctionView(QWidget* parent)
    : QWidget(parent), title_(new QLabel), details_(new QLabel), rows_(new QWidget), grid_(new QGridLayout(rows_)) {
  title_->setObjectName(QStringLiteral("functionTitle"));
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  QFont title_font = mono;
  title_font.setBold(true);
  title_font.setPointSizeF(title_font.pointSizeF() * 1.15);
  title_->setFont(title_font);
  details_->setWordWrap(true);
  details_->setObjectName(QStringLiteral("functionDetails"));
  details_->setTextFormat(Qt::RichText);
  details_->setTextInteractionFlags(Qt::LinksAccessibleByMouse | Qt::LinksAccessibleByKeyboard);
  connect(details_, &QLabel::linkActivated, this, &FunctionView::locationActivated);
  grid_->setColumnStretch(2, 1);
  grid_->setHorizontalSpacing(10);
  grid_->setVerticalSpacing(4);

  auto* scroll = new QScrollArea;
  scroll->setWidget(rows_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(title_);
  layout->addWidget(details_);
  layout->addWidget(scroll, 1);
}

void FunctionView::setSession(ProjectSession* session) {
  if (session_) session_->disconnect(this);
  session_ = session;
  function_.clear();
  param_.clear();
  if (session_)
    connect(session_, &ProjectSession::functionChanged, this, [this](const QString& name) {
      if (name == function_) rebuild();
    });
  rebuild();
}

void FunctionView::showFunction(const QString& function, const QString& param) {
  const bool same = function == function_;
  function_ = function;
  param_ = param;
  if (same) updateSelection();
  else rebuild();
}

AnnotationChip* FunctionView::chip(const QString& param) const {
  for (auto* c : chips_)
    if (c->property("param").toString() == param) return c;
  return nullptr;
}

void FunctionView::rebuild() {
  const bool had_focus = rows_->isAncestorOf(focusWidget());
  chips_.clear();
  while (QLayoutItem* item = grid_->takeAt(0)) {
    if (QWidget* w = item->widget()) {
      w->hide();
      w->deleteLater();
    }
    delete item;
  }
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) {
    title_->setText(session_ ? tr("Select a function") : QString());
    details_->clear();
    return;
  }
  const bool is_struct = is_struct_row(*f);
  title_->setText(is_struct ? QStringLiteral("%1 {").arg(qs(f->name)) : QStringLiteral("%1 %2(").arg(qs(f->ret.type), qs(f->name)));
  QStringList details;
  details << tr("returns %1").arg(annotation_summary(f->ret.ann));
  details << sync_text(f->sync);
  if (f->barrier) details << tr("barrier");
  if (!f->cacheable.empty())
    details << (f->cacheable == "true" ? tr("cacheable") : tr("cacheable if %1").arg(qs(f->cacheable)));
  // What the object this call creates promises about its queued work (the server may retire
  // held inputs of earlier commands once a later one is known complete).
  if (!f->in_order.empty())
    details << (f->in_order == "true"
                    ? tr("creates an in-order object")
                    : tr("creates an in-order object if %1").arg(qs(f->in_order)));
  // Read-only here: a reviewer changes `chunk` in the JSON (docs/spec-format.md).
  if (f->chunk)
    details << tr("large %1 split at %2 by %3 (%4, %5)")
                   .arg(qs(f->chunk->buffer), qs(f->chunk->offset), qs(f->chunk->size),
                        qs(std::string(remora::spec::to_string(f->chunk->status))),
                        QString::number(f->chunk->confidence, 'f', 2));
  if (!f->supported) details << tr("unsupported: %1").arg(qs(f->unsupported_reason));
  for (QString& d : details) d = d.toHtmlEscaped();
  // The declaration's location opens the source view there (shown without machine paths).
  if (!f->location.empty()) {
    const SourceLocation where = parse_location(qs(f->location));
    QString shown = display_path(where.file, session_->path());
    if (where.line > 0) shown += QStringLiteral(":%1").arg(where.line);
    details << QStringLiteral("<a href='%1'>%2</a>").arg(qs(f->location).toHtmlEscaped(), shown.toHtmlEscaped());
  }
  QString text = details.join(QStringLiteral(" · "));
  if (is_struct)
    text = tr("The members the library reads or writes through pointers: how each is copied, "
              "like a parameter (sizes name sibling members). Saved into the spec's types.");
  if (!f->doc.empty()) text += QStringLiteral("<br>") + qs(f->doc).toHtmlEscaped();
  details_->setText(text);

  const QSet<QString>& changed = session_->changedAnnotations();
  auto make_chip = [&](const QString& param, const QString& label, spec::ReviewStatus status, bool conflict,
                       double confidence) {
    // Annotations the last trace changed carry a marker, like their list row.
    const bool traced = changed.contains(annotation_key(function_, param));
    auto* chip = new AnnotationChip(traced ? QStringLiteral("★ ") + label : label, status_color(status, confidence, conflict));
    chip->setProperty("param", param);
    chip->setObjectName(param.isEmpty() ? QStringLiteral("chip:function") : QStringLiteral("chip:") + param);
    chip->setToolTip(tr("%1 · confidence %2%3")
                         .arg(status_label(status, confidence, conflict))
                         .arg(confidence, 0, 'f', 2)
                         .arg(traced ? tr(" · changed by the last trace") : QString()));
    connect(chip, &AnnotationChip::clicked, this, [this, param] {
      param_ = param;
      updateSelection();
      emit paramSelected(param);
    });
    chips_ << chip;
    // The chip keeps its natural width and only wraps when the pane is narrower.
    auto* cell = new QWidget;
    auto* cell_layout = new QHBoxLayout(cell);
    cell_layout->setContentsMargins(0, 0, 0, 0);
    cell_layout->addWidget(chip, 1);
    cell_layout->addStretch(0);
    return cell;
  };

  QFont mono(QStringLiteral("monospace"));
  mono.setStyleHint(QFont::Monospace);
  int row = 0;
  for (const auto& p : f->params) {
    const QString name = qs(p.name);
    const bool more = row + 1 < static_cast<int>(f->params.size()) || f->variadic;
    auto* decl = new QLabel(QStringLiteral("    %1 %2%3").arg(qs(p.type), name,
                                                               is_struct ? QStringLiteral(";")
                                                               : more    ? QStringLiteral(",")
                                                                         : QString()));
    decl->setFont(mono);
    auto* conf = new QLabel(QString::number(p.confidence, 'f', 2));
    conf->setToolTip(tr("confidence"));
    grid_->addWidget(decl, row, 0);
    grid_->addWidget(conf, row, 1);
    const bool conflict = !p.conflicts.empty() && p.status == spec::ReviewStatus::Inferred;
    grid_->addWidget(make_chip(name, annotation_summary(p.ann) + (p.when.empty() ? QString() : tr(" · when…")), p.status,
                               conflict, p.confidence),
                     row, 2);
    ++row;
  }
  if (f->variadic) {
    auto* dots = new QLabel(QStringLiteral("    ..."));
    dots->setFont(mono);
    grid_->addWidget(dots, row++, 0);
  }
  auto* close = new QLabel(is_struct ? QStringLiteral("};") : QStringLiteral(")"));
  close->setFont(mono);
  grid_->addWidget(close, row, 0);
  // A struct has no function-level annotation (sync, barrier) to review.
  if (!is_struct)
    grid_->addWidget(make_chip(QString(), tr("function: %1%2").arg(sync_text(f->sync), f->barrier ? tr(", barrier") : ""),
                             f->status, false, f->confidence),
                   row, 2);
  grid_->setRowStretch(row + 1, 1);
  updateSelection();
  if (had_focus)
    if (auto* c = chip(param_)) c->setFocus();
}

void FunctionView::updateSelection() {
  for (auto* c : chips_) c->setSelected(c->property("param").toString() == param_);
}

}  // namespace remora::studio
