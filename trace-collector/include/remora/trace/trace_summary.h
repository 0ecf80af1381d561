// `remora trace-summary`: what a trace database saw, per function and parameter.
#pragma once

#include <string>

namespace remora::trace {

// Human-readable summary. Returns false with `error` set if the database cannot be read.
bool summarize_trace(const std::string& db_path, std::string& out, std::string& error);

}  // namespace remora::trace
