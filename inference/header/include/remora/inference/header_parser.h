// Parses a vendor C/C++ header with libclang into a ParsedHeader.
// Bad input (syntax errors, missing includes, binary files) becomes diagnostics,
// never a crash; a header that cannot be parsed at all gives ok == false.
#pragma once

#include <string>
#include <vector>

#include "remora/inference/header_model.h"
#include "remora/spec/diagnostics.h"

namespace remora::inference {

struct HeaderParseOptions {
  std::string header;                     // path of the header
  std::vector<std::string> include_dirs;  // -I
  std::vector<std::string> defines;       // -D NAME[=VALUE]
  std::string language;                   // "c", "c++" or "" to detect
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
