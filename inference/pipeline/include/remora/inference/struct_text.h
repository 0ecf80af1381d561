// Struct annotations as text, for `remora show` and `remora explain`.
#pragma once

#include <string>

#include "remora/spec/model.h"

namespace remora::inference {

// The struct as a C declaration, each member that needs marshalling with its
// annotation and confidence ("<- review" where a person should look), then
// the tag and whether it can be deep-copied.
std::string annotated_struct(const spec::Type& type);

// Does this struct say anything a reviewer should see (annotated members, a
// tag, or unsupported)?
bool has_struct_annotations(const spec::Type& type);

}  // namespace remora::inference
