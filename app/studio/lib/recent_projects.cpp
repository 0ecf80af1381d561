#include "recent_projects.h"

#include <QFileInfo>
#include <QSettings>

namespace remora::studio {

namespace {
constexpr int kMaxRecent = 10;
const char* kKey = "recentProjects";
}  // namespace

QStringList recent_projects() { return QSettings().value(kKey).toStringList(); }

void add_recent_project(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  QStringList list = recent_projects();
  list.removeAll(absolute);
  list.prepend(absolute);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(kKey, list);
}

void remove_recent_project(const QString& path) {
  QStringList list = recent_projects();
  list.removeAll(path);
  QSettings().setValue(kKey, list);
}

}  // namespace remora::studio
