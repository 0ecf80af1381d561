#include "remora/inference/header_parser.h"

#include <clang-c/Index.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "api_files.h"
#include "clang_util.h"
#include "declaration_collector.h"
#include "default_arguments.h"
#include "remora/inference/text_util.h"

#ifndef REMORA_CLANG_RESOURCE_DIR
#define REMORA_CLANG_RESOURCE_DIR "/usr/lib/llvm-15/lib/clang/15.0.6"
#endif

namespace remora::inference {

namespace fs = std::filesystem;
using spec::Diagnostic;

namespace {

struct IndexDeleter {
  void operator()(void* index) const { clang_disposeIndex(index); }
};
struct UnitDeleter {
  void operator()(CXTranslationUnitImpl* unit) const { clang_disposeTranslationUnit(unit); }
};
using UnitPtr = std::unique_ptr<CXTranslationUnitImpl, UnitDeleter>;

std::vector<std::string> compiler_args(const HeaderParseOptions& options,
                                       const std::string& language) {
  std::vector<std::string> args;
  if (language == "c++") {
    args = {"-x", "c++-header", "-std=c++17"};
  } else {
    // _GNU_SOURCE as g++ predefines it: the generated stack is C++ and must see the
    // header's declarations as read here (ncurses declares its wide-character functions,
    // and renames others by macro, only then).
    args = {"-x", "c-header", "-std=gnu11", "-D_GNU_SOURCE"};
  }
  args.push_back("-resource-dir");
  args.push_back(clang_resource_dir());
  for (const auto& dir : options.include_dirs) args.push_back("-I" + dir);
  for (const auto& define : options.defines) args.push_back("-D" + define);
  args.push_back("-ferror-limit=100");
  args.push_back("-fno-spell-checking");
  return args;
}

struct Attempt {
  UnitPtr unit;
  spec::Diagnostics diagnostics;
  int errors = 0;
  std::string failure;  // libclang refused to build a unit at all
};

// Suggests the next step for the common ways a header fails to parse; `folders`
// are the named headers' folders, where a missing <x.h> often is.
std::string advice_for(const std::string& message, const std::vector<std::string>& folders) {
  if (message.find("file not found") != std::string::npos) {
    auto open = message.find('\'');
    auto close = open == std::string::npos ? open : message.find('\'', open + 1);
    if (close != std::string::npos) {
      std::string name = message.substr(open + 1, close - open - 1);
      std::error_code ec;
      for (const auto& folder : folders)
        if (fs::exists(fs::path(folder) / name, ec))
          return " (pass -I " + folder + ": it is there)";
    }
    return " (pass -I DIR for the folder that holds it)";
  }
  if (message.find("unknown type name") != std::string::npos)
    return " (a -D the header expects may be missing, or the header needs another header first: name that one "
           "before it and --exclude it, e.g. remora infer /usr/include/stdio.h HEADER --exclude stdio.h)";
  return "";
}

// Several headers are parsed as one translation unit: a virtual file that
// includes each of them, so shared includes are read once.
constexpr const char* kUmbrellaPath = "/remora-virtual/api-headers.h";

std::string umbrella_text(const std::vector<std::string>& headers) {
  std::string text;
  for (const auto& h : headers) text += "#include \"" + h + "\"\n";
  return text;
}

Attempt parse_once(CXIndex index, const HeaderParseOptions& options,
                   const std::vector<std::string>& headers, const std::string& language) {
  Attempt attempt;
  std::vector<std::string> args = compiler_args(options, language);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord |
                   CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_KeepGoing;
  std::string umbrella = umbrella_text(headers);
  CXUnsavedFile virtual_file{kUmbrellaPath, umbrella.c_str(),
                             static_cast<unsigned long>(umbrella.size())};
  bool several = headers.size() > 1;
  const char* main = several ? kUmbrellaPath : headers.front().c_str();
  CXTranslationUnit unit = nullptr;
  CXErrorCode code =
      clang_parseTranslationUnit2(index, main, argv.data(), static_cast<int>(argv.size()),
                                  several ? &virtual_file : nullptr, several ? 1 : 0, flags, &unit);
  if (code != CXError_Success || !unit) {
    attempt.failure = "libclang could not start parsing (error code " + std::to_string(code) + ")";
    return attempt;
  }
  std::vector<std::string> folders;
  for (const auto& h : headers) folders.push_back(fs::path(h).parent_path().string());
  attempt.unit.reset(unit);
  unsigned count = clang_getNumDiagnostics(unit);
  for (unsigned i = 0; i < count; ++i) {
    CXDiagnostic d = clang_getDiagnostic(unit, i);
    CXDiagnosticSeverity severity = clang_getDiagnosticSeverity(d);
    if (severity >= CXDiagnostic_Error) {
      Diagnostic out;
      out.severity = Diagnostic::Severity::Error;
      CXFile file = nullptr;
      unsigned line = 0, column = 0, offset = 0;
      clang_getExpansionLocation(clang_getDiagnosticLocation(d), &file, &line, &column, &offset);
      if (file) out.file = clang_util::take(clang_getFileName(file));
      out.line = static_cast<int>(line);
      out.message = clang_util::take(clang_getDiagnosticSpelling(d));
      out.message += advice_for(out.message, folders);
      attempt.diagnostics.push_back(out);
      ++attempt.errors;
    }
    clang_disposeDiagnostic(d);
  }
  return attempt;
}

// Headers that only parse as C++ usually say so early.
bool looks_like_cplusplus(const std::string& path, const std::string& text) {
  std::string ext = fs::path(path).extension().string();
  if (ext == ".hpp" || ext == ".hh" || ext == ".hxx" || ext == ".cuh") return true;
  for (const char* marker : {"template <", "template<", "namespace ", "class ", "extern \"C++\""})
    if (text.find(marker) != std::string::npos) return true;
  return false;
}

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

}  // namespace

std::string clang_resource_dir() {
  return REMORA_CLANG_RESOURCE_DIR;
}

HeaderParse parse_header(const HeaderParseOptions& options) {
  HeaderParse result;
  auto fail = [&](const std::string& file, const std::string& message) {
    result.diagnostics.push_back({Diagnostic::Severity::Error, file, 0, message});
    result.ok = false;
    return result;
  };

  std::vector<std::string> named;
  if (!options.header.empty()) named.push_back(options.header);
  named.insert(named.end(), options.extra_headers.begin(), options.extra_headers.end());
  if (named.empty()) return fail("", "no header given: name the vendor header to infer from");

  std::vector<std::string> headers;  // absolute, as the user spelled them (keeps /usr/local/cuda)
  bool cplusplus = false;
  for (const auto& header : named) {
    std::error_code ec;
    if (!fs::exists(header, ec)) return fail(header, "header not found: check the path");
    if (fs::is_directory(header, ec))
      return fail(header, "this is a folder, not a header: name the header file");
    std::string text;
    if (!read_file(header, text))
      return fail(header, "cannot read the header: check its permissions");
    if (text.find('\0') != std::string::npos)
      return fail(header,
                  "this is not a text file (it contains NUL bytes): name the C header of the API");
    cplusplus = cplusplus || looks_like_cplusplus(header, text);
    std::string absolute = fs::absolute(header, ec).lexically_normal().string();
    if (std::find(headers.begin(), headers.end(), absolute) == headers.end())
      headers.push_back(absolute);
  }

  std::unique_ptr<void, IndexDeleter> index(
      clang_createIndex(/*excludePCH=*/0, /*displayDiagnostics=*/0));

  std::string language = options.language;
  if (language.empty()) language = "c";
  Attempt attempt = parse_once(index.get(), options, headers, language);
  // A header that does not parse as C but looks like C++ (CUDA headers, C++
  // wrappers) gets a second try as C++; the one with fewer errors wins.
  if (options.language.empty() && (attempt.failure.size() || attempt.errors > 0) && cplusplus) {
    Attempt cxx = parse_once(index.get(), options, headers, "c++");
    if (cxx.failure.empty() && (!attempt.failure.empty() || cxx.errors < attempt.errors)) {
      attempt = std::move(cxx);
      language = "c++";
    }
  }
  if (!attempt.failure.empty())
    return fail(named.front(), attempt.failure + ": check that the file is a C header");

  result.diagnostics = std::move(attempt.diagnostics);
  result.header.main_file = canonical_path(headers.front());
  for (const auto& h : headers) result.header.headers.push_back(canonical_path(h));
  result.header.language = language;
  result.header.errors = attempt.errors;
  ApiFiles files(headers, options.filter);
  collect_declarations(attempt.unit.get(), files, options.filter, result.header,
                       result.diagnostics);
  // Default arguments and language linkage exist only in C++: read them from this unit, or
  // from a C++ parse made for them alone (its errors are not the header's: they are
  // ignored). Every header gets one: the generated stack is C++, and a declaration left
  // outside the header's extern "C" block (or in a header with none, or in a file an
  // umbrella header includes) must be defined by an assembler label.
  if (language == "c++") {
    read_cplusplus_declarations(attempt.unit.get(), result.header);
  } else if (!result.header.functions.empty()) {
    Attempt cxx = parse_once(index.get(), options, headers, "c++");
    if (cxx.failure.empty()) read_cplusplus_declarations(cxx.unit.get(), result.header);
  }

  if (result.header.functions.empty() && attempt.errors > 0) {
    result.diagnostics.push_back({Diagnostic::Severity::Error, named.front(), 0,
                                  "no functions could be read because the header did not parse; "
                                  "fix the errors above (often a missing -I or -D)"});
    result.ok = false;
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace remora::inference
