// Default arguments a header gives its functions when compiled as C++. A C header that
// also serves C++ often marks optional parameters that way (`cudaStream_t stream __dv(0)`,
// `hipStream_t stream __dparm(0)`: `= 0` under `#ifdef __cplusplus`); the C parse never
// sees them, so the header is read once more as C++ for them alone.
#pragma once

#include <clang-c/Index.h>

#include "remora/inference/header_model.h"

namespace remora::inference {

// Sets ParsedParam::defaults_to_null for every parameter of `header.functions` that
// `unit` (the header parsed as C++) declares with a default of 0, NULL or nullptr.
// Functions are matched by name and parameter count; anything else is left alone.
// Also sets ParsedFunction::cxx_linkage for those `unit` declares with C++ linkage (a
// declaration the header left outside its `extern "C"` block).
void read_cplusplus_declarations(CXTranslationUnit unit, ParsedHeader& header);

}  // namespace remora::inference
