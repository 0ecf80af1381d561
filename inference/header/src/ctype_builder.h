// libclang types -> the typed C model of spec-model (remora/spec/ctype.h).
#pragma once

#include <clang-c/Index.h>

#include <string>

#include "remora/spec/ctype.h"

namespace remora::inference {

// The name a record or enum declaration goes by in the spec: its tag, else the
// typedef that names it (typedef struct { ... } Foo), else "" (the caller names it).
std::string record_name_of(CXCursor declaration);

// One layer per typedef, pointer, array and function; records and enums by
// name; sizeof/alignof on the outermost layer when libclang knows them.
spec::CType ctype_of(CXType type);

}  // namespace remora::inference
