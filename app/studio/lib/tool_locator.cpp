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

QString remora_cli_missing_message() {
  return QStringLiteral(
      "The `remora` command-line tool was not found (looked in $REMORA_CLI, next to remora-studio in %1, "
      "and on PATH). Build the `remora` target or put it on PATH, then try again.")
      .arg(QCoreApplication::applicationDirPath());
}

}  // namespace remora::studio
