// Finding the `remora` command-line tool the studio drives for trace and generate.
#pragma once

#include <QString>

namespace remora::studio {

// $REMORA_CLI if set; else `remora` next to remora-studio, in the build tree's
// app/cli/ beside app/studio/, or on PATH. "" when none is found.
QString find_remora_cli();

// The message shown when it is missing: what was searched and what to do.
QString remora_cli_missing_message();

// The file of a shared library named by soname ("libOpenCL.so.1"), searched
// in LD_LIBRARY_PATH and the usual library folders; `name` itself when it
// already is a path; "" when not found.
QString resolve_library_path(const QString& name);

}  // namespace remora::studio
