#include "macro_values.h"

#include <cctype>
#include <functional>
#include <map>

#include "clang_util.h"

namespace remora::inference {

namespace {

std::vector<std::string> split_tokens(const std::string& body) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : body) {
    if (c == ' ') {
      if (!current.empty()) tokens.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) tokens.push_back(current);
  return tokens;
}

std::optional<long long> parse_literal(const std::string& token) {
  if (token.empty() || !std::isdigit(static_cast<unsigned char>(token[0]))) return std::nullopt;
  std::string digits = token;
  while (!digits.empty() && std::string_view("uUlL").find(digits.back()) != std::string_view::npos) digits.pop_back();
  try {
    std::size_t used = 0;
    long long value = static_cast<long long>(std::stoull(digits, &used, 0));
    if (used != digits.size()) return std::nullopt;
    return value;
  } catch (...) {
    return std::nullopt;
  }
}

// Recursive descent over | ^ & << >> + - * / ~ unary-, casts "(type)x" and
// identifiers resolved through `lookup`.
class Evaluator {
 public:
  Evaluator(std::vector<std::string> tokens, std::function<std::optional<long long>(const std::string&)> lookup)
      : tokens_(std::move(tokens)), lookup_(std::move(lookup)) {}

  std::optional<long long> run() {
    auto v = binary(0);
    if (!v || pos_ != tokens_.size()) return std::nullopt;
    return v;
  }

 private:
  static int precedence(const std::string& op) {
    if (op == "|") return 1;
    if (op == "^") return 2;
    if (op == "&") return 3;
    if (op == "<<" || op == ">>") return 4;
    if (op == "+" || op == "-") return 5;
    if (op == "*" || op == "/") return 6;
    return -1;
  }

  std::optional<long long> binary(int min_precedence) {
    auto left = unary();
    while (left && pos_ < tokens_.size()) {
      const std::string& op = tokens_[pos_];
      int p = precedence(op);
      if (p < 0 || p <= min_precedence - 1 || p < min_precedence) break;
      ++pos_;
      auto right = binary(p + 1);
      if (!right) return std::nullopt;
      long long a = *left, b = *right;
      if (op == "|") left = a | b;
      else if (op == "^") left = a ^ b;
      else if (op == "&") left = a & b;
      else if (op == "<<") left = (b >= 0 && b < 63) ? static_cast<long long>(static_cast<unsigned long long>(a) << b) : 0;
      else if (op == ">>") left = (b >= 0 && b < 63) ? a >> b : 0;
      else if (op == "+") left = a + b;
      else if (op == "-") left = a - b;
      else if (op == "*") left = a * b;
      else if (op == "/") {
        if (b == 0) return std::nullopt;
        left = a / b;
      }
    }
    return left;
  }

  std::optional<long long> unary() {
    if (pos_ >= tokens_.size()) return std::nullopt;
    const std::string t = tokens_[pos_];
    if (t == "-" || t == "~" || t == "+") {
      ++pos_;
      auto v = unary();
      if (!v) return v;
      return t == "-" ? -*v : t == "~" ? ~*v : *v;
    }
    if (t == "(") {
      // A cast: "(" type-words ")" followed by an operand.
      std::size_t close = pos_ + 1;
      while (close < tokens_.size() && tokens_[close] != ")" && tokens_[close] != "(" &&
             (std::isalpha(static_cast<unsigned char>(tokens_[close][0])) || tokens_[close][0] == '_'))
        ++close;
      if (close > pos_ + 1 && close < tokens_.size() && tokens_[close] == ")" && close + 1 < tokens_.size() &&
          !lookup_(tokens_[pos_ + 1])) {
        pos_ = close + 1;
        return unary();
      }
      ++pos_;
      auto v = binary(0);
      if (!v || pos_ >= tokens_.size() || tokens_[pos_] != ")") return std::nullopt;
      ++pos_;
      return v;
    }
    ++pos_;
    if (auto literal = parse_literal(t)) return literal;
    if (std::isalpha(static_cast<unsigned char>(t[0])) || t[0] == '_') return lookup_(t);
    return std::nullopt;
  }

  std::vector<std::string> tokens_;
  std::function<std::optional<long long>(const std::string&)> lookup_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string macro_body(CXTranslationUnit unit, CXCursor macro_definition) {
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(unit, clang_getCursorExtent(macro_definition), &tokens, &count);
  std::string body;
  for (unsigned i = 1; i < count; ++i) {  // token 0 is the macro's name
    if (!body.empty()) body += ' ';
    body += clang_util::take(clang_getTokenSpelling(unit, tokens[i]));
  }
  if (tokens) clang_disposeTokens(unit, tokens, count);
  return body;
}

std::optional<long long> parse_integer_expression(const std::string& body) {
  return Evaluator(split_tokens(body), [](const std::string&) { return std::nullopt; }).run();
}

void resolve_macro_values(std::vector<ParsedMacro>& macros) {
  std::map<std::string, ParsedMacro*> by_name;
  for (auto& m : macros) by_name[m.name] = &m;
  std::map<std::string, int> visiting;
  std::function<std::optional<long long>(const std::string&)> value_of = [&](const std::string& name)
      -> std::optional<long long> {
    auto it = by_name.find(name);
    if (it == by_name.end()) return std::nullopt;
    ParsedMacro* m = it->second;
    if (m->value) return m->value;
    if (visiting[name]++ > 0) return std::nullopt;  // self-referential macro
    m->value = Evaluator(split_tokens(m->body), value_of).run();
    return m->value;
  };
  for (auto& m : macros)
    if (!m.value) value_of(m.name);
}

}  // namespace remora::inference
