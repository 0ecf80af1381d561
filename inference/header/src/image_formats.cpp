// The vocabulary of self-describing formats (image_formats.h). Each entry is a word
// documentation uses for a format whose bytes give their own length; the table is
// the whole rule, reviewable at a glance, and names formats, never functions.
#include "image_formats.h"

#include <algorithm>
#include <cctype>

#include "remora/inference/text_util.h"
#include "remora/spec/size_expr.h"

namespace remora::inference {

namespace {

struct Word {
  const char* phrase;
  const char* format;
};

// "cubin" is CUDA's word for a device ELF file; "shared object" and "elf" for any.
// A NUL-terminated text counts only when the terminator is said, never from "text".
constexpr Word kWords[] = {
    {"fat binary", "fatbin"},    {"fatbin", "fatbin"},       {"cubin", "elf"},
    {"elf image", "elf"},        {"elf file", "elf"},        {"elf object", "elf"},
    {"null-terminated", "text"}, {"nul-terminated", "text"}, {"null terminated", "text"},
    {"zero-terminated", "text"},
};

// Doxygen markup (\p name, \e word, \b word, <i>...</i>) removed, lower case.
std::string plain(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '\\' || text[i] == '@') && i + 2 < text.size() &&
        std::isalpha(static_cast<unsigned char>(text[i + 1])) && text[i + 2] == ' ') {
      i += 2;  // "\p " and the like: the word after it stays
      continue;
    }
    if (text[i] == '<') {
      auto close = text.find('>', i);
      if (close != std::string::npos && close - i < 5) {
        i = close;
        continue;
      }
    }
    out += text[i];
  }
  return to_lower(out);
}

bool has_word(const std::string& s, const std::string& w) {
  for (auto at = s.find(w); at != std::string::npos; at = s.find(w, at + 1)) {
    bool before =
        at == 0 || !(std::isalnum(static_cast<unsigned char>(s[at - 1])) || s[at - 1] == '_');
    std::size_t end = at + w.size();
    bool after =
        end >= s.size() || !(std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_');
    if (before && after) return true;
  }
  return false;
}

// Sentences: split at ". " and at blank lines; single line breaks are spaces.
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (cur.find_first_not_of(' ') != std::string::npos) out.push_back(cur);
    cur.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      flush();
      continue;
    }
    cur += c == '\n' ? ' ' : c;
    if (c == '.' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) flush();
  }
  flush();
  return out;
}

}  // namespace

ImageFormats image_formats_for(const std::string& param, const std::string& body,
                               const std::string& param_text) {
  ImageFormats result;
  std::vector<std::string> candidates = sentences(param_text);
  std::string lower_param = to_lower(param);
  for (const auto& s : sentences(body))
    if (has_word(plain(s), lower_param)) candidates.push_back(s);
  std::vector<std::string> found;
  for (const auto& raw : candidates) {
    std::string s = plain(raw);
    bool any = false;
    for (const Word& w : kWords)
      if (has_word(s, w.phrase)) {  // whole words: "cubin" is not in "fatCubin"
        any = true;
        if (std::find(found.begin(), found.end(), w.format) == found.end())
          found.push_back(w.format);
      }
    if (any && result.quote.empty()) {
      std::string q = raw;
      auto first = q.find_first_not_of(' ');
      result.quote = utf8_truncate(q.substr(first == std::string::npos ? 0 : first), 200);
    }
  }
  for (const auto& fmt : spec::size_expr_image_formats())
    if (std::find(found.begin(), found.end(), fmt) != found.end()) result.formats.push_back(fmt);
  return result;
}

}  // namespace remora::inference
