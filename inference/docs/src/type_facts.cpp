// C type facts the extractors need (is it a pointer, an integer, a handle?).
#include "remora/inference/docs/claims.h"
#include "remora/inference/docs/text_util.h"
#include "remora/spec/ctype.h"

namespace remora::inference::docs {
namespace {

bool is_builtin_integer(std::string_view t) {
  static constexpr std::string_view kIntegers[] = {
      "char", "short", "int", "long", "unsigned", "signed", "size_t", "ssize_t", "ptrdiff_t", "int8_t",
      "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "intptr_t",
      "uintptr_t", "bool", "_Bool", "unsigned int", "unsigned long", "long long", "unsigned long long",
      "unsigned short", "unsigned char", "signed char"};
  for (auto i : kIntegers)
    if (t == i) return true;
  return false;
}

}  // namespace

std::string base_type_name(std::string_view spelling) {
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (word != "const" && word != "volatile" && word != "struct" && word != "enum" && word != "restrict" &&
        word != "__restrict") {
      if (!out.empty()) out += ' ';
      out += word;
    }
    word.clear();
  };
  for (char c : spelling) {
    if (is_ident_char(c)) word += c;
    else flush();
    if (c == '(') break;  // function pointer: keep the return type only
  }
  flush();
  return out;
}

const ParamFacts* FunctionFacts::find(std::string_view n) const {
  for (const auto& p : params)
    if (p.name == n) return &p;
  return nullptr;
}

TypeOracle::TypeOracle(const spec::Spec& spec, const std::set<std::string>& registry_handles)
    : spec_(spec), registry_handles_(registry_handles) {}

bool TypeOracle::is_handle_type(std::string_view base) const {
  if (registry_handles_.count(std::string(base))) return true;
  const spec::Type* t = spec_.find_type(base);
  return t && t->kind == spec::TypeKind::Handle;
}

bool TypeOracle::holds_pointers(std::string_view base) const {
  std::string t(base);
  for (int depth = 0; depth < 8; ++depth) {  // follow typedef chains, bounded against cycles
    if (t == "intptr_t" || t == "uintptr_t") return true;
    const spec::Type* type = spec_.find_type(t);
    if (!type || type->kind != spec::TypeKind::Alias) return false;
    std::string next = base_type_name(type->underlying);
    if (next.empty() || next == t) return false;
    t = next;
  }
  return false;
}

bool TypeOracle::is_integer_type(std::string_view base) const {
  std::string t(base);
  for (int depth = 0; depth < 8; ++depth) {  // follow typedef chains, bounded against cycles
    if (is_builtin_integer(t)) return true;
    const spec::Type* type = spec_.find_type(t);
    if (!type) break;
    if (type->kind == spec::TypeKind::Enum || type->kind == spec::TypeKind::Status) return true;
    if (type->kind != spec::TypeKind::Alias) return false;
    std::string next = base_type_name(type->underlying);
    if (next.empty() || next == t) break;
    t = next;
  }
  // Unknown typedef: judge by its spelling (cl_uint, CUdeviceptr_size, GLsizei...).
  std::string lower = to_lower(t);
  if (lower.find("float") != std::string::npos || lower.find("double") != std::string::npos ||
      lower.find("half") != std::string::npos)
    return false;
  return lower.find("int") != std::string::npos || lower.find("size") != std::string::npos ||
         lower.find("long") != std::string::npos || lower.find("short") != std::string::npos ||
         lower.find("bool") != std::string::npos || lower.find("enum") != std::string::npos ||
         lower.find("bitfield") != std::string::npos || lower.find("flags") != std::string::npos;
}

ParamFacts TypeOracle::describe_param(const spec::Param& p, int index) const {
  ParamFacts f;
  f.name = p.name;
  f.type = p.type;
  f.index = index;
  std::string base = base_type_name(p.type);
  std::size_t stars = 0;
  for (char c : p.type) stars += (c == '*' || c == '[');
  bool function_pointer = p.type.find('(') != std::string::npos || p.ann.kind == spec::Kind::Callback;
  if (const spec::Type* t = spec_.find_type(base); t && t->kind == spec::TypeKind::Callback && stars == 0)
    function_pointer = true;
  f.callback = function_pointer;
  if (function_pointer) return f;
  f.pointer = stars > 0;
  f.pointer_to_pointer = stars > 1;
  f.const_pointee = f.pointer && p.type.find("const") != std::string::npos &&
                    p.type.find("const") < p.type.find_first_of("*[");
  f.void_pointer = f.pointer && stars == 1 && base == "void";
  f.char_pointer = f.pointer && stars == 1 && base == "char";
  bool handle_base = is_handle_type(base) || (!f.pointer && p.ann.kind == spec::Kind::Handle) ||
                     (!p.ann.handle_type.empty() && p.ann.handle_type == base);
  // A struct-pointer handle (`sqlite3_stmt *pStmt`, the header's kind handle): the pointer
  // is the handle, passed by value; `sqlite3_stmt **ppStmt` points to one.
  const bool struct_pointer_handle = !p.ann.handle_type.empty() && p.ann.handle_type == base &&
                                     !is_handle_type(base) && stars >= 1;
  const std::size_t handle_stars = struct_pointer_handle ? 1 : 0;
  f.handle = handle_base && stars == handle_stars;
  f.pointee_handle = handle_base && stars == handle_stars + 1;
  bool integer_base = !handle_base && base != "void" && is_integer_type(base);
  f.integer = !f.pointer && integer_base;
  if (f.integer) {
    const spec::CType& bare = spec::bare(p.ctype);
    f.signed_integer = bare.kind == spec::CTypeKind::Int && !bare.name.starts_with("unsigned") &&
                       bare.name != "char" && bare.name != "_Bool";
  }
  f.pointee_integer = stars == 1 && integer_base && base != "char";
  for (const auto& e : p.evidence)
    if (e.source == spec::EvidenceSource::Header && e.says.size &&
        e.says.size_unit != spec::SizeUnit::Bytes) {
      f.header_count = *e.says.size;
      break;
    }
  return f;
}

FunctionFacts TypeOracle::describe(const spec::Function& fn) const {
  FunctionFacts f;
  f.name = fn.name;
  f.return_type = fn.ret.type;
  std::string ret_base = base_type_name(fn.ret.type);
  bool ret_pointer = fn.ret.type.find('*') != std::string::npos;
  f.returns_handle = (!ret_pointer && is_handle_type(ret_base)) || fn.ret.ann.kind == spec::Kind::Handle;
  const spec::CType* ret_pointee = spec::pointee_of(fn.ret.ctype);
  f.returns_char_pointer = ret_pointee && spec::is_char(*ret_pointee);
  int index = 0;
  for (const auto& p : fn.params) f.params.push_back(describe_param(p, index++));
  return f;
}

}  // namespace remora::inference::docs
