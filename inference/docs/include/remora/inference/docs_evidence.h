// Documentation evidence: reads reference docs (Khronos AsciiDoc refpages, registry XML,
// Markdown/HTML pages; Doxygen lives with the header stage) and appends Evidence
// (source Docs, quoting the sentence and its file:line) to the matching functions/params.
#pragma once

#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

// `paths`: files or folders; the format of each file is detected. Unreadable or
// malformed documents produce a warning diagnostic and are skipped.
void add_docs_evidence(spec::Spec& spec, const std::vector<std::string>& paths,
                       spec::Diagnostics& diagnostics, const spec::Progress& progress = {});

}  // namespace remora::inference
