#include "remora/inference/docs/document_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "remora/inference/docs/asciidoc_reader.h"
#include "remora/inference/docs/format_detect.h"
#include "remora/inference/docs/registry_xml_reader.h"

namespace remora::inference::docs {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxDocumentBytes = 64ull << 20;

void warn(spec::Diagnostics& d, const std::string& file, int line, std::string message) {
  d.push_back({spec::Diagnostic::Severity::Warning, file, line, std::move(message)});
}

}  // namespace

std::vector<DocumentFile> collect_document_files(const std::vector<std::string>& paths,
                                                 spec::Diagnostics& diagnostics) {
  std::vector<DocumentFile> files;
  for (const auto& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      warn(diagnostics, path, 0, "documentation path does not exist; check the --docs argument");
      continue;
    }
    if (fs::is_regular_file(st)) {
      files.push_back({path, true});
      continue;
    }
    if (!fs::is_directory(st)) {
      warn(diagnostics, path, 0, "documentation path is neither a file nor a folder; skipped");
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::error_code fec;
      if (it->is_regular_file(fec) && has_document_extension(it->path().string())) found.push_back(it->path().string());
    }
    if (ec) warn(diagnostics, path, 0, "could not walk the whole folder (" + ec.message() + "); some files skipped");
    std::sort(found.begin(), found.end());
    if (found.empty())
      warn(diagnostics, path, 0,
           "folder has no documentation files (.adoc/.asciidoc, .xml, .md, .html); nothing read from it");
    for (auto& f : found) files.push_back({std::move(f), false});
  }
  return files;
}

DocumentRead load_document(const DocumentFile& file, const FunctionNamePredicate& is_function,
                           spec::Diagnostics& diagnostics) {
  DocumentRead failed;
  failed.ok = false;
  std::error_code ec;
  std::uintmax_t size = fs::file_size(file.path, ec);
  if (ec) {
    warn(diagnostics, file.path, 0, "cannot read documentation file (" + ec.message() + "); skipped");
    return failed;
  }
  if (size > kMaxDocumentBytes) {
    warn(diagnostics, file.path, 0, "documentation file is larger than 64 MiB; skipped");
    return failed;
  }
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    warn(diagnostics, file.path, 0, "cannot open documentation file; check its permissions");
    return failed;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  switch (detect_format(file.path, text)) {
    case DocFormat::AsciiDoc: return read_asciidoc(text, file.path, diagnostics);
    case DocFormat::RegistryXml: return read_registry_xml(text, file.path, diagnostics);
    case DocFormat::Markdown: return read_markdown(text, file.path, is_function, diagnostics);
    case DocFormat::Html: return read_html(text, file.path, is_function, diagnostics);
    case DocFormat::Binary:
      warn(diagnostics, file.path, 0,
           "not a text document (binary or invalid UTF-8); skipped. Point --docs at AsciiDoc, registry XML, "
           "Markdown or HTML reference pages");
      return failed;
    case DocFormat::Unknown:
      if (file.explicit_file)
        warn(diagnostics, file.path, 0,
             "unrecognized documentation format; skipped. Supported: AsciiDoc refpages, registry XML, Markdown, "
             "HTML");
      return failed;
  }
  return failed;
}

}  // namespace remora::inference::docs
