#include "header_prose.h"

#include "remora/inference/docs/marked_text.h"
#include "remora/inference/docs_evidence.h"

namespace remora::inference {

void add_header_prose_evidence(spec::Spec& spec, const ParsedHeader& header) {
  std::vector<docs::DocSection> sections;
  for (const ParsedFunction& f : header.functions) {
    // Doxygen comments (\\param, or parsed by libclang) have their own rules (doxygen_evidence).
    if (f.doc.empty() || f.doc.from_libclang || !f.doc.params.empty() || f.doc.body.empty())
      continue;
    docs::DocSection section;
    section.functions = {f.name};
    section.file = f.doc.file;
    section.line = f.doc.line;
    docs::MarkedTextBuilder text(f.doc.line + f.doc.body_offset);
    text.text(f.doc.body);
    section.body = docs::to_sentences(text.finish(), f.doc.file, /*error_context=*/false);
    sections.push_back(std::move(section));
  }
  add_section_evidence(spec, sections);
}

}  // namespace remora::inference
