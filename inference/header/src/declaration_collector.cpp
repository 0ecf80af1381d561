#include "declaration_collector.h"

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "clang_util.h"
#include "ctype_builder.h"
#include "doc_comments.h"
#include "macro_values.h"
#include "record_collector.h"
#include "remora/inference/text_util.h"
#include "type_facts.h"

namespace remora::inference {

namespace fs = std::filesystem;

namespace {

class Collector {
 public:
  Collector(CXTranslationUnit unit, const std::string& main_file, ParsedHeader& out)
      : unit_(unit), out_(out), main_file_(main_file) {
    api_dir_ = fs::path(main_file).parent_path().string() + "/";
  }

  void run() {
    visit(clang_getTranslationUnitCursor(unit_));
    keep_main_header_functions();
    apply_macro_renames();
  }

 private:
  static CXChildVisitResult visit_child(CXCursor c, CXCursor, CXClientData data) {
    static_cast<Collector*>(data)->on_cursor(c);
    return CXChildVisit_Continue;
  }
  void visit(CXCursor parent) { clang_visitChildren(parent, &Collector::visit_child, this); }

  // Is the file this cursor is in part of the API (the header's own folder)?
  bool in_api(CXCursor c, std::string* file, int* line) {
    CXFile cx_file = nullptr;
    unsigned l = 0, col = 0, off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &cx_file, &l, &col, &off);
    if (!cx_file) return false;
    auto cached = api_files_.find(cx_file);
    if (cached == api_files_.end()) {
      std::string path = clang_util::take(clang_getFileName(cx_file));
      std::error_code ec;
      std::string canonical = fs::weakly_canonical(fs::absolute(path, ec), ec).string();
      bool inside = canonical.rfind(api_dir_, 0) == 0;
      cached = api_files_.emplace(cx_file, FileInfo{inside, path, base_name(path), canonical == main_file_}).first;
    }
    current_is_main_ = cached->second.is_main;
    if (file) *file = cached->second.display;
    if (line) *line = static_cast<int>(l);
    if (cached->second.inside) current_path_ = cached->second.path;
    return cached->second.inside;
  }

  void on_cursor(CXCursor c) {
    CXCursorKind kind = clang_getCursorKind(c);
    switch (kind) {
      case CXCursor_LinkageSpec:   // extern "C" { ... }
      case CXCursor_UnexposedDecl: // how libclang 15 sometimes reports extern "C"
        visit(c);
        return;
      case CXCursor_FunctionDecl:
        on_function(c);
        return;
      case CXCursor_TypedefDecl:
        on_typedef(c);
        return;
      case CXCursor_EnumDecl:
        on_enum(c);
        return;
      case CXCursor_StructDecl:
      case CXCursor_UnionDecl:
        on_struct(c);
        return;
      case CXCursor_MacroDefinition:
        on_macro(c);
        return;
      default:
        return;
    }
  }

  void on_function(CXCursor c) {
    std::string file;
    int line = 0;
    if (!in_api(c, &file, &line)) return;
    // Bodies in a header are inline helpers, not library exports.
    // (with skipped bodies libclang may not call an inline definition a definition)
    if (clang_isCursorDefinition(c) || clang_Cursor_isFunctionInlined(c)) return;
    if (clang_Cursor_getStorageClass(c) == CX_SC_Static) return;
    std::string name = clang_util::spelling(c);
    if (name.empty() || !seen_functions_.insert(name).second) return;

    ParsedFunction f;
    f.name = name;
    f.file = file;
    f.line = line;
    f.ret = type_info_of(clang_getCursorResultType(c));
    f.ret_ctype = ctype_of(clang_getCursorResultType(c));
    CXType type = clang_getCursorType(c);
    f.variadic = clang_isFunctionTypeVariadic(type) != 0;
    int count = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < count; ++i) {
      CXCursor arg = clang_Cursor_getArgument(c, static_cast<unsigned>(i));
      ParsedParam p;
      p.name = clang_util::spelling(arg);
      if (p.name.empty()) p.name = "arg" + std::to_string(i);
      p.type = type_info_of(clang_getCursorType(arg));
      p.ctype = ctype_of(clang_getCursorType(arg));
      p.line = clang_util::location_of(arg).line;
      f.params.push_back(std::move(p));
    }
    f.doc = doc_from_libclang(c);
    if (f.doc.empty()) {
      CXSourceLocation start = clang_getRangeStart(clang_getCursorExtent(c));
      CXFile cx_file = nullptr;
      unsigned start_line = 0, col = 0, off = 0;
      clang_getExpansionLocation(start, &cx_file, &start_line, &col, &off);
      f.doc = doc_above(lines_of(current_path_), static_cast<int>(start_line));
      if (!f.doc.empty()) f.doc.file = file;
    }
    out_.functions.push_back(std::move(f));
    function_in_main_.push_back(current_is_main_);
  }

  void on_typedef(CXCursor c) {
    ParsedType t;
    if (!in_api(c, &t.file, &t.line)) return;
    t.form = ParsedType::Form::Typedef;
    t.name = clang_util::spelling(c);
    CXType underlying = clang_getTypedefDeclUnderlyingType(c);
    t.underlying = type_info_of(underlying);
    t.ctype = ctype_of(underlying);
    // typedef enum { ... } name;  -> keep the constants with the typedef.
    CXType canonical = clang_getCanonicalType(underlying);
    if (canonical.kind == CXType_Enum) t.constants = enum_constants(clang_getTypeDeclaration(canonical));
    if (!t.name.empty()) out_.types.push_back(std::move(t));
  }

  void on_enum(CXCursor c) {
    ParsedType t;
    if (!in_api(c, &t.file, &t.line)) return;
    if (!clang_isCursorDefinition(c) || clang_Cursor_isAnonymous(c)) return;
    t.form = ParsedType::Form::Enum;
    t.name = clang_util::spelling(c);
    t.constants = enum_constants(c);
    if (!t.name.empty()) out_.types.push_back(std::move(t));
  }

  void on_struct(CXCursor c) {
    std::string file;
    int line = 0;
    if (!in_api(c, &file, &line)) return;
    if (!clang_isCursorDefinition(c)) return;
    // typedef struct { ... } Foo: the record is named by its typedef.
    std::string name = record_name_of(c);
    if (!name.empty()) collect_record(c, name, file, line, out_.types);
  }

  static std::vector<spec::EnumConstant> enum_constants(CXCursor enum_decl) {
    std::vector<spec::EnumConstant> constants;
    clang_visitChildren(
        enum_decl,
        [](CXCursor constant, CXCursor, CXClientData data) {
          if (clang_getCursorKind(constant) == CXCursor_EnumConstantDecl) {
            static_cast<std::vector<spec::EnumConstant>*>(data)->push_back(
                {clang_util::spelling(constant), clang_getEnumConstantDeclValue(constant)});
          }
          return CXChildVisit_Continue;
        },
        &constants);
    return constants;
  }

  void on_macro(CXCursor c) {
    if (clang_Cursor_isMacroBuiltin(c) || clang_Cursor_isMacroFunctionLike(c)) return;
    ParsedMacro m;
    if (!in_api(c, &m.file, &m.line)) return;
    m.name = clang_util::spelling(c);
    m.body = macro_body(unit_, c);
    out_.macros.push_back(std::move(m));
  }

  // A header that declares functions is the API; its neighbours only lend it
  // types (nccl.h next to cuda_runtime_api.h). An umbrella header that declares
  // none (opencl.h, cuda_runtime.h) stands for the functions of its neighbours.
  void keep_main_header_functions() {
    bool main_declares = false;
    for (std::size_t i = 0; i < out_.functions.size(); ++i) main_declares = main_declares || function_in_main_[i];
    if (!main_declares) return;
    std::vector<ParsedFunction> kept;
    for (std::size_t i = 0; i < out_.functions.size(); ++i)
      if (function_in_main_[i]) kept.push_back(std::move(out_.functions[i]));
    out_.functions = std::move(kept);
  }

  // #define cuMemAlloc cuMemAlloc_v2: programs call cuMemAlloc, the library
  // exports cuMemAlloc_v2.
  void apply_macro_renames() {
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < out_.functions.size(); ++i) by_name[out_.functions[i].name] = i;
    for (const ParsedMacro& m : out_.macros) {
      if (m.body.empty() || m.body == m.name || m.body.find(' ') != std::string::npos) continue;
      auto target = by_name.find(m.body);
      if (target == by_name.end() || by_name.count(m.name)) continue;
      ParsedFunction& f = out_.functions[target->second];
      if (!f.symbol.empty()) continue;  // already renamed by an earlier macro
      f.symbol = f.name;
      f.name = m.name;
    }
    resolve_macro_values(out_.macros);
  }

  const std::vector<std::string>& lines_of(const std::string& path) {
    auto it = file_lines_.find(path);
    if (it != file_lines_.end()) return it->second;
    std::vector<std::string> lines;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return file_lines_.emplace(path, std::move(lines)).first->second;
  }

  struct FileInfo {
    bool inside = false;
    std::string path;
    std::string display;
    bool is_main = false;
  };

  CXTranslationUnit unit_;
  ParsedHeader& out_;
  std::string api_dir_;
  std::string main_file_;
  std::string current_path_;
  bool current_is_main_ = false;
  std::vector<bool> function_in_main_;
  std::unordered_map<CXFile, FileInfo> api_files_;
  std::set<std::string> seen_functions_;
  std::map<std::string, std::vector<std::string>> file_lines_;
};

}  // namespace

void collect_declarations(CXTranslationUnit unit, const std::string& main_file, ParsedHeader& out,
                          spec::Diagnostics&) {
  Collector collector(unit, main_file, out);
  collector.run();
}

}  // namespace remora::inference
