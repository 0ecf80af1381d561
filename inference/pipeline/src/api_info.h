// The "api" block of an inferred spec: name, include spelling, library guess.
#pragma once

#include "remora/inference/pipeline.h"
#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference {

// `functions`: the API's function names, to find the installed library that defines them.
spec::ApiInfo api_info_for(const InferOptions& options, const std::vector<std::string>& functions,
                           spec::Diagnostics& diagnostics);

// How generated code includes the header: relative to an include dir that is
// its prefix ("/usr/include/CL/cl.h" -> "CL/cl.h"), else the file name.
std::string include_spelling(const std::string& header, const std::vector<std::string>& include_dirs);

}  // namespace remora::inference
