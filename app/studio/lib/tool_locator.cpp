#include "tool_locator.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace remora::studio {

namespace {
bool is_executable(const QString& path) {
  QFileInfo info(path);
  return info.isFile() && info.isExecutable();
}
}  // namespace

QString find_remora_cli() {
  const QString env = qEnvironmentVariable("REMORA_CLI");
  if (!env.isEmpty()) return is_executable(env) ? env : QString();
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath("remora"), here.filePath("../cli/remora"),
                                   here.filePath("../../app/cli/remora")})
    if (is_executable(candidate)) return QFileInfo(candidate).canonicalFilePath();
  return QStandardPaths::findExecutable(QStringLiteral("remora"));
}

QString resolve_library_path(const QString& name) {
  if (name.contains(QLatin1Char('/'))) return QFileInfo(name).isFile() ? QFileInfo(name).absoluteFilePath() : QString();
  QStringList dirs = qEnvironmentVariable("LD_LIBRARY_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts);
  dirs << QStringLiteral("/usr/local/lib") << QStringLiteral("/usr/lib/x86_64-linux-gnu") << QStringLiteral("/usr/lib64")
       << QStringLiteral("/lib/x86_64-linux-gnu") << QStringLiteral("/usr/lib") << QStringLiteral("/lib");
  for (const QString& dir : dirs) {
    const QString candidate = QDir(dir).filePath(name);
    if (QFileInfo(candidate).isFile()) return candidate;
  }
  return {};
}

QString remora_cli_missing_message() {
  return QStringLiteral(
      "The `remora` command-line tool was not found (looked in $REMORA_CLI, next to remora-studio in %1, "
      "and on PATH). Build the `remora` target or put it on PATH, then try again.")
      .arg(QCoreApplication::applicationDirPath());
}

}  // namespace remora::studio
