// HTML reference pages: converted to Markdown-like lines, then read as Markdown.
#include "remora/inference/docs/markdown_reader.h"
#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

class LineWriter {
 public:
  explicit LineWriter(std::vector<SourceLine>& out) : out_(out) {}
  void set_line(int line) { line_ = line; }
  void text(std::string_view s) {
    for (char c : s) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
      if (c == ' ' && (current_.empty() || current_.back() == ' ')) continue;
      if (current_.empty()) start_ = line_;
      current_ += c;
    }
  }
  void raw(std::string_view s) {
    if (current_.empty()) start_ = line_;
    current_ += s;
  }
  void break_line() {
    std::string_view t = trim(current_);
    if (!t.empty() && t != "-" && t != "|") out_.push_back({start_, decode_entities(t)});
    current_.clear();
  }

 private:
  std::vector<SourceLine>& out_;
  std::string current_;
  int line_ = 1, start_ = 1;
};

}  // namespace

std::vector<SourceLine> html_to_markdown_lines(std::string_view html) {
  std::vector<SourceLine> out;
  LineWriter w(out);
  int line = 1;
  int code_depth = 0;
  bool pre = false;
  std::size_t i = 0;
  auto advance_lines = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to && k < html.size(); ++k)
      if (html[k] == '\n') ++line;
  };
  while (i < html.size()) {
    char c = html[i];
    if (c != '<') {
      std::size_t next = html.find('<', i);
      if (next == std::string_view::npos) next = html.size();
      std::string_view chunk = html.substr(i, next - i);
      for (char ch : chunk) {
        w.set_line(line);
        if (ch == '\n') {
          ++line;
          if (pre) w.break_line();
          else w.text(" ");
        } else {
          w.text(std::string_view(&ch, 1));
        }
      }
      i = next;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      std::size_t close = html.find("-->", i);
      close = close == std::string_view::npos ? html.size() : close + 3;
      advance_lines(i, close);
      i = close;
      continue;
    }
    std::size_t close = html.find('>', i);
    if (close == std::string_view::npos) break;  // truncated tag: stop, keep what we have
    std::string_view tag = html.substr(i + 1, close - i - 1);
    advance_lines(i, close);
    i = close + 1;
    bool end = !tag.empty() && tag[0] == '/';
    if (end) tag.remove_prefix(1);
    std::size_t n = 0;
    while (n < tag.size() && std::isalnum(static_cast<unsigned char>(tag[n]))) ++n;
    std::string name = to_lower(tag.substr(0, n));
    w.set_line(line);
    if (name == "script" || name == "style") {
      if (end) continue;
      std::size_t stop = html.find("</" + name, i);
      if (stop == std::string_view::npos) stop = html.find("</" + to_lower(name), i);
      stop = stop == std::string_view::npos ? html.size() : stop;
      advance_lines(i, stop);
      i = stop;
      continue;
    }
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
      w.break_line();
      if (!end) w.raw(std::string(static_cast<std::size_t>(name[1] - '0'), '#') + " ");
    } else if (name == "li") {
      w.break_line();
      if (!end) w.raw("- ");
    } else if (name == "dt") {
      if (!end) {
        w.break_line();
        w.raw("- ");
      } else {
        w.raw(": ");
      }
    } else if (name == "tr") {
      w.break_line();
      if (!end) w.raw("| ");
    } else if (name == "td" || name == "th") {
      if (end) w.raw(" | ");
    } else if (name == "pre") {
      w.break_line();
      pre = !end;
    } else if (name == "p" || name == "br" || name == "div" || name == "dd" || name == "ul" || name == "ol" ||
               name == "dl" || name == "table" || name == "section" || name == "blockquote") {
      w.break_line();
    } else if (name == "code" || name == "tt" || name == "var" || name == "em" || name == "i" || name == "b" ||
               name == "strong") {
      if (!end && code_depth++ == 0) w.raw("`");
      if (end && code_depth > 0 && --code_depth == 0) w.raw("`");
    }
  }
  w.break_line();
  return out;
}

DocumentRead read_html(std::string_view text, const std::string& file, const FunctionNamePredicate& is_function,
                       spec::Diagnostics&) {
  return read_markdown_lines(html_to_markdown_lines(text), file, is_function);
}

}  // namespace remora::inference::docs
