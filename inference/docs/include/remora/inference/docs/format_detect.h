// Which reader a documentation file needs, decided from its content first and
// its extension second, so a refpage saved as .txt still reads as AsciiDoc.
#pragma once

#include <string>
#include <string_view>

namespace remora::inference::docs {

enum class DocFormat { AsciiDoc, RegistryXml, Markdown, Html, Binary, Unknown };

std::string_view to_string(DocFormat f);

DocFormat detect_format(std::string_view path, std::string_view content);

// Extensions worth opening while walking a folder (others are ignored silently).
bool has_document_extension(std::string_view path);

}  // namespace remora::inference::docs
