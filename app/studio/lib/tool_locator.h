// Finding the `remora` command-line tool the studio drives for trace and generate.
#pragma once

#include <QString>

namespace remora::studio {

// $REMORA_CLI if set; else `remora` next to remora-studio, in the build tree's
// app/cli/ beside app/studio/, or on PATH. "" when none is found.
QString find_remora_cli();

// The message shown when it is missing: what was searched and what to do.
QString remora_cli_missing_message();

}  // namespace remora::studio
