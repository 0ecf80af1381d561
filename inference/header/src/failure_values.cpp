// Failure values of plain-integer returns: many C APIs return an `int` whose meaning only
// the comment gives ("@returns 1 if the function succeeded, 0 on error", "Returns 0 on
// success, -1 on failure"). A stack that cannot make such a call (a parameter it refuses,
// a lost server) then returns that value, as the library would on a failure, instead of
// ending the program. Read from the comment's \returns text and its prose: the value
// written right before a failure phrase ("0 on error", "-1 if an error occurred", "a
// negative value on failure").
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

constexpr std::array<std::string_view, 14> kFailurePhrases = {
    " on error",           " on failure",   " on errors",         " if an error occurred",
    " if an error occurs", " if it fails",  " if the call fails", " in case of error",
    " in case of failure", " upon error",   " upon failure",      " if failed",
    " if unsuccessful",    " when it fails"};

bool is_integer(std::string_view w) {
  std::size_t i = !w.empty() && w[0] == '-' ? 1 : 0;
  if (i >= w.size()) return false;
  for (; i < w.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(w[i]))) return false;
  return true;
}

// An API constant as C headers spell them: upper case, digits and '_', with a '_'.
bool is_constant(std::string_view w) {
  if (w.empty() || !std::isupper(static_cast<unsigned char>(w[0])) ||
      w.find('_') == std::string_view::npos)
    return false;
  for (char c : w)
    if (!(std::isupper(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

// The words of `text` before `end`, last first, without punctuation around them.
std::vector<std::string> words_before(const std::string& text, std::size_t end) {
  std::vector<std::string> out;
  std::size_t i = end;
  while (i > 0 && out.size() < 3) {
    while (i > 0 && std::isspace(static_cast<unsigned char>(text[i - 1]))) --i;
    std::size_t j = i;
    while (j > 0 && !std::isspace(static_cast<unsigned char>(text[j - 1]))) --j;
    std::string w = text.substr(j, i - j);
    while (!w.empty() && std::string_view(",;:(`'\"").find(w.back()) != std::string_view::npos)
      w.pop_back();
    while (!w.empty() && std::string_view("(`'\"").find(w.front()) != std::string_view::npos)
      w.erase(0, 1);
    if (!w.empty()) out.push_back(w);
    i = j;
  }
  return out;
}

// The value a failure phrase follows ("0 on error": "0"; "a negative value on failure":
// "-1", which is negative; "zero on failure": "0"), or "" where none is written.
std::string value_before(const std::string& text, std::size_t phrase) {
  const std::vector<std::string> w = words_before(text, phrase);
  if (w.empty()) return "";
  const std::string last = to_lower(w[0]);
  if (is_integer(w[0]) || is_constant(w[0])) return w[0];
  if (last == "zero") return "0";
  const bool negative = std::any_of(w.begin(), w.end(),
                                    [](const std::string& s) { return to_lower(s) == "negative"; });
  if (negative && (last == "value" || last == "number" || last == "code" || last == "integer" ||
                   last == "negative"))
    return "-1";
  return "";
}

// The first failure value the text states, and the sentence that states it.
std::string failure_value(const std::string& text, std::string& quote) {
  const std::string lower = to_lower(text);
  std::size_t best = std::string::npos;
  std::string value;
  for (std::string_view phrase : kFailurePhrases) {
    for (std::size_t at = lower.find(phrase); at != std::string::npos;
         at = lower.find(phrase, at + 1)) {
      if (at >= best) break;
      if (std::string v = value_before(text, at); !v.empty()) {
        best = at;
        value = v;
        break;
      }
    }
  }
  if (!value.empty()) quote = sentence_around(text, best);
  return value;
}

}  // namespace

void add_failure_value_evidence(const FunctionContext& c, spec::Function& f) {
  const ParsedFunction& parsed = c.parsed;
  const TypeShape shape = parsed.ret.shape;
  if (shape != TypeShape::Integer && shape != TypeShape::Enum) return;
  std::string quote;
  std::string value = failure_value(parsed.doc.returns, quote);
  if (value.empty()) {
    for (const auto& [line, paragraph] : parsed.doc.prose) {
      (void)line;
      if (to_lower(paragraph).find("return") == std::string::npos) continue;
      if (value = failure_value(paragraph, quote); !value.empty()) break;
    }
  }
  if (value.empty()) return;
  f.ret.ann.error = value;
  spec::AnnotationPatch says;
  says.kind = spec::Kind::Value;
  f.evidence.push_back(
      header_evidence(says, 0.5,
                      "\"" + collapse_whitespace(quote) + "\": the function returns " + value +
                          " when it fails (a call the stack cannot make returns it)",
                      c.location(parsed.line)));
}

}  // namespace remora::inference
