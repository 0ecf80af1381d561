#include "remora/inference/docs/text_util.h"

#include <algorithm>
#include <cctype>

namespace remora::inference::docs {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool is_identifier(std::string_view s) {
  if (s.empty() || !is_ident_start(s[0])) return false;
  return std::all_of(s.begin(), s.end(), is_ident_char);
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> name_parts(std::string_view name) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (w.size() >= 3) out.push_back(w);
    w.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (ch == '_' || !std::isalnum(static_cast<unsigned char>(ch))) {
      flush();
      continue;
    }
    if (std::isupper(static_cast<unsigned char>(ch)) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1])))
      flush();
    w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  flush();
  return out;
}

std::size_t find_phrase(std::string_view text, std::string_view phrase, std::size_t from) {
  if (phrase.empty()) return std::string_view::npos;
  while (from <= text.size()) {
    std::size_t at = text.find(phrase, from);
    if (at == std::string_view::npos) return at;
    bool left_ok = at == 0 || !is_ident_char(text[at - 1]) || !is_ident_char(phrase.front());
    std::size_t after = at + phrase.size();
    bool right_ok = after >= text.size() || !is_ident_char(text[after]) || !is_ident_char(phrase.back());
    if (left_ok && right_ok) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

bool has_phrase(std::string_view text, std::string_view phrase) {
  return find_phrase(text, phrase) != std::string_view::npos;
}

bool names_null_constant(std::string_view after) {
  if (!after.starts_with(" is ") && !after.starts_with(" are ")) return false;
  std::string_view word = after.substr(after.starts_with(" is ") ? 4 : 5);
  std::size_t end = 0;
  while (end < word.size() && is_ident_char(word[end])) ++end;
  word = word.substr(0, end);
  return word.ends_with("_null") || word.find("_null_handle") != std::string_view::npos;
}

std::size_t find_within(std::string_view text, std::string_view needle, std::size_t from, std::size_t window) {
  if (from > text.size()) return std::string_view::npos;
  std::size_t at = text.substr(from, window + needle.size()).find(needle);
  return at == std::string_view::npos ? at : from + at;
}

bool has_any_phrase(std::string_view text, std::initializer_list<std::string_view> phrases) {
  for (auto p : phrases)
    if (has_phrase(text, p)) return true;
  return false;
}

namespace {
bool is_continuation_byte(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

std::string shorten_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && is_continuation_byte(static_cast<unsigned char>(text[cut]))) --cut;
  std::size_t word = cut;
  while (word > 0 && text[word - 1] != ' ') --word;
  if (word > max_bytes / 2) cut = word;  // whole words unless one huge word
  std::string out(trim(text.substr(0, cut)));
  while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) out.pop_back();
  return out + "...";
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= text.size()) return false;
    for (int k = 1; k <= extra; ++k)
      if (!is_continuation_byte(static_cast<unsigned char>(text[i + k]))) return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

std::vector<Range> split_sentences(std::string_view p) {
  static constexpr std::string_view kAbbrev[] = {"e.g", "i.e", "etc", "vs", "cf", "approx", "resp"};
  std::vector<Range> out;
  std::size_t begin = 0;
  auto push = [&](std::size_t end) {
    std::size_t b = begin, e = end;
    while (b < e && p[b] == ' ') ++b;
    while (e > b && p[e - 1] == ' ') --e;
    if (e > b) out.push_back({b, e});
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c != '.' && c != '?' && c != '!' && c != ':') continue;
    if (i + 1 < p.size() && p[i + 1] != ' ') continue;
    if (c == ':') continue;  // a colon introduces a list; keep it with its sentence
    if (c == '.') {
      std::size_t w = i;
      while (w > begin && p[w - 1] != ' ' && p[w - 1] != '(') --w;
      std::string word = to_lower(p.substr(w, i - w));
      bool abbreviation = word.size() == 1 && std::isalpha(static_cast<unsigned char>(word[0]));
      for (auto a : kAbbrev) abbreviation = abbreviation || word == a;
      if (abbreviation) continue;
    }
    push(i + 1);
    begin = i + 1;
  }
  push(p.size());
  return out;
}

std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (name == "amp") rep = "&";
    else if (name == "lt") rep = "<";
    else if (name == "gt") rep = ">";
    else if (name == "quot") rep = "\"";
    else if (name == "apos") rep = "'";
    else if (name == "nbsp") rep = " ";
    else if (!name.empty() && name[0] == '#') {
      long code = 0;
      bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      std::string digits(name.substr(hex ? 2 : 1));
      char* endp = nullptr;
      code = digits.empty() ? -1 : std::strtol(digits.c_str(), &endp, hex ? 16 : 10);
      if (endp && *endp == '\0' && code > 0 && code < 0x110000) {
        auto cp = static_cast<unsigned long>(code);
        if (cp < 0x80) rep = static_cast<char>(cp);
        else if (cp < 0x800) rep = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        else if (cp < 0x10000)
          rep = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                 static_cast<char>(0x80 | (cp & 0x3F))};
        else
          rep = {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
                 static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
      }
    }
    if (rep.empty()) {
      out += '&';
      continue;
    }
    out += rep;
    i = semi;
  }
  return out;
}

int LineMap::line_at(std::size_t offset) const {
  // marks are appended in increasing offset order: binary search the last one at or before offset
  auto it = std::upper_bound(marks_.begin(), marks_.end(), offset,
                             [](std::size_t o, const Mark& m) { return o < m.offset; });
  if (it == marks_.begin()) return marks_.empty() ? 0 : marks_.front().line;
  return std::prev(it)->line;
}

}  // namespace remora::inference::docs
