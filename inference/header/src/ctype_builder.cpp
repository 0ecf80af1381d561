// Builds spec::CType from libclang. Sugar that C programs cannot observe
// (elaborated `struct X`, attributes, parentheses) is looked through, carrying
// its qualifiers; typedefs stay, so a reader sees `z_streamp` as the API wrote it.
#include "ctype_builder.h"

#include "clang_util.h"

namespace remora::inference {

namespace {

constexpr int kMaxDepth = 24;

bool unnamed(const std::string& name) {
  return name.empty() || name.find("(unnamed") != std::string::npos ||
         name.find("(anonymous") != std::string::npos;
}

// Elaborated / attributed / unexposed layers: look through, keep qualifiers.
CXType look_through_sugar(CXType type, bool& is_const, bool& is_volatile) {
  for (int guard = 0; guard < 16; ++guard) {
    is_const = is_const || clang_isConstQualifiedType(type);
    is_volatile = is_volatile || clang_isVolatileQualifiedType(type);
    CXType next = type;
    switch (type.kind) {
      case CXType_Elaborated:
        next = clang_Type_getNamedType(type);
        break;
      case CXType_Attributed:
        next = clang_Type_getModifiedType(type);
        break;
      case CXType_Unexposed: {
        CXType canonical = clang_getCanonicalType(type);
        if (canonical.kind != CXType_Unexposed) next = canonical;
        break;
      }
      default:
        break;
    }
    if (next.kind == CXType_Invalid || (next.kind == type.kind && clang_equalTypes(next, type))) return type;
    type = next;
  }
  return type;
}

spec::CType build(CXType type, int depth);

spec::Box<spec::CType> boxed(CXType type, int depth) { return spec::Box<spec::CType>(build(type, depth + 1)); }

spec::CType build(CXType type, int depth) {
  spec::CType t;
  if (depth > kMaxDepth) {
    t.kind = spec::CTypeKind::Other;
    t.name = clang_util::take(clang_getTypeSpelling(type));
    return t;
  }
  type = look_through_sugar(type, t.is_const, t.is_volatile);
  switch (type.kind) {
    case CXType_Typedef: {
      t.kind = spec::CTypeKind::Typedef;
      t.name = clang_util::take(clang_getTypedefName(type));
      CXType target = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(type));
      if (target.kind == CXType_Invalid) target = clang_getCanonicalType(type);
      t.to = boxed(target, depth);
      break;
    }
    case CXType_Pointer:
    case CXType_BlockPointer:
    case CXType_LValueReference:
    case CXType_RValueReference:
      t.kind = spec::CTypeKind::Pointer;
      t.to = boxed(clang_getPointeeType(type), depth);
      break;
    case CXType_ConstantArray:
      t.kind = spec::CTypeKind::Array;
      t.extent = clang_getArraySize(type);
      t.to = boxed(clang_getArrayElementType(type), depth);
      break;
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_DependentSizedArray:
      t.kind = spec::CTypeKind::Array;
      t.to = boxed(clang_getArrayElementType(type), depth);
      break;
    case CXType_FunctionProto:
    case CXType_FunctionNoProto: {
      t.kind = spec::CTypeKind::Function;
      t.returns = boxed(clang_getResultType(type), depth);
      int count = clang_getNumArgTypes(type);
      for (int i = 0; i < count; ++i) t.params.push_back(build(clang_getArgType(type, static_cast<unsigned>(i)), depth + 1));
      t.variadic = clang_isFunctionTypeVariadic(type) != 0;
      break;
    }
    case CXType_Record:
    case CXType_Enum: {
      CXCursor decl = clang_getTypeDeclaration(type);
      bool is_enum = type.kind == CXType_Enum;
      t.kind = is_enum ? spec::CTypeKind::Enum : spec::CTypeKind::Record;
      if (!is_enum) t.record = clang_getCursorKind(decl) == CXCursor_UnionDecl ? "union" : "struct";
      t.name = record_name_of(decl);
      // No tag of its own: named by its typedef, which C spells without the keyword.
      t.tagless = !t.name.empty() && unnamed(clang_util::spelling(decl));
      if (t.name.empty()) t.name = clang_util::take(clang_getTypeSpelling(clang_getCanonicalType(type)));
      t.complete = !clang_Cursor_isNull(clang_getCursorDefinition(decl));
      break;
    }
    case CXType_Void:
      t.kind = spec::CTypeKind::Void;
      break;
    case CXType_Bool:
      t.kind = spec::CTypeKind::Bool;
      t.name = "_Bool";
      break;
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
    case CXType_Half:
    case CXType_Float16:
    case CXType_Float128:
      t.kind = spec::CTypeKind::Float;
      t.name = clang_util::take(clang_getTypeSpelling(clang_getCanonicalType(type)));
      break;
    default:
      if (type.kind >= CXType_FirstBuiltin && type.kind <= CXType_LastBuiltin) {
        t.kind = spec::CTypeKind::Int;
      } else {
        t.kind = spec::CTypeKind::Other;
      }
      t.name = clang_util::take(clang_getTypeSpelling(clang_getCanonicalType(type)));
      // The canonical spelling carries the qualifiers already read above.
      for (const char* q : {"const ", "volatile "})
        while (t.name.rfind(q, 0) == 0) t.name.erase(0, std::string(q).size());
      break;
  }
  if (depth == 0) {
    long long size = clang_Type_getSizeOf(type);
    long long align = clang_Type_getAlignOf(type);
    if (size >= 0 && t.kind != spec::CTypeKind::Function && t.kind != spec::CTypeKind::Void) t.size = size;
    if (align > 0 && t.kind != spec::CTypeKind::Function && t.kind != spec::CTypeKind::Void) t.align = align;
  }
  return t;
}

}  // namespace

std::string record_name_of(CXCursor declaration) {
  std::string name = clang_util::spelling(declaration);
  if (!unnamed(name)) return name;
  // typedef struct { ... } Foo: clang names the record by its typedef.
  std::string spelled = clang_util::take(clang_getTypeSpelling(clang_getCursorType(declaration)));
  for (const char* keyword : {"struct ", "union ", "enum "})
    if (spelled.rfind(keyword, 0) == 0) spelled.erase(0, std::string(keyword).size());
  return unnamed(spelled) ? "" : spelled;
}

spec::CType ctype_of(CXType type) { return build(type, 0); }

}  // namespace remora::inference
