// Builds a TypeInfo (header_model.h) from a libclang type, keeping the typedef
// names a reader sees while classifying by the canonical type.
#pragma once

#include <clang-c/Index.h>

#include "remora/inference/header_model.h"

namespace remora::inference {

TypeInfo type_info_of(CXType type);

}  // namespace remora::inference
