#include "function_selection.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include "remora/inference/text_util.h"

namespace remora::inference {

namespace fs = std::filesystem;
using spec::Diagnostic;

namespace {

// A second declaration of the same function lends what the first lacks.
void merge_into(ParsedFunction& kept, const ParsedFunction& other) {
  if (kept.doc.empty() && !other.doc.empty()) kept.doc = other.doc;
  if (kept.params.size() != other.params.size()) return;
  for (std::size_t i = 0; i < kept.params.size(); ++i)
    if (kept.params[i].unnamed && !other.params[i].unnamed) {
      kept.params[i].name = other.params[i].name;
      kept.params[i].unnamed = false;
    }
}

// One function per name, in the order first declared; a clean prototype wins
// over one that held a parse error.
std::vector<ParsedFunction> merge_duplicates(std::vector<ParsedFunction> functions) {
  std::vector<ParsedFunction> out;
  std::unordered_map<std::string, std::size_t> index;
  for (auto& f : functions) {
    auto [it, fresh] = index.emplace(f.name, out.size());
    if (fresh) {
      out.push_back(std::move(f));
      continue;
    }
    ParsedFunction& kept = out[it->second];
    if (!kept.error.empty() && f.error.empty()) std::swap(kept, f);
    merge_into(kept, f);
  }
  return out;
}

std::string names_of(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + base_name(p);
  return out;
}

// The C library and other system headers: listed last, never suggested first.
bool system_header(const std::string& path) {
  return path.rfind("/usr/include/", 0) == 0 || path.rfind("/usr/lib/", 0) == 0;
}

// "cuda_runtime_api.h (310), cuda.h (449)": the files not taken that declare
// the most functions (the C library last), and the folder most of them share.
std::string census_advice(const FunctionCensus& census) {
  std::vector<std::pair<std::string, int>> files(census.elsewhere.begin(), census.elsewhere.end());
  if (files.empty()) return "";
  std::stable_sort(files.begin(), files.end(), [](auto& a, auto& b) {
    bool sa = system_header(a.first), sb = system_header(b.first);
    return sa != sb ? sb : a.second > b.second;
  });
  std::map<std::string, int> folders;
  std::string listed;
  bool api_elsewhere = !system_header(files.front().first);
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!api_elsewhere || !system_header(files[i].first))
      folders[fs::path(files[i].first).parent_path().string()] += files[i].second;
    if (i < 5)
      listed += (listed.empty() ? "" : ", ") + files[i].first + " (" +
                std::to_string(files[i].second) + ")";
  }
  if (files.size() > 5) listed += " and " + std::to_string(files.size() - 5) + " more";
  auto top_folder = std::max_element(folders.begin(), folders.end(),
                                     [](auto& a, auto& b) { return a.second < b.second; });
  return "the headers it includes declare functions: " + listed +
         ". Name those headers too, or select them with --api-dir " + top_folder->first +
         " or --api-glob '" + base_name(files.front().first) +
         "' (--exclude PATTERN leaves some out)";
}

}  // namespace

namespace {

// The C library's own headers (ISO C and the POSIX ones C APIs include): an umbrella header
// in /usr/include (z3.h) has them as neighbours in its folder, but they are never its API.
bool is_c_library_header(const std::string& path) {
  static const char* const kNames[] = {
      "assert.h",   "complex.h",   "ctype.h",   "errno.h",       "fenv.h",     "float.h",
      "inttypes.h", "iso646.h",    "limits.h",  "locale.h",      "math.h",     "setjmp.h",
      "signal.h",   "stdalign.h",  "stdarg.h",  "stdatomic.h",   "stdbool.h",  "stddef.h",
      "stdint.h",   "stdio.h",     "stdlib.h",  "stdnoreturn.h", "string.h",   "tgmath.h",
      "threads.h",  "time.h",      "uchar.h",   "wchar.h",       "wctype.h",   "alloca.h",
      "dirent.h",   "dlfcn.h",     "fcntl.h",   "malloc.h",      "poll.h",     "pthread.h",
      "sched.h",    "semaphore.h", "strings.h", "unistd.h",      "features.h", "stdc-predef.h"};
  const std::string name = base_name(path);
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

}  // namespace

std::vector<ParsedFunction> select_api_functions(std::vector<DeclaredFunction> declared,
                                                 const ApiFiles& files, const ApiFilter& filter,
                                                 const FunctionCensus& census,
                                                 spec::Diagnostics& diagnostics) {
  const std::string first = files.spelled().empty() ? std::string() : files.spelled().front();
  std::vector<ParsedFunction> chosen;
  for (auto& d : declared)
    if (d.role == FileRole::Given || d.role == FileRole::Selected)
      chosen.push_back(std::move(d.function));

  // An umbrella header (opencl.h, cuda_runtime.h, cublas_v2.h) declares
  // nothing itself: the headers it includes from its own folder are the API.
  if (!filter.selects()) {
    for (std::size_t g = 0; g < files.given().size(); ++g) {
      const std::string& umbrella = files.given()[g];
      if (census.per_given.count(umbrella)) continue;
      std::vector<std::string> from;
      std::size_t taken = 0;
      for (auto& d : declared) {
        if (d.role != FileRole::Neighbour || d.includer != umbrella ||
            is_c_library_header(d.function.path))
          continue;
        if (std::find(from.begin(), from.end(), d.function.path) == from.end())
          from.push_back(d.function.path);
        chosen.push_back(std::move(d.function));
        ++taken;
      }
      if (taken > 0)
        diagnostics.push_back({Diagnostic::Severity::Warning, files.spelled()[g], 0,
                               "declares no functions itself: took the " + std::to_string(taken) +
                                   " functions of the headers it includes from its folder (" +
                                   names_of(from) +
                                   "); to choose others pass --api-dir DIR, --api-glob PATTERN or "
                                   "--exclude PATTERN"});
    }
  }
  chosen = merge_duplicates(std::move(chosen));

  if (chosen.empty()) {
    std::string advice = census_advice(census);
    std::string what = files.given().size() > 1 ? "these headers declare" : "the header declares";
    if (filter.selects())
      what += " no functions, and --api-dir/--api-glob selected none either";
    else
      what += " no functions";
    diagnostics.push_back(
        {Diagnostic::Severity::Warning, first, 0,
         advice.empty() ? what + ": is this the API's main header?" : what + "; " + advice});
  } else if (files.given().size() > 1 && filter.selects()) {
    for (std::size_t i = 0; i < files.given().size(); ++i)
      if (!census.per_given.count(files.given()[i]))
        diagnostics.push_back(
            {Diagnostic::Severity::Warning, files.spelled()[i], 0,
             "declares no functions: it only lends types and macros (and includes headers)"});
  }
  return chosen;
}

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

// The name an object-like macro's body renames to: `f_v2`, or `WRAPPER ( f_v2 )` (a
// function-like macro applied to the new name, as CUDA writes its per-thread-stream
// variants). The tokens arrive space-separated. "" when the body is anything else.
std::string renamed_function(const std::string& body) {
  std::vector<std::string> tokens;
  std::istringstream in(body);
  for (std::string t; in >> t;) tokens.push_back(t);
  if (tokens.size() == 1 && is_identifier(tokens[0])) return tokens[0];
  if (tokens.size() == 4 && is_identifier(tokens[0]) && tokens[1] == "(" &&
      is_identifier(tokens[2]) && tokens[3] == ")")
    return tokens[2];
  return "";
}

void apply_asm_labels(std::vector<ParsedFunction>& functions) {
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < functions.size(); ++i) by_name.emplace(functions[i].name, i);
  std::vector<ParsedFunction> kept;
  for (std::size_t i = 0; i < functions.size(); ++i) {
    const ParsedFunction& f = functions[i];
    // `crypt_gensalt_r` labelled `crypt_gensalt_rn`, which is declared too: calls to either
    // reach that one symbol, which the other declaration defines.
    if (!f.symbol.empty() && by_name.count(f.symbol)) continue;
    kept.push_back(functions[i]);
  }
  functions = std::move(kept);
}

void apply_macro_renames(std::vector<ParsedFunction>& functions,
                         const std::vector<ParsedMacro>& macros) {
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < functions.size(); ++i) by_name.emplace(functions[i].name, i);
  std::vector<bool> dropped(functions.size(), false);
  for (const ParsedMacro& m : macros) {
    std::string renamed = renamed_function(m.body);
    if (renamed.empty() || renamed == m.name) continue;
    auto target = by_name.find(renamed);
    if (target == by_name.end()) continue;
    ParsedFunction& f = functions[target->second];
    if (!f.symbol.empty()) continue;  // already renamed by an earlier macro
    if (auto old = by_name.find(m.name); old != by_name.end()) {
      // Both cuFoo and cuFoo_v2 are declared: code that includes the header
      // and calls cuFoo gets cuFoo_v2, so the old prototype is unreachable.
      merge_into(f, functions[old->second]);
      dropped[old->second] = true;
    }
    f.symbol = f.name;
    f.name = m.name;
  }
  std::vector<ParsedFunction> kept;
  for (std::size_t i = 0; i < functions.size(); ++i)
    if (!dropped[i]) kept.push_back(std::move(functions[i]));
  functions = std::move(kept);
}

}  // namespace remora::inference
