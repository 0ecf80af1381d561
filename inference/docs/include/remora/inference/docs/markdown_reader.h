// Reader for generic reference pages: Markdown, and HTML (converted to the same
// line structure first). One section per function: a heading naming the
// function, then parameter lists ("- `name`: ...", "@param[out] name ...")
// or tables ("| name | in/out | description |") and prose.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "remora/inference/docs/doc_model.h"

namespace remora::inference::docs {

// True when a heading's identifier names a function of the API. When empty,
// headings formatted as code or followed by "(" are taken as function headings.
using FunctionNamePredicate = std::function<bool(std::string_view)>;

struct SourceLine {
  int number = 0;
  std::string text;
};

DocumentRead read_markdown(std::string_view text, const std::string& file, const FunctionNamePredicate& is_function,
                           spec::Diagnostics& diagnostics);
DocumentRead read_markdown_lines(const std::vector<SourceLine>& lines, const std::string& file,
                                 const FunctionNamePredicate& is_function);

// HTML -> Markdown-like lines (headings "#", items "- ", table rows "| a | b |",
// <code>/<em>/<b> as `code`), each carrying the source line it started on.
std::vector<SourceLine> html_to_markdown_lines(std::string_view html);

DocumentRead read_html(std::string_view text, const std::string& file, const FunctionNamePredicate& is_function,
                       spec::Diagnostics& diagnostics);

}  // namespace remora::inference::docs
