// Documentation evidence: reads reference docs (Khronos AsciiDoc refpages, registry XML,
// Markdown/HTML pages; Doxygen lives with the header stage) and appends Evidence
// (source Docs, quoting the sentence and its file:line) to the matching functions/params.
#pragma once

#include <string>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/inference/docs/member_claims.h"
#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

// `paths`: files or folders; the format of each file is detected. Unreadable or
// malformed documents produce a warning diagnostic and are skipped.
// Returns what registries say about struct members (vk.xml <member len=..>),
// for the struct-field annotations; parameters get their evidence directly.
std::vector<docs::MemberClaim> add_docs_evidence(spec::Spec& spec, const std::vector<std::string>& paths,
                                                 spec::Diagnostics& diagnostics, const spec::Progress& progress = {});

// Evidence from documentation already in sections (the prose of header
// comments): the same matching and phrase extractors as reference pages.
void add_section_evidence(spec::Spec& spec, const std::vector<docs::DocSection>& sections);

}  // namespace remora::inference
