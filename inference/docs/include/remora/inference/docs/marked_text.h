// Plain text with the identifiers a document set apart, built while markup is
// stripped, and the source line of every part; then cut into sentences.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {

struct MarkedText {
  std::string text;
  std::vector<Mention> mentions;
  LineMap lines;
};

// Appends text while collapsing whitespace and keeping line marks.
class MarkedTextBuilder {
 public:
  explicit MarkedTextBuilder(int first_line) : line_(first_line) { out_.lines.mark(0, first_line); }
  void text(std::string_view s);           // plain text (may contain spaces)
  void identifier(std::string_view name, bool marked);  // a mention
  void space();
  void newline();  // a source line break: a space plus a line mark
  int line() const { return line_; }
  MarkedText finish();

 private:
  MarkedText out_;
  int line_;
};

// Leading mentions that a list item is about: "_a_ and _b_ specify ..." -> {a, b}.
std::vector<std::string> leading_subjects(const MarkedText& t);

// Cuts a paragraph into sentences carrying their mentions, file and line.
std::vector<Sentence> to_sentences(const MarkedText& t, const std::string& file, bool error_context);

}  // namespace remora::inference::docs
