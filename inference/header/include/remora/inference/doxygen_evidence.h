// Doxygen evidence: reads the comments the header parser attached to each
// function (\brief, \param[in|out], \return and phrases such as "returns",
// "size in bytes", "pointer to allocated ...") and appends Evidence with
// source Docs, quoting the sentence and its file:line. Sets Function::doc.
#pragma once

#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

void add_doxygen_evidence(spec::Spec& spec, const ParsedHeader& header);

}  // namespace remora::inference
