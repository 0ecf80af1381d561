// Inline AsciiDoc markup -> plain text with mentions.
#include "remora/inference/docs/asciidoc_reader.h"

#include <cctype>

namespace remora::inference::docs {
namespace {

// Closing position of a constrained span (_x_ or *x*) that opens at `i`, or npos.
std::size_t constrained_close(std::string_view s, std::size_t i, char mark) {
  if (i > 0 && is_ident_char(s[i - 1])) return std::string_view::npos;
  if (i + 1 >= s.size() || s[i + 1] == ' ' || s[i + 1] == '\n' || s[i + 1] == mark) return std::string_view::npos;
  for (std::size_t j = i + 1; j < s.size() && j < i + 200; ++j) {
    if (s[j] == '\n' && j + 1 < s.size() && s[j + 1] == '\n') break;  // never across paragraphs
    if (s[j] != mark) continue;
    bool closes = (j + 1 >= s.size() || !is_ident_char(s[j + 1])) && s[j - 1] != ' ';
    if (closes) return j;
  }
  return std::string_view::npos;
}

std::size_t matching_bracket(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t j = open; j < s.size() && j < open + 2000; ++j) {
    if (s[j] == '[') ++depth;
    if (s[j] == ']' && --depth == 0) return j;
  }
  return std::string_view::npos;
}

void emit_span(MarkedTextBuilder& b, std::string_view content) {
  if (is_identifier(content)) {
    b.identifier(content, true);
  } else {
    b.text(content);
  }
}

std::string_view strip_attribute_suffix(std::string_view name) {
  for (std::string_view suffix : {"_anchor", "_TYPE"})
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
      return name.substr(0, name.size() - suffix.size());
  return name;
}

// Vulkan-style semantic macros: pname:device, flink:vkCreateBuffer, ename:VK_SUCCESS, code:NULL.
std::size_t semantic_macro(std::string_view s, std::size_t i, std::string_view& name) {
  static constexpr std::string_view kMacros[] = {"pname:", "flink:", "fname:", "slink:", "sname:", "ename:", "elink:",
                                                 "tname:", "tlink:", "dname:", "dlink:", "code:", "basetype:",
                                                 "ptext:", "stext:", "etext:", "ftext:", "attr:", "apiext:"};
  if (i > 0 && is_ident_char(s[i - 1])) return 0;
  for (auto m : kMacros) {
    if (s.substr(i, m.size()) != m) continue;
    std::size_t end = i + m.size();
    while (end < s.size() && (is_ident_char(s[end]) || (s[end] == ':' && m == "ptext:"))) ++end;
    name = s.substr(i + m.size(), end - i - m.size());
    return name.empty() ? 0 : end - i;
  }
  return 0;
}

}  // namespace

MarkedText normalize_asciidoc_inline(std::string_view s, int first_line) {
  MarkedTextBuilder b(first_line);
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\n') {
      b.newline();
      ++i;
      continue;
    }
    if (c == '{') {
      std::size_t close = find_within(s, "}", i, 100);
      if (close != std::string_view::npos) {
        std::string_view name = s.substr(i + 1, close - i - 1);
        if (is_identifier(name)) {
          b.identifier(strip_attribute_suffix(name), true);
          i = close + 1;
          continue;
        }
      }
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      std::string_view name;
      if (std::size_t n = semantic_macro(s, i, name)) {
        emit_span(b, name);
        i += n;
        continue;
      }
    }
    if (c == '`') {
      std::size_t close = find_within(s, "`", i + 1, 200);
      if (close != std::string_view::npos) {
        emit_span(b, s.substr(i + 1, close - i - 1));
        i = close + 1;
        continue;
      }
    }
    if (c == '_' || c == '*') {
      std::size_t close = constrained_close(s, i, c);
      if (close != std::string_view::npos) {
        emit_span(b, s.substr(i + 1, close - i - 1));
        i = close + 1;
        continue;
      }
    }
    if (c == '<' && s.substr(i, 2) == "<<") {
      std::size_t close = find_within(s, ">>", i, 300);
      if (close != std::string_view::npos) {
        std::string_view ref = s.substr(i + 2, close - i - 2);
        std::size_t comma = ref.find(',');
        std::string label(comma == std::string_view::npos ? ref : trim(ref.substr(comma + 1)));
        if (comma == std::string_view::npos)
          for (char& ch : label)
            if (ch == '-') ch = ' ';
        b.text(label);
        i = close + 2;
        continue;
      }
    }
    if (c == 'f' && s.substr(i, 9) == "footnote:") {
      std::size_t open = find_within(s, "[", i, 12);
      std::size_t close = open == std::string_view::npos ? open : matching_bracket(s, open);
      if (close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    bool consumed = false;
    for (std::string_view macro : {"latexmath:", "pass:"}) {
      if (s.substr(i, macro.size()) == macro && i + macro.size() < s.size() && s[i + macro.size()] == '[') {
        std::size_t open = i + macro.size();
        std::size_t close = matching_bracket(s, open);
        if (close != std::string_view::npos) {
          std::string inner(s.substr(open + 1, close - open - 1));
          for (std::string_view delim : {"\\(", "\\)"})
            for (std::size_t p; (p = inner.find(delim)) != std::string::npos;) inner.erase(p, 2);
          b.text(inner);
          i = close + 1;
          consumed = true;
          break;
        }
      }
    }
    if (consumed) continue;
    b.text(std::string_view(&s[i], 1));
    ++i;
  }
  return b.finish();
}

}  // namespace remora::inference::docs
