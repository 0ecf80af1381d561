// Queries and printers over the typed C model (ctype.h).
#include "remora/spec/ctype.h"

#include <array>
#include <cctype>
#include <utility>

namespace remora::spec {

namespace {

constexpr std::array<std::pair<CTypeKind, std::string_view>, 12> kKinds{{
    {CTypeKind::Unknown, "unknown"},
    {CTypeKind::Void, "void"},
    {CTypeKind::Bool, "bool"},
    {CTypeKind::Int, "int"},
    {CTypeKind::Float, "float"},
    {CTypeKind::Enum, "enum"},
    {CTypeKind::Record, "record"},
    {CTypeKind::Pointer, "pointer"},
    {CTypeKind::Array, "array"},
    {CTypeKind::Function, "function"},
    {CTypeKind::Typedef, "typedef"},
    {CTypeKind::Other, "other"},
}};

std::string qualifiers(const CType& t) {
  std::string out;
  if (t.is_const) out += "const ";
  if (t.is_volatile) out += "volatile ";
  return out;
}

// The type specifier of a non-derived layer ("struct z_stream_s", "unsigned int").
std::string specifier(const CType& t) {
  switch (t.kind) {
    case CTypeKind::Void:
      return "void";
    case CTypeKind::Record:
      return t.record.empty() || t.tagless ? t.name : t.record + " " + t.name;
    case CTypeKind::Enum:
      return t.tagless ? t.name : "enum " + t.name;
    case CTypeKind::Unknown:
      return t.name.empty() ? "int" : t.name;
    default:
      return t.name;
  }
}

// Classic inside-out declarator printing: `decl` is what has been built so far
// around the name, and each derived layer wraps it.
std::string declare_into(const CType& t, std::string decl, int depth) {
  if (depth > 64) return "/* type nested too deeply */ " + decl;
  switch (t.kind) {
    case CTypeKind::Pointer: {
      std::string inner = "*";
      if (t.is_const) inner += "const";
      if (t.is_volatile) inner += inner.size() > 1 ? " volatile" : "volatile";
      if (inner.size() > 1 && !decl.empty()) inner += " ";
      inner += decl;
      if (t.to && (t.to->kind == CTypeKind::Array || t.to->kind == CTypeKind::Function)) inner = "(" + inner + ")";
      return t.to ? declare_into(*t.to, inner, depth + 1) : "void " + inner;
    }
    case CTypeKind::Array: {
      std::string inner = decl + "[" + (t.extent ? std::to_string(*t.extent) : "") + "]";
      return t.to ? declare_into(*t.to, inner, depth + 1) : "int " + inner;
    }
    case CTypeKind::Function: {
      std::string list;
      for (const auto& p : t.params) list += (list.empty() ? "" : ", ") + declare_into(p, "", depth + 1);
      if (t.variadic) list += list.empty() ? "..." : ", ...";
      if (list.empty()) list = "void";
      std::string inner = decl + "(" + list + ")";
      return t.returns ? declare_into(*t.returns, inner, depth + 1) : "void " + inner;
    }
    default: {
      std::string base = qualifiers(t) + specifier(t);
      if (decl.empty()) return base;
      // "char *p", "char name[4]": no space before a declarator that is only the name's suffix.
      return base + " " + decl;
    }
  }
}

std::string describe_layer(const CType& t, int depth) {
  if (depth > 64) return "...";
  std::string q = qualifiers(t);
  switch (t.kind) {
    case CTypeKind::Pointer:
      return q + "pointer to " + (t.to ? describe_layer(*t.to, depth + 1) : "?");
    case CTypeKind::Array:
      return q + "array[" + (t.extent ? std::to_string(*t.extent) : "") + "] of " +
             (t.to ? describe_layer(*t.to, depth + 1) : "?");
    case CTypeKind::Function: {
      std::string out = "function(";
      for (std::size_t i = 0; i < t.params.size(); ++i)
        out += (i ? ", " : "") + declare_into(t.params[i], "", depth + 1);
      if (t.variadic) out += t.params.empty() ? "..." : ", ...";
      return out + ") returning " + (t.returns ? declare_into(*t.returns, "", depth + 1) : "void");
    }
    case CTypeKind::Typedef:
      return q + t.name + " (= " + (t.to ? describe_layer(*t.to, depth + 1) : "?") + ")";
    case CTypeKind::Record:
      return q + specifier(t) + (t.complete ? "" : " (incomplete)");
    case CTypeKind::Enum:
      return q + specifier(t) + (t.complete ? "" : " (incomplete)");
    default:
      return q + specifier(t);
  }
}

}  // namespace

std::string_view to_string(CTypeKind k) {
  for (const auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "?";
}

std::optional<CTypeKind> ctype_kind_from_string(std::string_view s) {
  for (const auto& [kind, name] : kKinds)
    if (name == s) return kind;
  return std::nullopt;
}

const CType& bare(const CType& type) {
  const CType* t = &type;
  for (int guard = 0; guard < 64 && t->kind == CTypeKind::Typedef && t->to; ++guard) t = t->to.get();
  return *t;
}

CType strip_typedefs(const CType& type) {
  bool is_const = false, is_volatile = false;
  const CType* t = &type;
  for (int guard = 0; guard < 64 && t->kind == CTypeKind::Typedef && t->to; ++guard) {
    is_const = is_const || t->is_const;
    is_volatile = is_volatile || t->is_volatile;
    t = t->to.get();
  }
  CType out = *t;
  out.is_const = out.is_const || is_const;
  out.is_volatile = out.is_volatile || is_volatile;
  return out;
}

bool is_pointer(const CType& type) {
  const CType& b = bare(type);
  return b.kind == CTypeKind::Pointer || b.kind == CTypeKind::Array;
}

bool is_byte_integer(const CType& type) {
  const CType& b = bare(type);
  return b.kind == CTypeKind::Int &&
         (b.size == 1 || b.name == "char" || b.name == "signed char" || b.name == "unsigned char");
}

bool is_named_boolean(const CType& type) {
  for (const CType* t = &type; t && t->kind == CTypeKind::Typedef; t = t->to.get()) {
    std::string lower;
    for (char c : t->name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("bool") != std::string::npos) return true;
  }
  return bare(type).kind == CTypeKind::Bool;
}

const CType* pointee_of(const CType& type) {
  const CType& b = bare(type);
  if ((b.kind != CTypeKind::Pointer && b.kind != CTypeKind::Array) || !b.to) return nullptr;
  return b.to.get();
}

bool is_function_pointer(const CType& type) {
  const CType* p = pointee_of(type);
  return p && bare(*p).kind == CTypeKind::Function && bare(type).kind == CTypeKind::Pointer;
}

bool is_char(const CType& type) {
  const CType& b = bare(type);
  return b.kind == CTypeKind::Int && (b.name == "char" || b.name == "signed char" || b.name == "unsigned char");
}

bool is_integer_like(const CType& type) {
  CTypeKind k = bare(type).kind;
  return k == CTypeKind::Int || k == CTypeKind::Bool || k == CTypeKind::Enum;
}

bool is_opaque_handle(const CType& type) {
  for (const CType* t = &type; t && t->kind == CTypeKind::Typedef; t = t->to.get()) {
    const CType& b = bare(*t);
    if (b.kind != CTypeKind::Pointer || !b.to) return false;
    const CType& to = bare(*b.to);
    return to.kind == CTypeKind::Record && !to.complete;
  }
  return false;
}

bool needs_marshalling(const CType& type) {
  const CType& b = bare(type);
  if (b.kind == CTypeKind::Pointer) return true;
  if (b.kind != CTypeKind::Array || !b.to) return false;
  return is_opaque_handle(*b.to) || needs_marshalling(*b.to);
}

std::string declare(const CType& type, std::string_view name) { return declare_into(type, std::string(name), 0); }

std::string describe(const CType& type) { return describe_layer(type, 0); }

}  // namespace remora::spec
