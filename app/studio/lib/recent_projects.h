// The recent-projects list (QSettings), most recent first.
#pragma once

#include <QStringList>

namespace remora::studio {

QStringList recent_projects();
void add_recent_project(const QString& path);
void remove_recent_project(const QString& path);

}  // namespace remora::studio
