// A typed model of C types, filled from libclang by inference and read by
// codegen and the tracer, so that no stage has to re-parse C spellings.
//
// One CType is one layer of a type, outermost first:
//   z_streamp            typedef "z_streamp" -> pointer -> typedef "z_stream" -> record "z_stream_s"
//   const char *const *  pointer -> pointer (const) -> int "char" (const)
//   float[4]             array (extent 4) of float
//   void (*)(const char *, void *)   pointer -> function(returns void; params ...)
// Records and enums are referenced by name (their definition, with fields and
// constants, lives once in Spec::types); everything else is inline, so a
// CType is self-contained and finite.
//
// How to use it (codegen, tracer):
//   const CType& bare = strip_typedefs(param.ctype);          // what the value really is
//   if (is_pointer(bare)) { const CType& to = strip_typedefs(*bare.to); ... }
//   if (to.kind == CTypeKind::Record) { const Type* s = spec.find_type(to.name); s->fields ... }
//   declare(param.ctype, "name")  -> "z_streamp name" / "void (*name)(const char *, void *)"
// An empty CType (kind Unknown) means "not recorded" (specs written before the
// model existed); fall back to the `type` spelling then.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remora/spec/box.h"

namespace remora::spec {

enum class CTypeKind {
  Unknown,   // not recorded
  Void,
  Bool,
  Int,       // every integer type, char included (`name` says which: "char", "unsigned int")
  Float,     // float, double, long double, half
  Enum,      // `name` is the enum tag (or the typedef naming an anonymous enum)
  Record,    // struct or union; `name` is the tag, `record` says which
  Pointer,   // `to` is the pointee
  Array,     // `to` is the element; `extent` when the size is a constant
  Function,  // `returns`, `params`, `variadic`
  Typedef,   // `name` is the typedef, `to` what it stands for
  Other,     // vector types, _Atomic, C++ templates ... (`name` is the spelling)
};

std::string_view to_string(CTypeKind);
std::optional<CTypeKind> ctype_kind_from_string(std::string_view);

struct CType {
  CTypeKind kind = CTypeKind::Unknown;
  std::string name;            // builtin spelling, typedef name, record/enum tag
  bool is_const = false;       // qualifiers of this layer
  bool is_volatile = false;
  std::string record;          // Record: "struct" | "union"
  bool complete = true;        // Record/Enum: false when the header never defines it (opaque)
  // Record/Enum without a tag, named by a typedef (`typedef struct { ... } png_image`):
  // `name` is the typedef, and C spells the type without the keyword (no `struct png_image`).
  bool tagless = false;
  Box<CType> to;               // Pointer: pointee; Array: element; Typedef: target
  std::optional<long long> extent;  // Array: number of elements ("" for `T x[]`)
  Box<CType> returns;          // Function
  std::vector<CType> params;   // Function: parameter types, in order
  bool variadic = false;       // Function
  long long size = -1;         // sizeof in bytes, -1 when unknown (incomplete, function)
  long long align = -1;        // alignof in bytes, -1 when unknown

  bool empty() const { return kind == CTypeKind::Unknown; }
  bool operator==(const CType&) const = default;
};

// Looks through typedef layers. Qualifiers written on a typedef use
// (`const cl_event`) are carried onto the returned layer's copy.
CType strip_typedefs(const CType& type);
// The same without copying when there is nothing to carry: the first non-typedef layer.
const CType& bare(const CType& type);

bool is_pointer(const CType& type);           // after typedefs: Pointer or Array
// A 1-byte integer (char, signed char, unsigned char and their typedefs: uint8_t, Bytef),
// after typedefs. Inner layers carry no size; the builtin's canonical name says it.
bool is_byte_integer(const CType& type);
// A boolean: _Bool, or an integer typedef whose name says so (ze_bool_t, jboolean, VkBool32).
bool is_named_boolean(const CType& type);
bool is_function_pointer(const CType& type);  // pointer to function (after typedefs)
// The pointee / element after the outer typedefs (nullptr when not a pointer).
const CType* pointee_of(const CType& type);
// char, signed char or unsigned char (what a string is made of).
bool is_char(const CType& type);
bool is_integer_like(const CType& type);      // Int, Bool or Enum after typedefs
// A typedef of a pointer to a struct the header never defines (cl_mem, VkBuffer):
// an object reference owned by the library.
bool is_opaque_handle(const CType& type);
// Must a reviewer or a rule say how this member/parameter is passed? True for
// pointers and for arrays of pointers or handles; false for values and arrays of values.
bool needs_marshalling(const CType& type);

// C declaration of `name` with this type: "const char *const *names",
// "float blend[4]", "void (*notify)(const char *, void *)". An empty name
// gives the abstract type ("const char *").
std::string declare(const CType& type, std::string_view name = "");

// Reads as English, for reports and `remora explain`: "pointer to const char".
std::string describe(const CType& type);

}  // namespace remora::spec
