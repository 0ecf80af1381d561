// Doxygen comments of declarations: libclang's parsed comment when it attached
// one, otherwise the raw comment block directly above the declaration (libclang
// attaches none across #if lines or for plain /* */ blocks).
#pragma once

#include <clang-c/Documentation.h>
#include <clang-c/Index.h>

#include <string>
#include <vector>

#include "remora/inference/header_model.h"

namespace remora::inference {

// Parses comment text (markers included or not) with \brief, \param[dir], \return.
DocComment parse_doc_text(const std::string& raw);

// libclang's comment for the declaration, or an empty DocComment.
DocComment doc_from_libclang(CXCursor declaration);

// The comment block ending directly above line `decl_line` (1-based) of `lines`,
// skipping blank lines and preprocessor lines in between; empty if none.
DocComment doc_above(const std::vector<std::string>& lines, int decl_line);

}  // namespace remora::inference
