// Walks a libclang translation unit and records the declarations that belong
// to the API: those in the main header's folder (not system headers).
#pragma once

#include <clang-c/Index.h>

#include <string>

#include "remora/inference/header_model.h"
#include "remora/spec/diagnostics.h"

namespace remora::inference {

void collect_declarations(CXTranslationUnit unit, const std::string& main_file, ParsedHeader& out,
                          spec::Diagnostics& diagnostics);

}  // namespace remora::inference
