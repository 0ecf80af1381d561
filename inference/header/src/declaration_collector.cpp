#include "declaration_collector.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <unordered_map>

#include "clang_util.h"
#include "ctype_builder.h"
#include "doc_comments.h"
#include "doc_placement.h"
#include "function_selection.h"
#include "macro_values.h"
#include "prototype_errors.h"
#include "record_collector.h"
#include "remora/inference/text_util.h"
#include "type_facts.h"

namespace remora::inference {

namespace {

class Collector {
 public:
  Collector(CXTranslationUnit unit, const ApiFiles& files, const ApiFilter& filter,
            ParsedHeader& out, spec::Diagnostics& diagnostics)
      : unit_(unit), files_(files), filter_(filter), out_(out), diagnostics_(diagnostics) {
    widen_to_selected_folders();
    for (const auto& d : diagnostics)
      if (d.severity == spec::Diagnostic::Severity::Error) errors_.push_back(d);
  }

  void run() {
    clang_getInclusions(unit_, &Collector::on_inclusion, this);
    visit(clang_getTranslationUnitCursor(unit_));
    attach_docs();
    out_.functions =
        select_api_functions(std::move(declared_), files_, filter_, census_, diagnostics_);
    apply_asm_labels(out_.functions);
    apply_macro_renames(out_.functions, out_.macros);
    resolve_macro_values(out_.macros);
  }

 private:
  struct FileInfo {
    FileRole role = FileRole::Other;
    std::string path;       // as libclang names it
    std::string canonical;  // resolved, absolute
    std::string display;    // "cl.h"
  };

  // A header --api-glob selects takes its types from its neighbours, as a
  // named header does: look at every file once before roles are fixed.
  void widen_to_selected_folders() {
    std::vector<CXFile> all;
    clang_getInclusions(
        unit_,
        [](CXFile included, CXSourceLocation*, unsigned, CXClientData data) {
          static_cast<std::vector<CXFile>*>(data)->push_back(included);
        },
        &all);
    for (CXFile file : all) {
      std::string path = clang_util::take(clang_getFileName(file));
      if (files_.role_of(path) == FileRole::Selected) files_.add_neighbour_folder_of(path);
    }
  }

  static void on_inclusion(CXFile included, CXSourceLocation* stack, unsigned depth,
                           CXClientData data) {
    if (depth == 0) return;
    CXFile includer = nullptr;
    unsigned line = 0, column = 0, offset = 0;
    clang_getExpansionLocation(stack[0], &includer, &line, &column, &offset);
    auto* self = static_cast<Collector*>(data);
    if (!includer) return;
    const FileInfo& from = self->file_info(includer);
    if (from.role == FileRole::Given) self->includer_.emplace(included, from.canonical);
  }

  static CXChildVisitResult visit_child(CXCursor c, CXCursor, CXClientData data) {
    static_cast<Collector*>(data)->on_cursor(c);
    return CXChildVisit_Continue;
  }
  void visit(CXCursor parent) { clang_visitChildren(parent, &Collector::visit_child, this); }

  const FileInfo& file_info(CXFile file) {
    auto cached = files_info_.find(file);
    if (cached == files_info_.end()) {
      FileInfo info;
      info.path = clang_util::take(clang_getFileName(file));
      info.display = base_name(info.path);
      info.canonical = canonical_path(info.path);
      info.role = files_.role_of(info.path);
      cached = files_info_.emplace(file, std::move(info)).first;
    }
    return cached->second;
  }

  // The file of the cursor's first line, or nullptr for builtins.
  const FileInfo* file_of(CXCursor c, int* line) {
    CXFile cx_file = nullptr;
    unsigned l = 0, col = 0, off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &cx_file, &l, &col, &off);
    if (!cx_file) return nullptr;
    if (line) *line = static_cast<int>(l);
    return &file_info(cx_file);
  }

  static bool takes_types(FileRole role) {
    return role != FileRole::Other && role != FileRole::Excluded;
  }

  // Lines a declaration occupies, up to the line of its ';'.
  DeclSpan span_of(CXCursor c, const std::string& path) {
    CXSourceRange extent = clang_getCursorExtent(c);
    CXFile file = nullptr;
    unsigned first = 0, last = 0, column = 0, offset = 0;
    clang_getExpansionLocation(clang_getRangeStart(extent), &file, &first, &column, &offset);
    clang_getExpansionLocation(clang_getRangeEnd(extent), &file, &last, &column, &offset);
    // The end inside a macro argument (zlib's `OF((...))`) is where it is written.
    CXFile spelled_file = nullptr;
    unsigned spelled = 0, spelled_column = 0;
    clang_getSpellingLocation(clang_getRangeEnd(extent), &spelled_file, &spelled, &spelled_column,
                              &offset);
    if (spelled_file == file && spelled > last) {
      last = spelled;
      column = spelled_column;
    }
    DeclSpan span{static_cast<int>(first), static_cast<int>(last)};
    const auto& lines = lines_of(path);
    // A declaration libclang cannot place (line 0, in a mangled header) has no line to scan.
    for (int line = std::max(1, span.last_line);
         line <= span.last_line + 2 && line <= static_cast<int>(lines.size()); ++line) {
      const std::string& text = lines[static_cast<std::size_t>(line - 1)];
      std::size_t from = line == static_cast<int>(last)
                             ? std::min<std::size_t>(column > 0 ? column - 1 : 0, text.size())
                             : 0;
      if (text.find(';', from) != std::string::npos) {
        span.last_line = line;
        break;
      }
    }
    return span;
  }

  // The comment written after a parameter on its line (`void *dst, ///< [out] ...`) and
  // the lines that continue it: libclang attaches none to parameters. Not for parameters
  // written inside a macro's arguments (their place in the file is the macro's).
  std::optional<DocParam> trailing_doc_of(CXCursor arg, const std::string& path, const std::string& name) {
    CXSourceLocation end = clang_getRangeEnd(clang_getCursorExtent(arg));
    CXFile file = nullptr, spelled_file = nullptr;
    unsigned line = 0, column = 0, offset = 0, spelled_line = 0, spelled_column = 0;
    clang_getExpansionLocation(end, &file, &line, &column, &offset);
    clang_getSpellingLocation(end, &spelled_file, &spelled_line, &spelled_column, &offset);
    const auto& lines = lines_of(path);
    if (!file || spelled_file != file || spelled_line != line || line == 0 || line > lines.size()) return std::nullopt;
    std::string text = lines[line - 1].substr(std::min<std::size_t>(column > 0 ? column - 1 : 0, lines[line - 1].size()));
    std::size_t at = text.find_first_not_of(" \t,);");
    if (at == std::string::npos || (text.compare(at, 2, "//") != 0 && text.compare(at, 2, "/*") != 0)) return std::nullopt;
    std::string raw = text.substr(at);
    for (std::size_t next = line; next < lines.size(); ++next) {  // `///<` lines under it continue it
      std::size_t m = lines[next].find_first_not_of(" \t");
      if (m == std::string::npos || lines[next].compare(m, 4, "///<") != 0) break;
      raw += "\n" + lines[next].substr(m);
    }
    // An ordinary comment is the parameter's only where the list goes on after it or
    // closes on a later line (`int *pAutoinc /* OUTPUT: ... */` then `);`): one after
    // `);` speaks of the function. Only a comment that ends on its line.
    const std::string before = text.substr(0, at);
    const bool plain = before.find_first_of(");") == std::string::npos &&
                       (raw.rfind("//", 0) == 0 || raw.find("*/") != std::string::npos);
    return parse_trailing_param_doc(raw, name, plain);
  }

  // `uint8_t buf[(*encoded_size)]`: the one parameter a C99 array extent reads, when the
  // extent is just that parameter (or what it points to); "" otherwise.
  static std::string array_extent_of(CXCursor arg) {
    if (clang_getCursorType(arg).kind != CXType_VariableArray) return "";
    struct Found {
      std::string name;
      int refs = 0, operators = 0;
    } found;
    clang_visitChildren(
        arg,
        [](CXCursor c, CXCursor, CXClientData data) {
          auto* f = static_cast<Found*>(data);
          const CXCursorKind kind = clang_getCursorKind(c);
          if (kind == CXCursor_BinaryOperator || kind == CXCursor_ConditionalOperator || kind == CXCursor_CallExpr)
            ++f->operators;
          if (kind == CXCursor_DeclRefExpr) {
            CXCursor ref = clang_getCursorReferenced(c);
            ++f->refs;
            if (clang_getCursorKind(ref) == CXCursor_ParmDecl) f->name = clang_util::spelling(ref);
          }
          return CXChildVisit_Recurse;
        },
        &found);
    return found.refs == 1 && found.operators == 0 ? found.name : "";
  }

  void note_span(CXCursor c, const FileInfo& file) {
    spans_[file.path].push_back(span_of(c, file.path));
  }

  void on_cursor(CXCursor c) {
    CXCursorKind kind = clang_getCursorKind(c);
    switch (kind) {
      case CXCursor_LinkageSpec:    // extern "C" { ... }
      case CXCursor_UnexposedDecl:  // how libclang 15 sometimes reports extern "C"
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
      case CXCursor_VarDecl: {
        int line = 0;
        const FileInfo* file = file_of(c, &line);
        if (file && takes_types(file->role)) note_span(c, *file);
        return;
      }
      case CXCursor_MacroDefinition:
        on_macro(c);
        return;
      default:
        return;
    }
  }

  void on_function(CXCursor c) {
    int line = 0;
    const FileInfo* file = file_of(c, &line);
    if (!file) return;
    // Bodies in a header are inline helpers, not library exports.
    // (with skipped bodies libclang may not call an inline definition a definition)
    if (clang_isCursorDefinition(c) || clang_Cursor_isFunctionInlined(c)) return;
    if (clang_Cursor_getStorageClass(c) == CX_SC_Static) return;
    if (file->role == FileRole::Given) ++census_.per_given[file->canonical];
    if (!takes_types(file->role)) {
      ++census_.elsewhere[file->canonical];
      return;
    }
    std::string name = clang_util::spelling(c);
    if (name.empty()) return;
    note_span(c, *file);

    DeclaredFunction d;
    d.role = file->role;
    CXFile cx_file = nullptr;
    unsigned l = 0, col = 0, off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), &cx_file, &l, &col, &off);
    if (auto it = includer_.find(cx_file); it != includer_.end()) d.includer = it->second;
    if (d.role == FileRole::Neighbour) ++census_.elsewhere[file->canonical];

    ParsedFunction& f = d.function;
    f.name = name;
    if (std::string label = clang_util::asm_label(c); !label.empty() && label != name) f.symbol = label;
    f.file = file->display;
    f.path = file->path;
    f.line = line;
    f.ret = type_info_of(clang_getCursorResultType(c));
    f.ret_ctype = ctype_of(clang_getCursorResultType(c));
    CXType type = clang_getCursorType(c);
    // libclang calls C's `f()` variadic; it declares no parameters at all, not `...`.
    f.no_prototype = type.kind == CXType_FunctionNoProto;
    f.variadic = !f.no_prototype && clang_isFunctionTypeVariadic(type) != 0;
    f.noreturn = clang_util::is_noreturn(c);
    int count = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < count; ++i) {
      CXCursor arg = clang_Cursor_getArgument(c, static_cast<unsigned>(i));
      ParsedParam p;
      p.name = clang_util::spelling(arg);
      p.unnamed = p.name.empty();
      if (p.unnamed) p.name = "arg" + std::to_string(i);
      p.type = type_info_of(clang_getCursorType(arg));
      p.ctype = ctype_of(clang_getCursorType(arg));
      p.line = clang_util::location_of(arg).line;
      p.trailing_doc = trailing_doc_of(arg, file->path, p.name);
      p.array_extent_param = array_extent_of(arg);
      f.params.push_back(std::move(p));
    }
    const DeclSpan& span = spans_[file->path].back();
    f.error = prototype_error(c, file->path, span.first_line, span.last_line, errors_);
    f.doc = doc_from_libclang(c);  // replaced in attach_docs unless its comment is this one's
    first_lines_.push_back(span.first_line);
    declared_.push_back(std::move(d));
  }

  // Each function's comment: the block that belongs to it in its file (above it,
  // or after it in files that write comments after prototypes).
  void attach_docs() {
    std::map<std::string, std::unique_ptr<CommentOwnership>> by_file;
    for (std::size_t i = 0; i < declared_.size(); ++i) {
      ParsedFunction& f = declared_[i].function;
      auto& owner = by_file[f.path];
      if (!owner) owner = std::make_unique<CommentOwnership>(lines_of(f.path), spans_[f.path]);
      const CommentBlock* block = owner->doc_of(first_lines_[i]);
      if (!block) block = owner->shared_doc_of(first_lines_[i], f.name);
      if (!block) {
        f.doc = {};
        continue;
      }
      if (f.doc.from_libclang && f.doc.line == block->first_line)
        continue;  // libclang read the same comment
      f.doc = parse_doc_text(block->text);
      f.doc.file = f.file;
      f.doc.line = block->first_line;
    }
    for (const CallbackTypedef& cb : callback_typedefs_) {
      ParsedType& t = out_.types[cb.index];
      if (!t.doc.empty()) continue;
      auto& owner = by_file[cb.path];
      if (!owner) owner = std::make_unique<CommentOwnership>(lines_of(cb.path), spans_[cb.path]);
      if (const CommentBlock* block = owner->doc_of(cb.first_line)) t.doc = block->text;
    }
  }

  void on_typedef(CXCursor c) {
    ParsedType t;
    const FileInfo* file = file_of(c, &t.line);
    if (!file || !takes_types(file->role)) return;
    note_span(c, *file);
    t.file = file->display;
    t.form = ParsedType::Form::Typedef;
    t.name = clang_util::spelling(c);
    CXType underlying = clang_getTypedefDeclUnderlyingType(c);
    t.underlying = type_info_of(underlying);
    t.ctype = ctype_of(underlying);
    t.doc = clang_util::take(clang_Cursor_getRawCommentText(c));
    // A callback type: the names of its parameters (a signature alone has none), and its
    // comment found as a function's is (attach_docs), where libclang keeps only Doxygen's.
    if (t.underlying.is_function_pointer() && !t.name.empty()) {
      t.callback_params = callback_params_of(c);
      callback_typedefs_.push_back({out_.types.size(), file->path, spans_[file->path].back().first_line});
    }
    // typedef enum { ... } name;  -> keep the constants with the typedef.
    CXType canonical = clang_getCanonicalType(underlying);
    if (canonical.kind == CXType_Enum)
      t.constants = enum_constants(clang_getTypeDeclaration(canonical));
    if (!t.name.empty()) out_.types.push_back(std::move(t));
  }

  // The ParmDecl children of a function-pointer typedef, in order.
  std::vector<ParsedParam> callback_params_of(CXCursor c) {
    std::vector<CXCursor> decls;
    clang_visitChildren(
        c,
        [](CXCursor child, CXCursor, CXClientData data) {
          if (clang_getCursorKind(child) != CXCursor_ParmDecl) return CXChildVisit_Recurse;
          static_cast<std::vector<CXCursor>*>(data)->push_back(child);
          return CXChildVisit_Continue;  // not into a parameter's own function type
        },
        &decls);
    std::vector<ParsedParam> params;
    for (CXCursor arg : decls) {
      ParsedParam p;
      p.name = clang_util::spelling(arg);
      p.unnamed = p.name.empty();
      if (p.unnamed) p.name = "arg" + std::to_string(params.size());
      p.type = type_info_of(clang_getCursorType(arg));
      p.ctype = ctype_of(clang_getCursorType(arg));
      p.line = clang_util::location_of(arg).line;
      params.push_back(std::move(p));
    }
    return params;
  }

  void on_enum(CXCursor c) {
    ParsedType t;
    const FileInfo* file = file_of(c, &t.line);
    if (!file || !takes_types(file->role)) return;
    note_span(c, *file);
    if (!clang_isCursorDefinition(c) || clang_Cursor_isAnonymous(c)) return;
    t.file = file->display;
    t.form = ParsedType::Form::Enum;
    t.name = clang_util::spelling(c);
    t.constants = enum_constants(c);
    if (!t.name.empty()) out_.types.push_back(std::move(t));
  }

  void on_struct(CXCursor c) {
    int line = 0;
    const FileInfo* file = file_of(c, &line);
    if (!file || !takes_types(file->role)) return;
    note_span(c, *file);
    if (!clang_isCursorDefinition(c)) return;
    // typedef struct { ... } Foo: the record is named by its typedef.
    std::string name = record_name_of(c);
    if (!name.empty()) collect_record(c, name, file->display, line, out_.types);
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
    const FileInfo* file = file_of(c, &m.line);
    if (!file || !takes_types(file->role)) return;
    m.file = file->display;
    m.name = clang_util::spelling(c);
    m.body = macro_body(unit_, c);
    out_.macros.push_back(std::move(m));
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

  CXTranslationUnit unit_;
  ApiFiles files_;  // a copy: selected headers widen its neighbour folders
  const ApiFilter& filter_;
  ParsedHeader& out_;
  spec::Diagnostics& diagnostics_;
  spec::Diagnostics errors_;
  std::unordered_map<CXFile, FileInfo> files_info_;
  std::unordered_map<CXFile, std::string> includer_;  // file -> the named header that includes it
  std::vector<DeclaredFunction> declared_;
  std::vector<int> first_lines_;  // per declared_ entry: where its declaration starts
  struct CallbackTypedef {
    std::size_t index;  // in out_.types
    std::string path;
    int first_line;
  };
  std::vector<CallbackTypedef> callback_typedefs_;
  FunctionCensus census_;
  std::map<std::string, std::vector<DeclSpan>> spans_;
  std::map<std::string, std::vector<std::string>> file_lines_;
};

}  // namespace

void collect_declarations(CXTranslationUnit unit, const ApiFiles& files, const ApiFilter& filter,
                          ParsedHeader& out, spec::Diagnostics& diagnostics) {
  Collector collector(unit, files, filter, out, diagnostics);
  collector.run();
}

}  // namespace remora::inference
