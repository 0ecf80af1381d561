#include "evidence_panel.h"

#include <QTextBrowser>
#include <QVBoxLayout>
#include <algorithm>

#include "annotation_text.h"
#include "project_session.h"
#include "review_state.h"
#include "source_locator.h"

namespace remora::studio {

namespace {
QString source_color(spec::EvidenceSource s) {
  switch (s) {
    case spec::EvidenceSource::Header: return QStringLiteral("#5c6bc0");
    case spec::EvidenceSource::Docs: return QStringLiteral("#00897b");
    case spec::EvidenceSource::Trace: return QStringLiteral("#ef6c00");
    case spec::EvidenceSource::Human: return QStringLiteral("#6d4c41");
  }
  return QStringLiteral("#555");
}

// `link`: the href of the evidence's location (it opens the source view).
QString render_evidence(const spec::Evidence& e, const QString& link, const QString& project) {
  const QString source = qs(spec::to_string(e.source)).toUpper();
  QString why = qs(e.why).toHtmlEscaped();
  if (e.source == spec::EvidenceSource::Docs) why = QStringLiteral("<i>%1</i>").arg(why);
  // Plain paragraphs: Qt's rich-text tables squeeze narrow cells badly.
  QString html = QStringLiteral(
                     "<p style='margin-top:8px; margin-bottom:2px'>"
                     "<span style='background:%1; color:white; font-weight:bold'>&nbsp;%2&nbsp;</span>"
                     "&nbsp; weight <b>%3</b> &nbsp;·&nbsp; says <code>%4</code></p>"
                     "<p style='margin-left:12px; margin-top:0; margin-bottom:0'>%5</p>")
                     .arg(source_color(e.source), source)
                     .arg(e.weight, 0, 'f', 2)
                     .arg(patch_summary(e.says).toHtmlEscaped(), why);
  if (!e.location.empty()) {
    // Shown relative to the project (or by file name): no machine paths on screen.
    const SourceLocation where = parse_location(qs(e.location));
    QString shown = display_path(where.file, project);
    if (where.line > 0) shown += QStringLiteral(":%1").arg(where.line);
    html += QStringLiteral("<p style='margin-left:12px; margin-top:0; color:#666'><a href='%1'>%2</a></p>")
                .arg(link, shown.toHtmlEscaped());
  }
  return html;
}
}  // namespace

EvidencePanel::EvidencePanel(QWidget* parent) : QWidget(parent), browser_(new QTextBrowser) {
  browser_->setObjectName(QStringLiteral("evidence"));
  browser_->setOpenLinks(false);
  connect(browser_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
    // "location:N" names the Nth location of the evidence shown.
    const QString text = url.toString();
    if (!text.startsWith(QStringLiteral("location:"))) return;
    const int n = text.mid(9).toInt();
    if (n >= 0 && n < locations_.size()) emit locationActivated(locations_[n]);
  });
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(browser_);
}

void EvidencePanel::setSession(ProjectSession* session) {
  if (session_) session_->disconnect(this);
  session_ = session;
  if (session_)
    connect(session_, &ProjectSession::functionChanged, this, [this](const QString& name) {
      if (name == function_) render();
    });
  function_.clear();
  param_.clear();
  render();
}

void EvidencePanel::showItem(const QString& function, const QString& param) {
  function_ = function;
  param_ = param;
  render();
}

void EvidencePanel::render() {
  count_ = 0;
  locations_.clear();
  const spec::Function* f = session_ ? session_->function(function_) : nullptr;
  if (!f) {
    browser_->setHtml(tr("<p style='color:#666'>The evidence behind the selected annotation appears here.</p>"));
    return;
  }
  const spec::Param* p = param_.isEmpty() ? nullptr : f->find_param(param_.toStdString());
  std::vector<spec::Evidence> evidence = p ? p->evidence : f->evidence;
  std::stable_sort(evidence.begin(), evidence.end(),
                   [](const spec::Evidence& a, const spec::Evidence& b) { return a.weight > b.weight; });
  count_ = static_cast<int>(evidence.size());

  QString html;
  if (p) {
    html += QStringLiteral("<h3 style='margin:0'><code>%1</code> of %2</h3>")
                .arg(qs(p->name).toHtmlEscaped(), qs(f->name).toHtmlEscaped());
    html += QStringLiteral("<p>Inferred <code>%1</code> — confidence <b>%2</b>, %3</p>")
                .arg(annotation_summary(p->ann).toHtmlEscaped())
                .arg(p->confidence, 0, 'f', 2)
                .arg(status_label(p->status, p->confidence, !p->conflicts.empty()));
    if (!p->conflicts.empty()) {
      html += QStringLiteral("<p style='color:#b00020'><b>Sources disagree:</b></p><ul style='color:#b00020'>");
      for (const auto& c : p->conflicts) html += QStringLiteral("<li>%1</li>").arg(qs(c).toHtmlEscaped());
      html += QStringLiteral("</ul>");
    }
  } else {
    html += QStringLiteral("<h3 style='margin:0'>%1</h3>").arg(qs(f->name).toHtmlEscaped());
    const QString in_order = f->in_order.empty() ? QString()
                             : f->in_order == "true"
                                 ? QStringLiteral(", in order")
                                 : QStringLiteral(", in order if %1").arg(qs(f->in_order));
    html +=
        QStringLiteral("<p>Function level: <code>%1</code>%2 — confidence <b>%3</b>, %4</p>")
            .arg(
                sync_text(f->sync).toHtmlEscaped(),
                ((f->barrier ? QStringLiteral(", barrier") : QString()) + in_order).toHtmlEscaped())
            .arg(f->confidence, 0, 'f', 2)
            .arg(status_label(f->status, f->confidence, false));
  }
  if (evidence.empty()) html += tr("<p style='color:#666'>No evidence recorded for this annotation.</p>");
  const QString project = session_->path();
  for (const auto& e : evidence) {
    html += render_evidence(e, QStringLiteral("location:%1").arg(locations_.size()), project);
    if (!e.location.empty()) locations_ << qs(e.location);
  }
  browser_->setHtml(html);
}

}  // namespace remora::studio
