// Where an evidence location ("cl.h:1024", "docs/clGetDeviceInfo.txt:12") lives
// on disk. Inference stores header locations by file name and docs locations
// as the path it was given (absolute, or relative to where it ran), so a
// location is looked up the way the project can find its sources: as written,
// then beside the project file, the header, the include directories and the
// docs folders.
#pragma once

#include <QString>
#include <QStringList>

#include "remora/spec/project_store.h"

namespace remora::studio {

struct SourceLocation {
  QString file;  // as written in the evidence
  int line = 0;  // 1-based; 0 when the location names no line
};

// "path:123" -> {path, 123}; a location without a trailing line number keeps line 0.
SourceLocation parse_location(const QString& location);

// The existing file a location names, or "" when none is found; `searched`
// (optional) receives the folders that were tried, for the "not found" message.
QString resolve_source(const QString& file, const QString& project_path,
                       const spec::ProjectSettings& settings, QStringList* searched = nullptr);

// A path to show: relative to the project's folder when inside it, else the
// file name, so that no machine path appears in the studio.
QString display_path(const QString& path, const QString& project_path);

}  // namespace remora::studio
