// Header comments read by the reference-page phrase extractors, quoting the comment's
// file:line: a comment written as prose rather than Doxygen tags (zlib.h: "sourceLen is
// the byte length of the source buffer. Upon entry, destLen is the total size of the
// destination buffer") as a whole; a Doxygen comment by its running text only (its
// \param lines have their own rules: doxygen_evidence).
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

void add_header_prose_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
