// Doxygen comments of declarations: libclang's parsed comment when it attached
// the comment that belongs to the declaration, otherwise the raw comment block
// (doc_placement.h decides which block that is: libclang attaches none across
// #if lines or for plain /* */ blocks, and only ever looks above).
#pragma once

#include <clang-c/Documentation.h>
#include <clang-c/Index.h>

#include <optional>
#include <string>
#include <vector>

#include "remora/inference/header_model.h"

namespace remora::inference {

// Parses comment text (markers included or not) with \brief, \param[dir], \return.
DocComment parse_doc_text(const std::string& raw);

// libclang's comment for the declaration, or an empty DocComment.
DocComment doc_from_libclang(CXCursor declaration);

// A parameter's own trailing comment (`///< [in][optional] ...`, its lines as written)
// as its \param: the direction tag and the text; nullopt when it is not one. With
// `plain`, an ordinary comment counts too (`sqlite3 **ppDb, /* OUT: SQLite db handle */`):
// the caller knows it sits right after the parameter, before the list goes on or closes.
std::optional<DocParam> parse_trailing_param_doc(const std::string& raw, const std::string& name,
                                                 bool plain = false);

}  // namespace remora::inference
