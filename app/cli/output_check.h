// Errors before work: whether a command will be able to write its result, asked
// before it spends seconds (or minutes) producing it.
#pragma once

#include <string>

namespace remora::cli {

// "" when `path` can be created or overwritten, else a sentence saying why not
// and what to do.
std::string why_cannot_write(const std::string& path);

}  // namespace remora::cli
