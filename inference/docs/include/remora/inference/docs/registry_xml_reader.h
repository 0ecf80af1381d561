// Reader for machine-readable API registries (Khronos cl.xml / vk.xml style):
// <commands><command><proto>..</proto><param len=".." altlen=".." optional=".."
// externsync=".." noautovalidity="..">..</param>, structs (<type category="struct">
// with <member len=".." ...>), and handle typedefs (<type category="define">typedef
// struct _cl_mem * cl_mem</type>, <type category="handle">).
// Parsed with expat; a malformed (e.g. truncated) file is reported and skipped whole.
#pragma once

#include <string>
#include <string_view>

#include "remora/inference/docs/doc_model.h"

namespace remora::inference::docs {

DocumentRead read_registry_xml(std::string_view text, const std::string& file, spec::Diagnostics& diagnostics);

// "const  cl_event*" -> "const cl_event *"
std::string normalize_c_type(std::string_view spelling);

}  // namespace remora::inference::docs
