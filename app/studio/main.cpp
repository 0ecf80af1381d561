// remora-studio: review, confirm and edit an inferred remoting spec.
//   remora-studio [project.remora | spec.json | header.h]
//   remora-studio --screenshots DIR --spec spec.json   (docs/images; see scripts/screenshots.sh)
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include "main_window.h"
#include "screenshot_tour.h"

namespace {
bool is_c_header(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == QStringLiteral("h") || suffix == QStringLiteral("hpp") || suffix == QStringLiteral("hh") ||
         suffix == QStringLiteral("hxx");
}
}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("Remora"));
  QApplication::setApplicationName(QStringLiteral("Remora Studio"));
  QApplication::setApplicationVersion(QStringLiteral("0.1.0"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Review and confirm inferred API-remoting specs."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("file"),
                               QStringLiteral("A .remora project to open, a spec JSON to import, or a C header to "
                                              "start a new project from."));
  QCommandLineOption shots(QStringLiteral("screenshots"), QStringLiteral("Write screenshots of the main views to DIR."),
                           QStringLiteral("DIR"));
  QCommandLineOption header(QStringLiteral("header"), QStringLiteral("Screenshots: infer from this header."),
                            QStringLiteral("HEADER"));
  QCommandLineOption define(QStringLiteral("define"), QStringLiteral("Screenshots: a define for the header."),
                            QStringLiteral("NAME=VALUE"));
  QCommandLineOption docs(QStringLiteral("docs"), QStringLiteral("Screenshots: documentation folder."),
                          QStringLiteral("DIR"));
  QCommandLineOption spec(QStringLiteral("spec"), QStringLiteral("Screenshots: import this spec JSON instead."),
                          QStringLiteral("JSON"));
  QCommandLineOption sample(QStringLiteral("sample"), QStringLiteral("Screenshots: a program to trace and run."),
                            QStringLiteral("PROGRAM"));
  parser.addOptions({shots, header, define, docs, spec, sample});
  parser.process(app);

  remora::studio::MainWindow window;
  window.show();
  if (parser.isSet(shots)) {
    remora::studio::TourOptions tour;
    tour.outputDir = parser.value(shots);
    tour.header = parser.value(header);
    tour.defines = parser.values(define);
    tour.docs = parser.values(docs);
    tour.specJson = parser.value(spec);
    tour.sample = parser.value(sample);
    return remora::studio::run_screenshot_tour(window, tour);
  }
  if (!parser.positionalArguments().isEmpty()) {
    const QString path = parser.positionalArguments().front();
    if (path.endsWith(QStringLiteral(".json"))) {
      // Import into a new project beside the JSON, never over an existing one.
      const QFileInfo info(path);
      QString project = info.absoluteDir().filePath(info.completeBaseName() + QStringLiteral(".remora"));
      for (int n = 1; QFileInfo::exists(project); ++n)
        project = info.absoluteDir().filePath(QStringLiteral("%1-%2.remora").arg(info.completeBaseName()).arg(n));
      window.importSpecJson(path, project);
    } else if (is_c_header(path)) {
      window.showNewProjectDialog(path);
    } else {
      window.openProject(path);
    }
  }
  return app.exec();
}
