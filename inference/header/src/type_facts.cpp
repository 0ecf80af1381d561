#include "type_facts.h"

#include "clang_util.h"

namespace remora::inference {

namespace {

// Strips one layer of sugar (typedef, elaborated "struct X", attributes, parens).
// Returns false when `type` has no sugar left.
bool desugar_once(CXType& type) {
  switch (type.kind) {
    case CXType_Typedef: {
      CXCursor decl = clang_getTypeDeclaration(type);
      CXType underlying = clang_getTypedefDeclUnderlyingType(decl);
      if (underlying.kind == CXType_Invalid) return false;
      // Keep the const of "const cl_event" on the underlying type.
      if (clang_isConstQualifiedType(type) && !clang_isConstQualifiedType(underlying)) {
        type = underlying;
        return true;
      }
      type = underlying;
      return true;
    }
    case CXType_Elaborated:
      type = clang_Type_getNamedType(type);
      return true;
    case CXType_Attributed:
      type = clang_Type_getModifiedType(type);
      return true;
    case CXType_Unexposed: {
      CXType canonical = clang_getCanonicalType(type);
      if (canonical.kind == CXType_Unexposed) return false;
      type = canonical;
      return true;
    }
    default:
      return false;
  }
}

TypeShape shape_of_canonical(CXType canonical) {
  switch (canonical.kind) {
    case CXType_Void: return TypeShape::Void;
    case CXType_Bool: return TypeShape::Bool;
    case CXType_Char_S:
    case CXType_Char_U: return TypeShape::Char;
    case CXType_SChar:
    case CXType_UChar:
    case CXType_Char16:
    case CXType_Char32:
    case CXType_WChar:
    case CXType_Short:
    case CXType_UShort:
    case CXType_Int:
    case CXType_UInt:
    case CXType_Long:
    case CXType_ULong:
    case CXType_LongLong:
    case CXType_ULongLong:
    case CXType_Int128:
    case CXType_UInt128: return TypeShape::Integer;
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
    case CXType_Half:
    case CXType_Float16:
    case CXType_Float128: return TypeShape::Floating;
    case CXType_Enum: return TypeShape::Enum;
    case CXType_Record: return TypeShape::Record;
    case CXType_Pointer:
    case CXType_LValueReference:
    case CXType_RValueReference: return TypeShape::Pointer;
    case CXType_ConstantArray:
    case CXType_IncompleteArray:
    case CXType_VariableArray:
    case CXType_DependentSizedArray: return TypeShape::Array;
    case CXType_FunctionProto:
    case CXType_FunctionNoProto: return TypeShape::Function;
    default: return TypeShape::Other;
  }
}

bool record_is_complete(CXType canonical) {
  CXCursor decl = clang_getTypeDeclaration(canonical);
  CXCursor definition = clang_getCursorDefinition(decl);
  return !clang_Cursor_isNull(definition);
}

TypeInfo build(CXType type, int depth) {
  TypeInfo info;
  info.spelling = clang_util::take(clang_getTypeSpelling(type));
  info.is_const = clang_isConstQualifiedType(type);
  CXType canonical = clang_getCanonicalType(type);
  // A C99 array parameter with an extent of other parameters (`const uint8_t
  // buf[(input_size)]`, brotli): the extent is no part of a type name, and the parameter
  // is the pointer it decays to; spelled as an array of unknown length.
  if (type.kind == CXType_VariableArray || canonical.kind == CXType_VariableArray)
    info.spelling = clang_util::take(clang_getTypeSpelling(clang_getArrayElementType(type))) + "[]";
  info.shape = shape_of_canonical(canonical);
  info.size_bytes = clang_Type_getSizeOf(canonical);
  if (info.size_bytes < 0) info.size_bytes = -1;

  // Find the first typedef name and the first non-sugar layer.
  CXType bare = type;
  for (int guard = 0; guard < 64; ++guard) {
    if (bare.kind == CXType_Typedef && info.typedef_name.empty())
      info.typedef_name = clang_util::take(clang_getTypedefName(bare));
    if (!desugar_once(bare)) break;
  }
  if (depth > 8) return info;  // pathological nesting: stop describing

  switch (info.shape) {
    case TypeShape::Pointer: {
      CXType pointee = clang_getPointeeType(bare);
      if (pointee.kind == CXType_Invalid) pointee = clang_getPointeeType(canonical);
      info.pointee = std::make_shared<TypeInfo>(build(pointee, depth + 1));
      if (info.pointee->shape == TypeShape::Function) {
        info.function_signature = info.pointee->spelling;
        info.function_variadic = info.pointee->function_variadic;
      }
      // A typedef of a pointer to a struct the header never defines is an
      // opaque handle (cl_mem, cudaStream_t).
      if (!info.typedef_name.empty() && info.pointee->shape == TypeShape::Record &&
          !info.pointee->record_complete)
        info.is_handle = true;
      break;
    }
    case TypeShape::Array: {
      CXType element = clang_getArrayElementType(bare);
      if (element.kind == CXType_Invalid) element = clang_getArrayElementType(canonical);
      info.pointee = std::make_shared<TypeInfo>(build(element, depth + 1));
      info.array_size = clang_getArraySize(bare);
      if (info.array_size < 0) info.array_size = clang_getArraySize(canonical);
      break;
    }
    case TypeShape::Record:
      info.record_complete = record_is_complete(canonical);
      // One name for the struct however it is spelled (typedef, tag, const).
      info.record_name = clang_util::take(clang_getTypeSpelling(clang_getCanonicalType(
          clang_getCursorType(clang_getTypeDeclaration(canonical)))));
      // A struct without a tag, named by a typedef (`typedef struct { ... } png_image`): clang
      // prints the elaborated form "struct png_image", which C has no tag for. Its C spelling
      // is the canonical one: the typedef name with the qualifiers.
      if (clang_util::spelling(clang_getTypeDeclaration(canonical)).empty())
        info.spelling = clang_util::take(clang_getTypeSpelling(canonical));
      break;
    case TypeShape::Function:
      info.function_variadic = clang_isFunctionTypeVariadic(canonical) != 0;
      break;
    default:
      break;
  }
  return info;
}

}  // namespace

TypeInfo type_info_of(CXType type) { return build(type, 0); }

}  // namespace remora::inference
