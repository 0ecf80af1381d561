// The names and type spellings of a spec that codegen pastes into generated C,
// CMake and linker scripts (c_names.h). Run by load (validate_spec) and by
// `remora generate` before anything is emitted: a spec is input, not code.
#include <cctype>

#include "remora/spec/c_names.h"
#include "remora/spec/json_fragments.h"

namespace remora::spec {
namespace {

bool is_anonymous_record_spelling(const std::string& t) {
  return t.find("(unnamed ") != std::string::npos || t.find("(anonymous ") != std::string::npos;
}

class NameChecker {
 public:
  explicit NameChecker(SpecIssues& issues) : issues_(issues) {}

  void run(const Spec& spec) {
    check_api(spec.api);
    for (std::size_t i = 0; i < spec.types.size(); ++i)
      check_type_names("types[" + std::to_string(i) + "]", spec.types[i]);
    for (const Function& f : spec.functions) {
      const std::string& where = f.name.empty() ? std::string("function") : f.name;
      check_identifier(where, "function name", f.name);
      check_identifier(where, "symbol", f.symbol);
      // The guest is installed under it (CMake) and the server matches --lib to it.
      if (!f.library.empty() && !is_soname(f.library))
        error(where + ".library",
              "\"" + f.library + "\" is not a library file name (letters, digits and _ . + -)");
      check_type_spelling(where + ".return", "type", f.ret.type);
      check_annotation(where + ".return", f.ret.ann);
      for (std::size_t i = 0; i < f.params.size(); ++i) {
        const Param& p = f.params[i];
        std::string pw = where + "." + (p.name.empty() ? "params[" + std::to_string(i) + "]" : p.name);
        check_identifier(pw, "parameter name", p.name);
        check_type_spelling(pw, "type", p.type);
        check_annotation(pw, p.ann);
      }
    }
  }

 private:
  void error(const std::string& where, std::string message) { issues_.error(where, std::move(message)); }

  void check_annotation(const std::string& where, const Annotation& a) {
    check_type_spelling(where, "pointee", a.pointee);
    // A handle type is a typedef name (cl_mem) or a pointer to an API-private
    // struct (sqlite3 *): a type spelling, pasted only into comments and strings.
    check_type_spelling(where, "handle_type", a.handle_type);
    if (a.element) check_annotation(where + ".element", *a.element);
  }

  static bool plain(const std::string& s, std::string_view extra) {
    if (s.empty() || s.size() > 255) return false;
    for (char c : s)
      if (!std::isalnum(static_cast<unsigned char>(c)) && extra.find(c) == std::string_view::npos)
        return false;
    return true;
  }
  static bool is_soname(const std::string& s) {
    return plain(s, "_.+-") && s[0] != '.' && s[0] != '-';
  }

  // Names and spellings that codegen pastes into C, CMake and linker scripts.
  void check_api(const ApiInfo& a) {
    if (!a.name.empty() && !plain(a.name, " _.+-()"))
      error("api.name", "\"" + a.name + "\": use letters, digits, spaces and _ . + - ( ) only");
    auto soname = [&](const std::string& where, const std::string& s) {
      if (!is_soname(s))
        error(where, "\"" + s + "\" is not a library file name (letters, digits and _ . + -)");
    };
    if (!a.library.empty()) soname("api.library", a.library);
    for (std::size_t i = 0; i < a.sonames.size(); ++i)
      soname("api.sonames[" + std::to_string(i) + "]", a.sonames[i]);
    for (std::size_t i = 0; i < a.headers.size(); ++i)
      if (!plain(a.headers[i], "_.+-/"))
        error("api.headers[" + std::to_string(i) + "]",
              "\"" + a.headers[i] + "\" is not a header path (letters, digits and _ . + - /)");
    for (std::size_t i = 0; i < a.include_dirs.size(); ++i)
      for (char c : a.include_dirs[i])
        if (!std::isprint(static_cast<unsigned char>(c)) || c == ';' || c == '"' || c == '$') {
          error("api.include_dirs[" + std::to_string(i) + "]",
                "contains a control character or one of ; \" $");
          break;
        }
    for (std::size_t i = 0; i < a.defines.size(); ++i) check_define(i, a.defines[i]);
  }

  // NAME or NAME=VALUE configures the vendor header. VALUE is an integer or a
  // name, and NAME may not redefine the generated code's own names (remora*,
  // rm_*) or a keyword: a define cannot turn a bounds check into something else.
  void check_define(std::size_t i, const std::string& d) {
    std::string where = "api.defines[" + std::to_string(i) + "]";
    auto eq = d.find('=');
    std::string name = d.substr(0, eq), value = eq == std::string::npos ? "" : d.substr(eq + 1);
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!is_c_identifier(name) || lower.rfind("remora", 0) == 0 || lower.rfind("rm_", 0) == 0)
      return error(where, "\"" + d + "\": the macro name must be a C identifier outside remora*/rm_*");
    if (!value.empty() && !is_c_constant(value) &&
        !(value.size() > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X') &&
          value.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string::npos))
      error(where, "\"" + d + "\": the value must be an integer or a C identifier");
  }

  void check_type_spelling(const std::string& where, const char* what, const std::string& t) {
    if (t.empty()) return;
    if (auto why = c_type_spelling_problem(t))
      error(where, std::string(what) + " \"" + t + "\" is not a C type name (" + *why + ")");
  }

  void check_identifier(const std::string& where, const char* what, const std::string& n) {
    if (n.empty() || is_c_identifier(n)) return;
    if (is_keyword(n))  // `new`, `class`, `this`: fine in C, not in the C++ the stack is made of
      error(where, std::string(what) + " \"" + n +
                       "\" is a C++ keyword: the generated stack is C++, and its compiler cannot read the "
                       "header's declarations that use it as a name; rename it in a copy of the header "
                       "and infer from that");
    else
      error(where, std::string(what) + " \"" + n + "\" is not a C identifier");
  }

  void check_type_names(const std::string& where, const Type& t) {
    // "struct tag" names a type too.
    std::string name = t.name.rfind("struct ", 0) == 0 ? t.name.substr(7) : t.name;
    // An untagged struct used as a member's type has no C name: it is named
    // "<struct>.<member>" (each part an identifier), and reached through the member.
    if (t.kind == TypeKind::Struct && name.find('.') != std::string::npos) {
      for (std::size_t start = 0, dot = 0; dot != std::string::npos; start = dot + 1) {
        dot = name.find('.', start);
        if (!is_c_identifier(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start))) {
          error(where, "type name \"" + t.name + "\" is not a C identifier (nor <struct>.<member>)");
          break;
        }
      }
    } else {
      check_identifier(where, "type name", name);
    }
    if (!t.success.empty() && !is_c_constant(t.success))
      error(where, "success \"" + t.success + "\" is not a C constant (a name or an integer)");
    if (!t.error.empty() && !is_c_constant(t.error))
      error(where, "error \"" + t.error + "\" is not a C constant (a name or an integer)");
    for (const auto& c : t.constants) check_identifier(where, "constant", c.name);
    for (const auto& fl : t.fields) {
      check_identifier(where, "field", fl.name);
      // libclang spells an anonymous member record "struct (unnamed struct at f.h:1:2)":
      // it has no name codegen could paste, so only named spellings are checked.
      if (!is_anonymous_record_spelling(fl.type))
        check_type_spelling(where + "." + fl.name, "field type", fl.type);
    }
    check_type_spelling(where, "callback signature", t.signature);
  }

  SpecIssues& issues_;
};

}  // namespace

void validate_names_into(const Spec& spec, SpecIssues& issues) { NameChecker(issues).run(spec); }

std::vector<SpecIssue> validate_generated_names(const Spec& spec) {
  SpecIssues issues;
  validate_names_into(spec, issues);
  return std::move(issues.errors);
}

}  // namespace remora::spec
