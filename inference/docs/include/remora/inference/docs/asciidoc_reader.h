// Reader for Khronos-style AsciiDoc reference pages:
//   [open,refpage='clFoo',desc='...',type='protos',alias='clBar']
//   --
//   include::{generated}/api/protos/clFoo.txt[]
//     * _param_ is ...
//   prose ...
//   --
// Conditional lines (ifdef/endif) are kept transparent, include:: lines name
// the documented prototypes, tables and listings are skipped.
#pragma once

#include <string>
#include <string_view>

#include "remora/inference/docs/doc_model.h"
#include "remora/inference/docs/marked_text.h"

namespace remora::inference::docs {

// Strips inline AsciiDoc markup (_italic_, *bold*, `mono`, {attr}, <<xref,text>>,
// footnote:[...]) keeping identifiers as mentions.
MarkedText normalize_asciidoc_inline(std::string_view raw, int first_line);

DocumentRead read_asciidoc(std::string_view text, const std::string& file, spec::Diagnostics& diagnostics);

}  // namespace remora::inference::docs
