// Why the annotation is what it is: every piece of evidence (header, docs,
// trace, human) with its weight, its claim and its reason, strongest first,
// plus any disagreement between sources.
#pragma once

#include <QStringList>
#include <QWidget>

class QTextBrowser;

namespace remora::studio {

class ProjectSession;

class EvidencePanel : public QWidget {
  Q_OBJECT

 public:
  explicit EvidencePanel(QWidget* parent = nullptr);
  void setSession(ProjectSession* session);
  void showItem(const QString& function, const QString& param);
  QTextBrowser* browser() const { return browser_; }
  int evidenceCount() const { return count_; }
  // The locations of the evidence shown, in order ("cl.h:1024"); each is a link.
  QStringList locations() const { return locations_; }

 signals:
  // A location link was clicked (or activated with the keyboard).
  void locationActivated(const QString& location);

 private:
  void render();

  ProjectSession* session_ = nullptr;
  QString function_, param_;
  QTextBrowser* browser_;
  int count_ = 0;
  QStringList locations_;
};

}  // namespace remora::studio
