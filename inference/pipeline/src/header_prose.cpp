#include "header_prose.h"

#include <cctype>
#include <optional>

#include "remora/inference/docs/marked_text.h"
#include "remora/inference/docs_evidence.h"

namespace remora::inference {
namespace {

// A prose comment (zlib's manual): its whole body is running text.
docs::DocSection plain_prose_section(const ParsedFunction& f) {
  docs::DocSection section;
  section.functions = {f.name};
  section.file = f.doc.file;
  section.line = f.doc.line;
  docs::MarkedTextBuilder text(f.doc.line + f.doc.body_offset);
  text.text(f.doc.body);
  section.body = docs::to_sentences(text.finish(), f.doc.file, /*error_context=*/false);
  return section;
}

// One line of a Doxygen paragraph: "\p name" / "@p name" (and \a, \c, \e, \b) mark a name.
void add_marked_line(docs::MarkedTextBuilder& text, const std::string& line) {
  std::size_t i = 0;
  while (i < line.size()) {
    bool markup = (line[i] == '\\' || line[i] == '@') && i + 2 < line.size() && line[i + 2] == ' ' &&
                  std::string_view("pacbe").find(line[i + 1]) != std::string_view::npos &&
                  (i == 0 || !std::isalnum(static_cast<unsigned char>(line[i - 1])));
    if (!markup) {
      std::size_t next = line.find_first_of("\\@", i + 1);
      if (next == std::string::npos) next = line.size();
      text.text(std::string_view(line).substr(i, next - i));
      i = next;
      continue;
    }
    std::size_t begin = i + 3, end = begin;
    while (end < line.size() && (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_')) ++end;
    if (end > begin) text.identifier(std::string_view(line).substr(begin, end - begin), /*marked=*/true);
    i = end;
  }
}

// A Doxygen comment: \param lines have their own rules (doxygen_evidence); its running
// text (brief, description, notes) is read like a reference page's ("cudaMemcpyAsync() is
// asynchronous with respect to the host", "If \p stream is NULL ...").
docs::DocSection doxygen_prose_section(const ParsedFunction& f) {
  docs::DocSection section;
  section.functions = {f.name};
  section.file = f.doc.file;
  section.line = f.doc.line;
  // Consecutive lines make a paragraph; each paragraph is cut into sentences on its own.
  std::vector<docs::Sentence> sentences;
  std::optional<docs::MarkedTextBuilder> paragraph;
  auto flush = [&] {
    if (!paragraph) return;
    for (auto& s : docs::to_sentences(paragraph->finish(), f.doc.file, /*error_context=*/false))
      sentences.push_back(std::move(s));
  };
  int previous = -2;
  for (const auto& [offset, line] : f.doc.prose) {
    if (offset == previous + 1) {
      paragraph->newline();
    } else {
      flush();
      paragraph.emplace(f.doc.line + offset);
    }
    add_marked_line(*paragraph, line);
    previous = offset;
  }
  flush();
  section.body = std::move(sentences);
  return section;
}

}  // namespace

void add_header_prose_evidence(spec::Spec& spec, const ParsedHeader& header) {
  std::vector<docs::DocSection> sections;
  for (const ParsedFunction& f : header.functions) {
    if (f.doc.empty()) continue;
    bool doxygen = f.doc.from_libclang || !f.doc.params.empty();
    if (doxygen && !f.doc.prose.empty()) sections.push_back(doxygen_prose_section(f));
    else if (!doxygen && !f.doc.body.empty()) sections.push_back(plain_prose_section(f));
  }
  add_section_evidence(spec, sections);
}

}  // namespace remora::inference
