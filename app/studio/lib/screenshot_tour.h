// Drives the real main window through its main views and grabs each one into
// PNGs for docs/images (scripts/screenshots.sh runs it under Xvfb or offscreen).
#pragma once

#include <QString>
#include <QStringList>

namespace remora::studio {

class MainWindow;

struct TourOptions {
  QString outputDir;
  QString header;     // infer from this header...
  QStringList defines;
  QStringList docs;
  QString specJson;   // ...or import this spec
  QString sample;     // a program using the API, for the trace and generate views
};

// Returns a process exit code (0 = every screenshot written).
int run_screenshot_tour(MainWindow& window, const TourOptions& options);

}  // namespace remora::studio
