// Checks of the names and type spellings a spec puts into generated code
// (c_names.h). A small recursive-descent recogniser of C type names: only what
// a header's declarations use, nested at most kMaxNesting deep.
#include "remora/spec/c_names.h"

#include <cctype>

namespace remora::spec {
namespace {

constexpr std::size_t kMaxIdentifier = 255;
constexpr std::size_t kMaxSpelling = 1024;
constexpr int kMaxNesting = 16;

// C and C++ keywords: none of them may name a function, parameter or constant.
constexpr std::string_view kKeywords[] = {"alignas",
                                          "alignof",
                                          "and",
                                          "and_eq",
                                          "asm",
                                          "auto",
                                          "bitand",
                                          "bitor",
                                          "bool",
                                          "break",
                                          "case",
                                          "catch",
                                          "char",
                                          "char8_t",
                                          "char16_t",
                                          "char32_t",
                                          "class",
                                          "compl",
                                          "concept",
                                          "const",
                                          "consteval",
                                          "constexpr",
                                          "constinit",
                                          "const_cast",
                                          "continue",
                                          "co_await",
                                          "co_return",
                                          "co_yield",
                                          "decltype",
                                          "default",
                                          "delete",
                                          "do",
                                          "double",
                                          "dynamic_cast",
                                          "else",
                                          "enum",
                                          "explicit",
                                          "export",
                                          "extern",
                                          "false",
                                          "float",
                                          "for",
                                          "friend",
                                          "goto",
                                          "if",
                                          "inline",
                                          "int",
                                          "long",
                                          "mutable",
                                          "namespace",
                                          "new",
                                          "noexcept",
                                          "not",
                                          "not_eq",
                                          "nullptr",
                                          "operator",
                                          "or",
                                          "or_eq",
                                          "private",
                                          "protected",
                                          "public",
                                          "register",
                                          "reinterpret_cast",
                                          "requires",
                                          "restrict",
                                          "return",
                                          "short",
                                          "signed",
                                          "sizeof",
                                          "static",
                                          "static_assert",
                                          "static_cast",
                                          "struct",
                                          "switch",
                                          "template",
                                          "this",
                                          "thread_local",
                                          "throw",
                                          "true",
                                          "try",
                                          "typedef",
                                          "typeid",
                                          "typename",
                                          "union",
                                          "unsigned",
                                          "using",
                                          "virtual",
                                          "void",
                                          "volatile",
                                          "wchar_t",
                                          "while",
                                          "xor",
                                          "xor_eq",
                                          "_Bool",
                                          "__restrict",
                                          "__attribute__",
                                          "__asm__",
                                          "_Pragma"};

// Keywords that may appear among a type's specifier words.
constexpr std::string_view kTypeKeywords[] = {
    "const", "volatile", "restrict", "__restrict", "unsigned", "signed", "short",  "long",  "int",
    "char",  "float",    "double",   "void",       "bool",     "_Bool",  "struct", "union", "enum",
    // C's <stddef.h>/<uchar.h> typedefs, C++'s built-in types: a type name either way.
    "wchar_t", "char8_t", "char16_t", "char32_t"};

template <std::size_t N>
bool contains(const std::string_view (&set)[N], std::string_view s) {
  for (std::string_view k : set)
    if (k == s) return true;
  return false;
}

bool is_identifier_shape(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdentifier) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool is_qualifier(std::string_view w) {
  return w == "const" || w == "volatile" || w == "restrict" || w == "__restrict";
}

// Recogniser of one type name; throws nothing, records the first problem.
class TypeSpelling {
 public:
  explicit TypeSpelling(std::string_view s) : s_(s) {}

  std::optional<std::string> check() {
    if (s_.size() > kMaxSpelling)
      return "longer than " + std::to_string(kMaxSpelling) + " characters";
    type_name(0, false);
    skip_space();
    if (!problem_ && pos_ < s_.size()) problem("unexpected '" + std::string(1, s_[pos_]) + "'");
    return problem_;
  }

 private:
  void problem(std::string why) {
    if (!problem_) problem_ = std::move(why) + " at offset " + std::to_string(pos_);
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool peek(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  std::string_view peek_word() {
    skip_space();
    std::size_t end = pos_;
    while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_'))
      ++end;
    return s_.substr(pos_, end - pos_);
  }
  // A specifier word, or nothing (returns false) when the next token is no identifier.
  // A C++ header's extern "C" API may spell a type qualified (`std::size_t`, as
  // libclang prints it): identifiers joined by `::`, pasted only into the generated
  // C++ (guest and server), where that spelling is the header's own.
  bool word() {
    skip_space();
    bool qualified = s_.substr(pos_, 2) == "::";
    if (qualified) pos_ += 2;
    std::string_view w = peek_word();
    if (w.empty() || std::isdigit(static_cast<unsigned char>(w[0]))) {
      if (qualified) problem("expected a name after '::'");
      return false;
    }
    if (!is_identifier_shape(w)) return problem("malformed name"), false;
    if (contains(kKeywords, w) && !contains(kTypeKeywords, w))
      return problem("keyword '" + std::string(w) + "' is not part of a type name"), false;
    pos_ += w.size();
    if (s_.substr(pos_, 2) == "::") {
      if (contains(kTypeKeywords, w)) return problem("'::' after '" + std::string(w) + "'"), false;
      if (!word()) return problem("expected a name after '::'"), false;
    }
    return true;
  }

  // words abstract-declarator; `in_params`: a parameter may carry its name.
  void type_name(int depth, bool in_params) {
    if (depth > kMaxNesting) return problem("type nested too deeply");
    if (!word()) return problem("expected a type name");
    while (!problem_ && word()) {
    }
    declarator(depth, in_params);
  }

  void declarator(int depth, bool in_params) {
    while (!problem_ && accept('*'))
      while (is_qualifier(peek_word())) pos_ += peek_word().size();
    if (problem_) return;
    if (in_params) {
      std::string_view w = peek_word();
      if (!w.empty() && !std::isdigit(static_cast<unsigned char>(w[0]))) {
        if (!is_c_identifier(w)) return problem("malformed parameter name");
        pos_ += w.size();
      }
    }
    // "(*)" or "(CALLCONV *)": a pointer to what the suffixes describe.
    // Tried first; on failure the '(' opens a parameter list instead.
    if (peek('(')) {
      std::size_t save = pos_;
      ++pos_;
      while (!peek('*') && is_c_identifier(peek_word())) pos_ += peek_word().size();
      bool group = peek('*');
      if (group) {
        declarator(depth + 1, false);
        group = !problem_ && accept(')');
      }
      if (!group) {
        pos_ = save;
        problem_.reset();
      }
    }
    while (!problem_) {
      if (accept('[')) {
        skip_space();
        while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
        if (!accept(']')) return problem("an array extent must be an integer constant");
      } else if (accept('(')) {
        params(depth + 1);
        if (!problem_ && !accept(')')) return problem("expected ')' after parameter types");
      } else {
        return;
      }
    }
  }

  void params(int depth) {
    if (depth > kMaxNesting) return problem("type nested too deeply");
    if (peek(')')) return;
    for (;;) {
      skip_space();
      if (s_.substr(pos_, 3) == "...") {
        pos_ += 3;
        return;
      }
      type_name(depth, true);
      if (problem_ || !accept(',')) return;
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::optional<std::string> problem_;
};

}  // namespace

bool is_c_identifier(std::string_view s) {
  return is_identifier_shape(s) && !contains(kKeywords, s);
}

bool is_keyword(std::string_view s) { return contains(kKeywords, s); }

std::optional<std::string> c_type_spelling_problem(std::string_view s) {
  return TypeSpelling(s).check();
}

bool is_c_constant(std::string_view s) {
  if (is_c_identifier(s)) return true;
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 20) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace remora::spec
