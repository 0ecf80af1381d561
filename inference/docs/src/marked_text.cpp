#include "remora/inference/docs/marked_text.h"

namespace remora::inference::docs {

void MarkedTextBuilder::text(std::string_view s) {
  for (char c : s) {
    if (c == '\n') {
      newline();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      space();
    } else {
      // "the table footnote:[..]." leaves "table ." once the footnote is gone
      bool closing = c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == '!' || c == '?';
      if (closing && !out_.text.empty() && out_.text.back() == ' ' &&
          (out_.mentions.empty() || out_.mentions.back().end < out_.text.size()))
        out_.text.pop_back();
      out_.text += c;
    }
  }
}

void MarkedTextBuilder::identifier(std::string_view name, bool marked) {
  std::size_t begin = out_.text.size();
  out_.text += name;
  out_.mentions.push_back({std::string(name), begin, out_.text.size(), marked});
}

void MarkedTextBuilder::space() {
  if (!out_.text.empty() && out_.text.back() != ' ') out_.text += ' ';
}

void MarkedTextBuilder::newline() {
  ++line_;
  space();
  out_.lines.mark(out_.text.size(), line_);
}

MarkedText MarkedTextBuilder::finish() {
  while (!out_.text.empty() && out_.text.back() == ' ') out_.text.pop_back();
  return std::move(out_);
}

std::vector<std::string> leading_subjects(const MarkedText& t) {
  std::vector<std::string> subjects;
  std::size_t pos = 0;
  for (const auto& m : t.mentions) {
    if (!m.marked || m.begin < pos) continue;
    std::string_view gap = std::string_view(t.text).substr(pos, m.begin - pos);
    bool joins = subjects.empty() ? gap.empty()
                                  : (gap == ", " || gap == " and " || gap == ", and " || gap == " or " ||
                                     gap == ", or " || gap == " / " || gap == "/" || gap == ",");
    if (!joins) break;
    subjects.push_back(m.name);
    pos = m.end;
  }
  return subjects;
}

std::vector<Sentence> to_sentences(const MarkedText& t, const std::string& file, bool error_context) {
  std::vector<Sentence> out;
  std::size_t first_mention = 0;  // mentions are in text order: walk them once
  for (const Range& r : split_sentences(t.text)) {
    Sentence s;
    s.text = t.text.substr(r.begin, r.end - r.begin);
    s.file = file;
    s.line = t.lines.line_at(r.begin);
    s.error_context = error_context;
    while (first_mention < t.mentions.size() && t.mentions[first_mention].begin < r.begin) ++first_mention;
    for (std::size_t k = first_mention; k < t.mentions.size() && t.mentions[k].begin < r.end; ++k) {
      const Mention& m = t.mentions[k];
      if (m.end <= r.end) s.mentions.push_back({m.name, m.begin - r.begin, m.end - r.begin, m.marked});
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace remora::inference::docs
