// Markdown reference pages -> DocSections.
#include "remora/inference/docs/markdown_reader.h"

#include "remora/inference/docs/marked_text.h"
#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

// Inline Markdown -> plain text with mentions (`code`, **bold**, *em*, _em_).
MarkedText normalize_markdown_inline(std::string_view s, int line) {
  MarkedTextBuilder b(line);
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '`') {
      std::size_t n = 1;
      while (i + n < s.size() && s[i + n] == '`') ++n;
      std::string fence(n, '`');
      std::size_t close = find_within(s, fence, i + n, 300);
      if (close != std::string_view::npos) {
        std::string_view inner = trim(s.substr(i + n, close - i - n));
        std::string_view ident = inner;
        if (ident.size() > 2 && ident.substr(ident.size() - 2) == "()") ident.remove_suffix(2);
        if (is_identifier(ident)) b.identifier(ident, true);
        else b.text(inner);
        i = close + n;
        continue;
      }
    }
    if (c == '*' || c == '_') {
      std::size_t n = (i + 1 < s.size() && s[i + 1] == c) ? 2 : 1;
      bool opens = (i == 0 || !is_ident_char(s[i - 1])) && i + n < s.size() && s[i + n] != ' ';
      std::string marker(n, c);
      std::size_t close = opens ? find_within(s, marker, i + n, 200) : std::string_view::npos;
      if (close != std::string_view::npos && close > i + n &&
          (close + n >= s.size() || !is_ident_char(s[close + n]))) {
        std::string_view inner = s.substr(i + n, close - i - n);
        if (is_identifier(inner)) b.identifier(inner, true);
        else b.text(inner);
        i = close + n;
        continue;
      }
    }
    if (c == '[') {  // [text](url)
      std::size_t mid = find_within(s, "](", i, 200);
      std::size_t close = mid == std::string_view::npos ? mid : find_within(s, ")", mid, 500);
      if (close != std::string_view::npos) {
        std::string_view label = s.substr(i + 1, mid - i - 1);
        if (is_identifier(label)) b.identifier(label, true);
        else b.text(label);
        i = close + 1;
        continue;
      }
    }
    if (c == '<') {  // inline HTML tag
      std::size_t close = find_within(s, ">", i, 100);
      if (close != std::string_view::npos && i + 1 < s.size() &&
          (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/')) {
        i = close + 1;
        continue;
      }
    }
    if (c == '\\' && i + 1 < s.size()) {
      b.text(s.substr(i + 1, 1));
      i += 2;
      continue;
    }
    b.text(s.substr(i, 1));
    ++i;
  }
  return b.finish();
}

// "[out]", "(in,out)", "[in, out]" at the front of `s` -> direction; consumes it.
std::optional<spec::Direction> take_direction_tag(std::string_view& s) {
  std::string_view t = trim(s);
  if (t.empty() || (t[0] != '[' && t[0] != '(')) return std::nullopt;
  char close_char = t[0] == '[' ? ']' : ')';
  std::size_t close = t.find(close_char);
  if (close == std::string_view::npos || close > 12) return std::nullopt;
  std::string tag = to_lower(t.substr(1, close - 1));
  std::string compact;
  for (char c : tag)
    if (c != ' ' && c != ',' && c != '/' && c != '-') compact += c;
  std::optional<spec::Direction> d;
  if (compact == "in") d = spec::Direction::In;
  else if (compact == "out") d = spec::Direction::Out;
  else if (compact == "inout") d = spec::Direction::InOut;
  if (d) s = trim(t.substr(close + 1));
  return d;
}

std::optional<spec::Direction> direction_word(std::string_view cell) {
  std::string_view c = trim(cell);
  if (auto d = take_direction_tag(c)) return d;
  std::string w = to_lower(c);
  std::string compact;
  for (char ch : w)
    if (ch != ' ' && ch != ',' && ch != '/' && ch != '-') compact += ch;
  if (compact == "in" || compact == "input") return spec::Direction::In;
  if (compact == "out" || compact == "output") return spec::Direction::Out;
  if (compact == "inout") return spec::Direction::InOut;
  return std::nullopt;
}

// Identifier at the front of a list item, with its formatting stripped.
std::string leading_identifier(std::string_view& s, bool& formatted) {
  std::string_view t = trim(s);
  formatted = false;
  std::string_view inner;
  std::size_t after = 0;
  std::string_view marker;
  for (std::string_view m : {"`", "**", "__", "*", "_"})
    if (t.starts_with(m)) {
      marker = m;
      break;
    }
  if (!marker.empty()) {
    std::size_t from = marker.size();
    std::size_t close = std::string_view::npos;
    for (std::size_t at = t.find(marker, from); at != std::string_view::npos; at = t.find(marker, at + 1)) {
      std::size_t next = at + marker.size();
      if (marker == "`" || next >= t.size() || !is_ident_char(t[next])) {
        close = at;
        break;
      }
    }
    if (close == std::string_view::npos) return "";
    inner = t.substr(from, close - from);
    after = close + marker.size();
    formatted = true;
  } else {
    std::size_t end = 0;
    while (end < t.size() && is_ident_char(t[end])) ++end;
    inner = t.substr(0, end);
    after = end;
  }
  if (inner.size() > 2 && inner.substr(inner.size() - 2) == "()") inner.remove_suffix(2);
  if (!is_identifier(inner)) return "";
  s = t.substr(after);
  return std::string(inner);
}

bool is_separator_row(std::string_view row) {
  for (char c : row)
    if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '+') return false;
  return true;
}

std::vector<std::string> split_cells(std::string_view row) {
  std::string_view t = trim(row);
  if (!t.empty() && t.front() == '|') t.remove_prefix(1);
  if (!t.empty() && t.back() == '|') t.remove_suffix(1);
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || (t[i] == '|' && (i == 0 || t[i - 1] != '\\'))) {
      cells.emplace_back(trim(t.substr(start, i - start)));
      start = i + 1;
    }
  }
  return cells;
}

class SectionBuilder {
 public:
  SectionBuilder(DocumentRead& out, const std::string& file, const FunctionNamePredicate& is_function)
      : out_(out), file_(file), is_function_(is_function) {}

  void line(const SourceLine& l) {
    std::string_view t = l.text;
    std::string_view tt = trim(t);
    if (!fence_.empty()) {
      if (tt.starts_with(fence_)) fence_.clear();
      return;
    }
    if (tt.starts_with("```") || tt.starts_with("~~~")) {
      flush();
      fence_ = std::string(tt.substr(0, 3));
      return;
    }
    if (tt.starts_with("#")) return heading(l.number, tt);
    if (!current_) return;
    if (tt.empty()) return flush();
    if (tt.front() == '|' || (table_header_ && tt.find('|') != std::string_view::npos)) {
      flush();
      return table_row(l.number, tt);
    }
    table_header_ = false;
    header_.clear();
    std::string_view rest = tt;
    if (list_item(rest)) {
      flush();
      item_ = true;
      start_ = l.number;
      raw_ = std::string(rest);
      return;
    }
    if (raw_.empty()) start_ = l.number;
    raw_ += (raw_.empty() ? "" : "\n");
    raw_ += tt;
  }

  void finish() {
    flush();
    close_section();
  }

 private:
  void heading(int number, std::string_view tt) {
    flush();
    std::size_t level = 0;
    while (level < tt.size() && tt[level] == '#') ++level;
    std::string_view text = trim(tt.substr(level));
    while (!text.empty() && text.back() == '#') text.remove_suffix(1);
    text = trim(text);
    bool code = text.find('`') != std::string_view::npos;
    // "### `cl_int clGetDeviceInfo(cl_device_id device, ...)`": the function is the known name,
    // else the identifier right before the first "(", else the first identifier.
    std::string name, first, called;
    for (std::size_t i = 0; i < text.size();) {
      if (!is_ident_start(text[i]) || (i > 0 && is_ident_char(text[i - 1]))) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < text.size() && is_ident_char(text[end])) ++end;
      std::string word(text.substr(i, end - i));
      std::string_view after = trim(text.substr(end));
      while (!after.empty() && after.front() == '`') after.remove_prefix(1);
      if (first.empty()) first = word;
      if (called.empty() && after.starts_with("(")) called = word;
      if (name.empty() && is_function_ && is_function_(word)) name = word;
      if (called.size() && !is_function_) break;
      i = end;
    }
    bool function_heading = false;
    if (is_function_) {
      function_heading = !name.empty();
    } else {
      name = called.empty() ? first : called;
      function_heading = is_identifier(name) && (code || !called.empty());
    }
    if (function_heading) {
      close_section();
      current_ = DocSection{};
      current_->functions.push_back(name);
      current_->file = file_;
      current_->line = number;
      errors_ = false;
      params_heading_ = false;
      return;
    }
    if (!current_) return;
    std::string lower = to_lower(text);
    params_heading_ = has_any_phrase(lower, {"parameters", "parameter", "arguments", "args"});
    errors_ = has_any_phrase(lower, {"errors", "error codes", "return value", "return values", "returns"});
  }

  bool list_item(std::string_view& rest) {
    std::string_view t = rest;
    if (t.starts_with("@param") || t.starts_with("\\param")) {
      rest = t.substr(6);
      return true;
    }
    if (t.size() > 1 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') {
      rest = trim(t.substr(2));
      return true;
    }
    std::size_t n = 0;
    while (n < t.size() && std::isdigit(static_cast<unsigned char>(t[n]))) ++n;
    if (n > 0 && n + 1 < t.size() && (t[n] == '.' || t[n] == ')') && t[n + 1] == ' ') {
      rest = trim(t.substr(n + 2));
      return true;
    }
    return false;
  }

  void table_row(int number, std::string_view row) {
    if (is_separator_row(row)) return;
    auto cells = split_cells(row);
    if (!table_header_) {
      table_header_ = true;
      header_.clear();
      for (const auto& c : cells) header_.push_back(to_lower(c));
      bool looks_like_header = false;
      for (const auto& h : header_)
        looks_like_header = looks_like_header || has_any_phrase(h, {"parameter", "name", "argument", "description"});
      if (looks_like_header) return;
      header_.clear();
    }
    std::optional<spec::Direction> dir;
    std::string name;
    std::string description;
    for (std::size_t k = 0; k < cells.size(); ++k) {
      std::string_view cell = cells[k];
      std::string h = k < header_.size() ? header_[k] : "";
      if (auto d = direction_word(cell); d && (h.empty() || has_any_phrase(h, {"direction", "in/out", "dir"}) ||
                                               cell.front() == '[')) {
        dir = d;
        continue;
      }
      bool name_column = h.empty() ? name.empty() : has_any_phrase(h, {"parameter", "name", "argument"});
      if (name_column && name.empty()) {
        std::string_view c = cell;
        if (auto d = take_direction_tag(c)) dir = d;
        bool formatted = false;
        name = leading_identifier(c, formatted);
        if (!name.empty() && trim(c).empty()) continue;
        name.clear();
      }
      if (has_any_phrase(h, {"type"})) continue;
      if (!description.empty()) description += " ";
      description += cell;
    }
    if (name.empty()) return;
    add_param(name, dir, description, number, {});
  }

  void flush() {
    if (raw_.empty() || !current_) {
      raw_.clear();
      item_ = false;
      return;
    }
    std::string_view rest = raw_;
    std::string name;
    std::optional<spec::Direction> dir;
    if (item_) {
      dir = take_direction_tag(rest);
      bool formatted = false;
      std::string_view probe = rest;
      name = leading_identifier(probe, formatted);
      std::string_view after = trim(probe);
      if (!dir) {
        std::string_view a = after;
        if (auto d = take_direction_tag(a)) dir = d, after = a;
      }
      bool separated = after.starts_with(":") || after.starts_with("-") || after.starts_with("\u2013") ||
                       after.starts_with("\u2014") || after.starts_with("(");
      if (!name.empty() && (formatted || separated || params_heading_ || dir)) {
        // keep the name in the sentence so extractors see "name is ..."
        while (!after.empty() && (after.front() == ':' || after.front() == '-')) after.remove_prefix(1);
        if (after.starts_with("\u2013") || after.starts_with("\u2014")) after.remove_prefix(3);
        rest = after;
      } else {
        name.clear();
      }
    }
    if (name.empty()) {
      MarkedText t = normalize_markdown_inline(raw_, start_);
      for (auto& s : to_sentences(t, file_, errors_)) current_->body.push_back(std::move(s));
    } else {
      add_param(name, dir, std::string(trim(rest)), start_, {});
    }
    raw_.clear();
    item_ = false;
  }

  void add_param(const std::string& name, std::optional<spec::Direction> dir, const std::string& description,
                 int line, std::vector<std::string> co) {
    MarkedText desc = normalize_markdown_inline(description, line);
    MarkedText t;
    t.text = name + " " + desc.text;
    t.mentions.push_back({name, 0, name.size(), true});
    for (auto m : desc.mentions) {
      m.begin += name.size() + 1;
      m.end += name.size() + 1;
      t.mentions.push_back(m);
    }
    t.lines.mark(0, line);
    ParamDoc* p = nullptr;
    for (auto& existing : current_->params)
      if (existing.name == name) p = &existing;
    if (!p) {
      current_->params.push_back(ParamDoc{});
      p = &current_->params.back();
      p->name = name;
      p->position = static_cast<int>(current_->params.size()) - 1;
      p->co_subjects = std::move(co);
    }
    if (dir) p->tagged = dir;
    for (auto& s : to_sentences(t, file_, false)) p->sentences.push_back(std::move(s));
    if (p->sentences.empty()) {
      Sentence s;
      s.text = name;
      s.file = file_;
      s.line = line;
      p->sentences.push_back(std::move(s));
    }
  }

  void close_section() {
    if (!current_) return;
    current_->params_complete = !current_->params.empty();
    out_.sections.push_back(std::move(*current_));
    current_.reset();
  }

  DocumentRead& out_;
  const std::string& file_;
  const FunctionNamePredicate& is_function_;
  std::optional<DocSection> current_;
  std::string raw_, fence_;
  int start_ = 0;
  bool item_ = false, errors_ = false, params_heading_ = false, table_header_ = false;
  std::vector<std::string> header_;
};

}  // namespace

DocumentRead read_markdown_lines(const std::vector<SourceLine>& lines, const std::string& file,
                                 const FunctionNamePredicate& is_function) {
  DocumentRead out;
  SectionBuilder builder(out, file, is_function);
  for (const auto& l : lines) builder.line(l);
  builder.finish();
  return out;
}

DocumentRead read_markdown(std::string_view text, const std::string& file, const FunctionNamePredicate& is_function,
                           spec::Diagnostics&) {
  std::vector<SourceLine> lines;
  int number = 1;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string l(text.substr(start, end - start));
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back({number++, std::move(l)});
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return read_markdown_lines(lines, file, is_function);
}

}  // namespace remora::inference::docs
