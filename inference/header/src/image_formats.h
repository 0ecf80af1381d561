// Images sized by their own format: an untyped input pointer (`const void *image`)
// that no argument sizes, documented as a binary or text format that carries its own
// length (a fat binary, an ELF file such as a cubin, a NUL-terminated text such as
// PTX). The evidence is a size `measured(image, fmt, ...)`: the generated runtime
// reads the length from the bytes (spec-format.md, "Size expressions").
#pragma once

#include <string>
#include <vector>

namespace remora::inference {

struct ImageFormats {
  std::vector<std::string> formats;  // measured()'s names, in size_expr_image_formats() order
  std::string quote;                 // the sentence that named them
};

// The formats named in `text` (lower case, Doxygen markers stripped) in a sentence
// that speaks about `param` (or anywhere in `param_text`, the \param line itself).
ImageFormats image_formats_for(const std::string& param, const std::string& body,
                               const std::string& param_text);

}  // namespace remora::inference
