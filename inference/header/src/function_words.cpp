#include "function_words.h"

#include <array>
#include <string_view>

#include "remora/inference/text_util.h"

namespace remora::inference {

namespace {

// The verbs of name_patterns.h's predicates (and the data verbs of the parameter
// rules): only these are worth splitting off, and only at the end of the word.
// Longer verbs first: "unmap" before "map".
constexpr std::array<std::string_view, 24> kVerbs = {
    "synchronize", "release", "destroy", "dispose", "enqueue", "create", "unload", "launch",
    "finish",      "delete",  "alloc",   "clone",   "close",   "query",  "unmap",  "write",
    "open",        "free",    "wait",    "read",    "new",     "get",    "map",    "set"};

bool starts_with_ci(const std::string& s, std::string_view prefix) {
  if (s.size() <= prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

names::Words function_words(const ParsedHeader& header, const std::string& name) {
  names::Words words = identifier_words(name);
  if (words.empty()) return words;
  const std::string first = words.front();
  for (std::string_view verb : kVerbs) {
    if (first.size() < verb.size() + 2 || first.compare(first.size() - verb.size(), verb.size(), verb) != 0)
      continue;
    std::string_view prefix(first.data(), first.size() - verb.size());
    int sharing = 0;
    for (const ParsedFunction& f : header.functions)
      if (starts_with_ci(f.name, prefix) && ++sharing >= 3) break;
    if (sharing < 3) continue;
    words.front() = std::string(prefix);
    words.insert(words.begin() + 1, std::string(verb));
    break;
  }
  return words;
}

}  // namespace remora::inference
