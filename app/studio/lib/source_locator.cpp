#include "source_locator.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include "annotation_text.h"

namespace remora::studio {

SourceLocation parse_location(const QString& location) {
  static const QRegularExpression with_line(QStringLiteral("^(.*):(\\d+)$"));
  const QRegularExpressionMatch m = with_line.match(location.trimmed());
  if (!m.hasMatch()) return {location.trimmed(), 0};
  return {m.captured(1), m.captured(2).toInt()};
}

namespace {
// A settings path (absolute, or relative to the project file) as an absolute one.
QString absolute(const std::string& path, const QDir& project_dir) {
  const QString p = qs(path);
  return QFileInfo(p).isAbsolute() ? QDir::cleanPath(p) : QDir::cleanPath(project_dir.filePath(p));
}
}  // namespace

QString resolve_source(const QString& file, const QString& project_path,
                       const spec::ProjectSettings& settings, QStringList* searched) {
  if (file.isEmpty()) return {};
  const QDir project_dir = QFileInfo(project_path).absoluteDir();
  if (QFileInfo(file).isAbsolute()) {
    if (QFileInfo(file).isFile()) return file;
  } else if (QFileInfo(project_dir.filePath(file)).isFile()) {
    return QDir::cleanPath(project_dir.filePath(file));
  }
  // Folders to try, most specific first: the header's, the include directories,
  // the docs folders (and the folders of docs files), the project's.
  QStringList folders;
  if (!settings.header.empty())
    folders << QFileInfo(absolute(settings.header, project_dir)).absolutePath();
  for (const auto& dir : settings.include_dirs) folders << absolute(dir, project_dir);
  for (const auto& docs : settings.docs) {
    const QString path = absolute(docs, project_dir);
    folders << (QFileInfo(path).isDir() ? path : QFileInfo(path).absolutePath());
  }
  folders << project_dir.absolutePath();
  folders.removeDuplicates();
  // A relative location is tried under each folder as written, then by its file
  // name alone (an absolute docs path from another machine still finds the copy
  // that sits in this project's docs folder).
  const QString name = QFileInfo(file).fileName();
  for (const QString& folder : folders) {
    const QDir dir(folder);
    if (!QFileInfo(file).isAbsolute() && QFileInfo(dir.filePath(file)).isFile())
      return QDir::cleanPath(dir.filePath(file));
    if (QFileInfo(dir.filePath(name)).isFile()) return QDir::cleanPath(dir.filePath(name));
  }
  if (searched) {
    searched->clear();
    for (const QString& folder : folders) *searched << display_path(folder, project_path);
  }
  return {};
}

QString display_path(const QString& path, const QString& project_path) {
  if (path.isEmpty()) return path;
  if (!QFileInfo(path).isAbsolute()) return path;  // already relative (to the project)
  const QString relative =
      QFileInfo(project_path).absoluteDir().relativeFilePath(QDir::cleanPath(path));
  return relative.startsWith(QStringLiteral("..")) ? QFileInfo(path).fileName() : relative;
}

}  // namespace remora::studio
