// Whether a function's prototype held a parse error. clang recovers from an
// unknown type by reading it as int, so such a prototype parses "fine" with
// wrong types; remoting it would move the wrong bytes.
#pragma once

#include <clang-c/Index.h>

#include <string>

#include "remora/spec/diagnostics.h"

namespace remora::inference {

// The first error inside lines [first_line, last_line] of `path`, or in a type
// the prototype uses (a typedef whose own declaration did not parse);
// "" when the prototype is clean. `errors` are the parse's error diagnostics.
std::string prototype_error(CXCursor function, const std::string& path, int first_line,
                            int last_line, const spec::Diagnostics& errors);

}  // namespace remora::inference
