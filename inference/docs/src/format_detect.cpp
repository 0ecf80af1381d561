#include "remora/inference/docs/format_detect.h"

#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

std::string extension(std::string_view path) {
  std::size_t slash = path.find_last_of('/');
  std::size_t dot = path.find_last_of('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  return to_lower(path.substr(dot + 1));
}

bool looks_binary(std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return true;
  // Cut at a code point boundary before validating: the sample may end mid-character.
  std::size_t end = head.size();
  std::size_t back = 0;
  while (end > 0 && back < 4 && (static_cast<unsigned char>(head[end - 1]) & 0xC0) == 0x80) --end, ++back;
  if (end > 0 && static_cast<unsigned char>(head[end - 1]) >= 0xC0) --end;
  if (!is_valid_utf8(head.substr(0, end))) return true;
  std::size_t control = 0;
  for (char c : head) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
  }
  return control * 20 > head.size();
}

}  // namespace

std::string_view to_string(DocFormat f) {
  switch (f) {
    case DocFormat::AsciiDoc: return "AsciiDoc";
    case DocFormat::RegistryXml: return "registry XML";
    case DocFormat::Markdown: return "Markdown";
    case DocFormat::Html: return "HTML";
    case DocFormat::Binary: return "binary";
    case DocFormat::Unknown: return "unknown";
  }
  return "unknown";
}

bool has_document_extension(std::string_view path) {
  std::string ext = extension(path);
  for (std::string_view e : {"adoc", "asciidoc", "asc", "xml", "md", "markdown", "html", "htm", "xhtml"})
    if (ext == e) return true;
  return false;
}

DocFormat detect_format(std::string_view path, std::string_view content) {
  std::string_view head = content.substr(0, 8192);
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  if (looks_binary(head)) return DocFormat::Binary;
  std::string_view start = trim(head);
  std::string lower = to_lower(head);
  std::string ext = extension(path);
  if (lower.find("<!doctype html") != std::string::npos || lower.find("<html") != std::string::npos ||
      ext == "html" || ext == "htm" || ext == "xhtml")
    return DocFormat::Html;
  if (start.starts_with("<?xml") || start.starts_with("<registry") || ext == "xml") return DocFormat::RegistryXml;
  if (content.find("[open,refpage=") != std::string_view::npos || ext == "adoc" || ext == "asciidoc" || ext == "asc")
    return DocFormat::AsciiDoc;
  if (ext == "md" || ext == "markdown") return DocFormat::Markdown;
  // Markdown headings ("# name") without a telling extension.
  if (start.starts_with("#") || lower.find("\n#") != std::string::npos) return DocFormat::Markdown;
  return DocFormat::Unknown;
}

}  // namespace remora::inference::docs
