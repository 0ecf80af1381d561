// Block structure of AsciiDoc reference pages -> DocSections.
#include "remora/inference/docs/asciidoc_reader.h"


namespace remora::inference::docs {
namespace {

struct Line {
  int number;
  std::string_view text;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  int number = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (nl == std::string_view::npos && l.empty()) break;
    lines.push_back({number++, l});
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

// Value of key='value' (or key="value") in an attribute list line.
std::string attribute(std::string_view list, std::string_view key) {
  std::size_t at = 0;
  while ((at = list.find(key, at)) != std::string_view::npos) {
    bool starts = at == 0 || list[at - 1] == ',' || list[at - 1] == '[' || list[at - 1] == ' ';
    std::size_t eq = at + key.size();
    if (starts && eq + 1 < list.size() && list[eq] == '=' && (list[eq + 1] == '\'' || list[eq + 1] == '"')) {
      char quote = list[eq + 1];
      std::string value;
      for (std::size_t k = eq + 2; k < list.size(); ++k) {
        if (list[k] == '\\' && k + 1 < list.size() && list[k + 1] == quote) {  // desc='Increment a queue\'s count'
          value += quote;
          ++k;
          continue;
        }
        if (list[k] == quote) break;
        value += list[k];
      }
      return value;
    }
    at = eq;
  }
  return "";
}

bool is_refpage_line(std::string_view l) { return l.starts_with("[open,") && l.find("refpage=") != std::string_view::npos; }

bool starts_with_any(std::string_view l, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes)
    if (l.starts_with(p)) return true;
  return false;
}

// Bullet depth of a list line ("  * x" -> 1, "** x" -> 2), 0 if not a bullet.
int bullet_depth(std::string_view l, std::string_view& rest) {
  std::string_view t = trim(l);
  if (t.starts_with("- ")) {
    rest = trim(t.substr(2));
    return 1;
  }
  std::size_t n = 0;
  while (n < t.size() && t[n] == '*') ++n;
  if (n == 0 || n >= t.size() || t[n] != ' ') return 0;
  rest = trim(t.substr(n));
  return static_cast<int>(n);
}

bool mentions_error_list(std::string_view text) {
  std::string lower = to_lower(text);
  return has_phrase(lower, "following errors") || has_phrase(lower, "one of the following error");
}

// An error-list item starts with a constant such as {CL_INVALID_VALUE}.
bool looks_like_error_item(std::string_view raw) {
  std::string_view t = trim(raw);
  if (!t.empty() && (t[0] == '{' || t[0] == '`')) t.remove_prefix(1);
  std::size_t n = 0;
  while (n < t.size() && (is_ident_char(t[n]))) ++n;
  std::string_view word = t.substr(0, n);
  bool upper = n > 2;
  for (char c : word) upper = upper && !(c >= 'a' && c <= 'z');
  return upper && (word.find("INVALID") != std::string_view::npos || word.find("ERROR") != std::string_view::npos ||
                   word.find("OUT_OF") != std::string_view::npos);
}

class RefpageParser {
 public:
  RefpageParser(DocSection& section, const std::string& file) : section_(section), file_(file) {}

  void line(const Line& l) {
    std::string_view t = l.text;
    std::string_view tt = trim(t);
    if (skip_until_.size()) {
      if (tt.starts_with(skip_until_)) skip_until_.clear();
      return;
    }
    if (in_table_) return table_line(l, tt);
    if (tt.starts_with("// refError")) {
      flush();
      errors_ = true;
      return;
    }
    if (tt.starts_with("////")) return flush(), void(skip_until_ = "////");
    if (tt.starts_with("|===")) {
      flush();
      in_table_ = true;
      return;
    }
    if (tt == "----" || tt == "....") return flush(), void(skip_until_ = std::string(tt));
    if (tt.starts_with("//")) return;
    if (tt.starts_with("include::")) {
      add_included_prototype(tt);
      return;
    }
    if (starts_with_any(tt, {"ifdef::", "ifndef::", "endif::", "ifeval::"})) return;  // conditional text kept
    if (tt.empty() || tt == "--" || tt == "====" || tt == "+" ||
        (tt.front() == '[' && tt.back() == ']') || (tt.size() > 1 && tt[0] == '.' && tt[1] != '.' && tt[1] != ' ')) {
      if (tt == "+") return;  // list continuation: the item goes on
      flush();
      return;
    }
    std::string_view rest;
    int depth = bullet_depth(t, rest);
    if (depth == 1) {
      flush();
      in_item_ = true;
      sub_item_ = false;
      start_ = l.number;
      raw_ = std::string(rest);
      item_head_ = raw_;
      item_is_error_ = looks_like_error_item(raw_);
      return;
    }
    if (depth > 1) {
      sub_item_ = true;  // nested items describe callback arguments or error conditions
      // each nested condition of an error item is a sentence of its own: "CL_X. if a is NULL."
      // "CL_X\n** if a is NULL\n** if b is NULL" -> "CL_X if a is NULL. CL_X if b is NULL."
      if (item_is_error_) {
        if (raw_ == item_head_) raw_ += " " + std::string(rest);
        else raw_ += ".\n" + item_head_ + " " + std::string(rest);
      }
      return;
    }
    if (raw_.empty()) start_ = l.number;
    if (sub_item_ && !item_is_error_) return;
    raw_ += (raw_.empty() ? "" : "\n");
    raw_ += tt;
  }

  // Table cells are prose about the function (e.g. what a descriptor pointer points to).
  void table_line(const Line& l, std::string_view tt) {
    if (tt.starts_with("|===")) {
      flush();
      in_table_ = false;
      return;
    }
    if (tt.empty() || tt.starts_with("include::") || tt.starts_with("//") ||
        starts_with_any(tt, {"ifdef::", "ifndef::", "endif::", "ifeval::"})) {
      if (tt.empty()) flush();
      return;
    }
    std::size_t start = 0;
    for (std::size_t k = 0; k <= tt.size(); ++k) {
      if (k < tt.size() && (tt[k] != '|' || (k > 0 && tt[k - 1] == '\\'))) continue;
      std::string_view piece = trim(tt.substr(start, k - start));
      // a cell specifier such as "a" or "2+" sits right before its '|'
      bool specifier = k < tt.size() && piece.size() <= 3 && piece.find(' ') == std::string_view::npos &&
                       (piece.empty() || piece == "a" || piece.back() == '+');
      if (!piece.empty() && !specifier) {
        if (raw_.empty()) start_ = l.number;
        raw_ += (raw_.empty() ? "" : "\n");
        raw_ += piece;
      }
      if (k < tt.size()) flush();  // a new cell starts
      start = k + 1;
    }
  }

  void flush() {
    if (!raw_.empty()) {
      MarkedText t = normalize_asciidoc_inline(raw_, start_);
      std::vector<std::string> subjects = in_item_ && !item_is_error_ ? leading_subjects(t) : std::vector<std::string>{};
      // Prose after an error list is ordinary prose again; only list items are error conditions.
      bool error_context = item_is_error_ || (errors_ && in_item_);
      auto sentences = to_sentences(t, file_, error_context);
      if (subjects.empty()) {
        for (auto& s : sentences) section_.body.push_back(std::move(s));
      } else {
        for (const auto& name : subjects) {
          ParamDoc& p = param(name);
          for (const auto& other : subjects)
            if (other != name) p.co_subjects.push_back(other);
          p.sentences.insert(p.sentences.end(), sentences.begin(), sentences.end());
        }
      }
      if (mentions_error_list(t.text)) errors_ = true;
    }
    raw_.clear();
    in_item_ = sub_item_ = item_is_error_ = false;
  }

  void add_summary(const std::string& desc, int line) {
    if (desc.empty()) return;
    MarkedText t = normalize_asciidoc_inline(desc, line);
    for (auto& s : to_sentences(t, file_, false)) section_.body.push_back(std::move(s));
  }

 private:
  ParamDoc& param(const std::string& name) {
    for (auto& p : section_.params)
      if (p.name == name) return p;
    ParamDoc p;
    p.name = name;
    p.position = static_cast<int>(section_.params.size());
    section_.params.push_back(std::move(p));
    return section_.params.back();
  }

  void add_included_prototype(std::string_view l) {
    // include::{generated}/api/protos/clFoo.txt[]
    std::size_t at = l.find("/protos/");
    if (at == std::string_view::npos) return;
    std::string_view name = l.substr(at + 8);
    std::size_t end = 0;
    while (end < name.size() && is_ident_char(name[end])) ++end;
    name = name.substr(0, end);
    if (!is_identifier(name)) return;
    for (const auto& f : section_.functions)
      if (f == name) return;
    section_.functions.emplace_back(name);
  }

  DocSection& section_;
  const std::string& file_;
  std::string raw_, skip_until_, item_head_;
  int start_ = 0;
  bool in_item_ = false, sub_item_ = false, item_is_error_ = false, errors_ = false, in_table_ = false;
};

}  // namespace

DocumentRead read_asciidoc(std::string_view text, const std::string& file, spec::Diagnostics& diagnostics) {
  DocumentRead out;
  std::vector<Line> lines = split_lines(text);
  std::size_t i = 0;
  while (i < lines.size()) {
    if (!is_refpage_line(lines[i].text)) {
      ++i;
      continue;
    }
    const Line& head = lines[i];
    std::string name = attribute(head.text, "refpage");
    std::string type = attribute(head.text, "type");
    std::size_t open = i + 1;
    if (open >= lines.size() || trim(lines[open].text) != "--") {
      diagnostics.push_back({spec::Diagnostic::Severity::Warning, file, head.number,
                             "reference page '" + name + "' has no '--' line opening its block; page skipped"});
      ++i;
      continue;
    }
    // Find the closing "--", skipping nested open blocks ("+" then "--") and listings.
    std::size_t close = open + 1;
    int nested = 0;
    bool terminated = false;
    std::string skip;
    for (; close < lines.size(); ++close) {
      std::string_view t = trim(lines[close].text);
      if (!skip.empty()) {
        if (t == skip) skip.clear();
        continue;
      }
      if (t == "----" || t == "....") {
        skip = std::string(t);
        continue;
      }
      if (is_refpage_line(lines[close].text)) break;
      if (t != "--") continue;
      std::string_view prev = close > 0 ? trim(lines[close - 1].text) : "";
      if (prev == "+" || prev == "[open]") {
        ++nested;
      } else if (nested > 0) {
        --nested;
      } else {
        terminated = true;
        break;
      }
    }
    if (!terminated) {
      diagnostics.push_back({spec::Diagnostic::Severity::Warning, file, head.number,
                             "reference page '" + name +
                                 "' is not terminated (no closing '--' line before the next page or the end); "
                                 "page skipped, the rest of the file is still read"});
      i = close;
      continue;
    }
    if (type.empty() || type == "protos") {
      DocSection section;
      section.file = file;
      section.line = head.number;
      if (is_identifier(name)) section.functions.push_back(name);
      std::string aliases = attribute(head.text, "alias");
      std::size_t p = 0;
      while (p < aliases.size()) {
        std::size_t e = aliases.find_first_of(" ,", p);
        if (e == std::string::npos) e = aliases.size();
        std::string alias = aliases.substr(p, e - p);
        if (is_identifier(alias)) section.functions.push_back(alias);
        p = e + 1;
      }
      RefpageParser parser(section, file);
      parser.add_summary(attribute(head.text, "desc"), head.number);
      for (std::size_t k = open + 1; k < close; ++k) parser.line(lines[k]);
      parser.flush();
      // A page for one function lists its parameters in order: names may then be matched by position.
      section.params_complete = section.functions.size() == 1 && !section.params.empty();
      if (!section.functions.empty()) out.sections.push_back(std::move(section));
    }
    i = close + 1;
  }
  return out;
}

}  // namespace remora::inference::docs
