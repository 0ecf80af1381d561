#include "remora/inference/header_parser.h"

#include <clang-c/Index.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "clang_util.h"
#include "declaration_collector.h"
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

std::vector<std::string> compiler_args(const HeaderParseOptions& options, const std::string& language) {
  std::vector<std::string> args;
  if (language == "c++") {
    args = {"-x", "c++-header", "-std=c++17"};
  } else {
    args = {"-x", "c-header", "-std=gnu11"};
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

// Suggests the next step for the common ways a header fails to parse.
std::string advice_for(const std::string& message) {
  if (message.find("file not found") != std::string::npos)
    return " (pass -I DIR for the folder that holds it)";
  if (message.find("unknown type name") != std::string::npos)
    return " (a -D the header expects may be missing, or the header needs another header first)";
  return "";
}

Attempt parse_once(CXIndex index, const HeaderParseOptions& options, const std::string& language) {
  Attempt attempt;
  std::vector<std::string> args = compiler_args(options, language);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  unsigned flags = CXTranslationUnit_DetailedPreprocessingRecord | CXTranslationUnit_SkipFunctionBodies |
                   CXTranslationUnit_KeepGoing;
  CXTranslationUnit unit = nullptr;
  CXErrorCode code = clang_parseTranslationUnit2(index, options.header.c_str(), argv.data(),
                                                 static_cast<int>(argv.size()), nullptr, 0, flags, &unit);
  if (code != CXError_Success || !unit) {
    attempt.failure = "libclang could not start parsing (error code " + std::to_string(code) + ")";
    return attempt;
  }
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
      out.message += advice_for(out.message);
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

std::string clang_resource_dir() { return REMORA_CLANG_RESOURCE_DIR; }

HeaderParse parse_header(const HeaderParseOptions& options) {
  HeaderParse result;
  auto fail = [&](const std::string& message) {
    result.diagnostics.push_back({Diagnostic::Severity::Error, options.header, 0, message});
    result.ok = false;
    return result;
  };

  std::error_code ec;
  if (options.header.empty()) return fail("no header given: name the vendor header to infer from");
  if (!fs::exists(options.header, ec)) return fail("header not found: check the path");
  if (fs::is_directory(options.header, ec)) return fail("this is a folder, not a header: name the header file");
  std::string text;
  if (!read_file(options.header, text)) return fail("cannot read the header: check its permissions");
  if (text.find('\0') != std::string::npos)
    return fail("this is not a text file (it contains NUL bytes): name the C header of the API");

  std::string main_file = fs::weakly_canonical(fs::absolute(options.header, ec), ec).string();
  std::unique_ptr<void, IndexDeleter> index(clang_createIndex(/*excludePCH=*/0, /*displayDiagnostics=*/0));

  std::string language = options.language;
  if (language.empty()) language = "c";
  Attempt attempt = parse_once(index.get(), options, language);
  // A header that does not parse as C but looks like C++ (CUDA headers, C++
  // wrappers) gets a second try as C++; the one with fewer errors wins.
  if (options.language.empty() && (attempt.failure.size() || attempt.errors > 0) &&
      looks_like_cplusplus(options.header, text)) {
    Attempt cxx = parse_once(index.get(), options, "c++");
    if (cxx.failure.empty() && (!attempt.failure.empty() || cxx.errors < attempt.errors)) {
      attempt = std::move(cxx);
      language = "c++";
    }
  }
  if (!attempt.failure.empty()) return fail(attempt.failure + ": check that the file is a C header");

  result.diagnostics = std::move(attempt.diagnostics);
  result.header.main_file = main_file;
  result.header.language = language;
  collect_declarations(attempt.unit.get(), main_file, result.header, result.diagnostics);

  if (result.header.functions.empty()) {
    if (attempt.errors > 0) {
      result.diagnostics.push_back({Diagnostic::Severity::Error, options.header, 0,
                                    "no functions could be read because the header did not parse; "
                                    "fix the errors above (often a missing -I or -D)"});
      result.ok = false;
      return result;
    }
    result.diagnostics.push_back({Diagnostic::Severity::Warning, options.header, 0,
                                  "the header declares no functions: is this the API's main header?"});
  }
  result.ok = true;
  return result;
}

}  // namespace remora::inference
