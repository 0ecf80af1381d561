// Struct annotations as text, for `remora show` and `remora explain`.
#pragma once

#include <string>

#include "remora/spec/model.h"

namespace remora::inference {

// The struct as a C declaration, each member that needs marshalling with its
// annotation and confidence ("<- review" where a person should look), then
// the tag and whether it can be deep-copied.
std::string annotated_struct(const spec::Type& type);

// One member as in annotated_struct: its declaration, and for a member that needs
// marshalling its annotation, confidence, review status when a person decided it,
// and "<- review" where a person should look.
std::string annotated_member(const spec::StructField& field);

// Does this struct say anything a reviewer should see (annotated members, a
// tag, or unsupported)?
bool has_struct_annotations(const spec::Type& type);

}  // namespace remora::inference
