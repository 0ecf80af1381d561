// Parses a vendor C/C++ header (or several, as one translation unit) with
// libclang into a ParsedHeader.
// Bad input (syntax errors, missing includes, binary files) becomes diagnostics,
// never a crash; a header that cannot be parsed at all gives ok == false. A
// header that parses with errors gives ok == true, ParsedHeader::errors > 0 and
// each function whose prototype holds an error carries it (ParsedFunction::error):
// the pipeline decides whether that is fatal.
#pragma once

#include <string>
#include <vector>

#include "remora/inference/header_model.h"
#include "remora/spec/diagnostics.h"

namespace remora::inference {

// Which of the headers a parse pulls in belong to the API (an umbrella header
// such as cuda_runtime.h, or a user's own umbrella, includes the API's headers
// and the C library alike). Globs match a file's full path, or its file name
// when the pattern has no '/'.
struct ApiFilter {
  std::vector<std::string> dirs;      // --api-dir: headers under these folders
  std::vector<std::string> globs;     // --api-glob: headers matching these patterns
  std::vector<std::string> excludes;  // --exclude: never these (functions, types, macros)
  bool selects() const { return !dirs.empty() || !globs.empty(); }
};

struct HeaderParseOptions {
  std::string header;                     // path of the (first) header
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> defines;       // -D NAME[=VALUE]
  std::string language;                   // "c", "c++" or "" to detect
  std::vector<std::string> extra_headers; // more headers of the same API, parsed together
  ApiFilter filter;
};

struct HeaderParse {
  ParsedHeader header;
  spec::Diagnostics diagnostics;
  bool ok = false;
};

HeaderParse parse_header(const HeaderParseOptions& options);

// The clang resource directory (stddef.h, stdint.h ...) used for parsing.
std::string clang_resource_dir();

}  // namespace remora::inference
