// Walks a libclang translation unit and records the declarations that belong
// to the API (api_files.h): functions of the headers the user named or
// selected, types and macros of those and of their neighbours.
#pragma once

#include <clang-c/Index.h>

#include <string>

#include "api_files.h"
#include "remora/inference/header_model.h"
#include "remora/spec/diagnostics.h"

namespace remora::inference {

// `diagnostics` holds the parse's errors on entry (to find prototypes that
// contain one); warnings about what was (not) found are appended.
void collect_declarations(CXTranslationUnit unit, const ApiFiles& files, const ApiFilter& filter,
                          ParsedHeader& out, spec::Diagnostics& diagnostics);

}  // namespace remora::inference
