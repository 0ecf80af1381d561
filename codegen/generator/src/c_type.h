// A small typed view of the C types a spec spells: the spelling is parsed once
// into a tree (named type, pointer, array, function) and typedefs are resolved
// through the spec's types, so `z_streamp` is seen as a pointer to the struct
// z_stream_s, `PFN_vkVoidFunction` as a function pointer and `const T[2]` as an
// array. The planner asks this model, never the raw spelling.
//
// Why a parser still exists beside spec::CType (the typed model libclang fills):
// the planner must also plan specs that carry no ctype -- hand-written and reviewed
// specs (tests/data/toyapi/toy.spec.json, JSON written before the model), and
// annotation fields that are spellings by definition (`pointee`, `handle_type`,
// callback `signature`, types[].underlying). Struct members are read from their
// ctype (struct_plan.cpp); one parse per spelling here serves every spec alike, and
// the spec loader has already checked each spelling is a C type name (c_names.h).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::codegen {

struct CType;
using CTypePtr = std::shared_ptr<const CType>;

struct CType {
  enum class Kind { Named, Pointer, Array, Function };
  Kind kind = Kind::Named;
  bool is_const = false;
  std::string name;       // Named: "unsigned int", "z_stream_s" (struct/enum/union keywords dropped)
  std::string tag;        // Named: "struct", "union", "enum" when spelled with one
  CTypePtr inner;         // Pointer: pointee; Array: element; Function: return type
  long long extent = -1;  // Array: element count (-1 unknown)
  std::vector<CTypePtr> args;  // Function: parameter types
  bool variadic = false;       // Function: ends in `...`

  bool is_void() const { return kind == Kind::Named && name == "void"; }
  // Pointer or array (a parameter declared as an array is a pointer).
  bool is_pointer_like() const { return kind == Kind::Pointer || kind == Kind::Array; }
};

// Parses a C type spelling as clang prints it ("const char *const *", "unsigned char[7]",
// "void (*)(const char *, void *)", "void (int, void *)"). Never fails: what it cannot
// read becomes a Named type holding the spelling.
CTypePtr parse_c_type(const std::string& spelling);
// C spelling of a parsed type (canonical spacing; used in messages and generated code).
std::string spell(const CType& t);

// The spec's typedefs, handle and struct types, over parsed C types.
class TypeModel {
 public:
  explicit TypeModel(const spec::Spec& spec);

  // The type with typedefs expanded at the outermost level until it is a pointer,
  // array, function, handle, struct or builtin. Handle types stay named (they are identities).
  CTypePtr resolve(const CTypePtr& t) const;
  CTypePtr resolve(const std::string& spelling) const { return resolve(parse_c_type(spelling)); }

  const spec::Type* handle(const CType& t) const;       // t names a handle type (directly or by alias)
  const spec::Type* struct_type(const CType& t) const;  // t is a struct with known fields (after aliases)
  bool is_pointer(const std::string& spelling) const;   // pointer, array or function pointer after typedefs
  int pointer_depth(const std::string& spelling) const; // levels of pointer/array before a non-pointer
  // One pointer level removed, resolved: "z_streamp" -> z_stream_s; nullptr if not a pointer.
  CTypePtr pointee(const std::string& spelling) const;
  // A function pointer type (directly, or through typedefs): its function type, else nullptr.
  CTypePtr function_pointer(const std::string& spelling) const;
  bool is_char_pointer(const CTypePtr& t) const;  // char * / const char * after typedefs

  // Why a value of type t cannot be copied as flat bytes ("" = it can): a struct
  // (nested structs and arrays included) holding a pointer or function pointer field
  // that is not a handle ("field VkInstanceCreateInfo.pNext (const void *) is a pointer"),
  // or a struct/union whose fields the spec does not list (it may hold pointers).
  std::string flat_copy_blocker(const CTypePtr& t) const;

  // The first spec type along the typedef chain of `spelling` (itself, then what each
  // typedef stands for, stopping at a handle) that `accept` takes; nullptr if none.
  const spec::Type* along_chain(const std::string& spelling,
                                const std::function<bool(const spec::Type&)>& accept) const;
  // The first `error` the spec gives along the typedef chain of t ("" if none).
  std::string error_value(const std::string& spelling) const;

 private:
  std::string flat_copy_blocker(const CTypePtr& t, std::set<std::string>& seen) const;
  const spec::Type* find(const std::string& name) const;
  const spec::Spec& spec_;
};

}  // namespace remora::codegen
