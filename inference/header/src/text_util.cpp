#include "remora/inference/text_util.h"

#include <cctype>

namespace remora::inference {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (byte < 0x80) return 1;
  if ((byte & 0xE0) == 0xC0 && byte >= 0xC2) length = 2;
  else if ((byte & 0xF0) == 0xE0) length = 3;
  else if ((byte & 0xF8) == 0xF0 && byte <= 0xF4) length = 4;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  return length;
}

}  // namespace

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    auto byte = static_cast<unsigned char>(text[i]);
    // Control characters (other than tab/newline) are garbage in a spec.
    if (length == 1 && byte < 0x20 && byte != '\n' && byte != '\t') out.push_back(' ');
    else out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

std::string utf8_truncate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Step back over continuation bytes to the start of a code point.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string sentence_around(std::string_view text, std::size_t at) {
  auto begin = text.rfind(". ", at);
  begin = begin == std::string_view::npos ? 0 : begin + 2;
  auto end = text.find(". ", at);
  end = end == std::string_view::npos ? text.size() : end + 1;
  return utf8_truncate(text.substr(begin, end - begin), 200);
}

std::vector<std::string> identifier_words(std::string_view identifier) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(to_lower(current));
    current.clear();
  };
  for (std::size_t i = 0; i < identifier.size(); ++i) {
    char c = identifier[i];
    if (c == '_' || !std::isalnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    bool upper = std::isupper(static_cast<unsigned char>(c));
    bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(identifier[i - 1]));
    bool next_lower = i + 1 < identifier.size() && std::islower(static_cast<unsigned char>(identifier[i + 1]));
    bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(identifier[i - 1]));
    bool prev_digit = i > 0 && std::isdigit(static_cast<unsigned char>(identifier[i - 1]));
    // camelCase boundary ("devPtr"), the end of an acronym ("HTTPServer"), or a capitalised
    // word after a number ("cuMemsetD8Async": d8 async; "Memcpy2DAsync" keeps its "2d").
    if (upper && (prev_lower || (prev_upper && next_lower) || (prev_digit && next_lower))) flush();
    current.push_back(c);
  }
  flush();
  return words;
}

std::string base_name(std::string_view path) {
  auto slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace remora::inference
