// Deep copy of structs that hold pointers: how each member of such a struct
// travels, planned from the spec's struct-field annotations (types[].fields[])
// and typed C model (ctype), never from spellings. The guest and server emitters
// (emit_struct.cpp) both read this plan, so the two sides walk the same tree in
// the same order.
//
// A struct travels as its bytes (sizeof) followed by its *tail*: per member that
// needs it, in member order, what the member points to (see codegen/README.md).
// The server rebuilds the tree in the call's scratch memory, pointing every
// pointer member at its own copy, and validates each count against the struct's
// own count members (as received) and each handle against the guest's set.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "remora/spec/model.h"

namespace remora::codegen {

enum class FieldWire {
  Handle,       // handle member: its bytes travel with the struct; the server checks it
  HandleArray,  // fixed array of handles inside the struct (extent elements)
  Pass,         // user data / opaque pointer: its bits travel, never dereferenced
  NullOnly,     // a nullable callback that cannot be forwarded: NULL travels, non-NULL fails the call
  Callback,     // function pointer: its bits travel; the server installs a trampoline and
                // puts a record {guest fn, guest user data} in the paired user-data member
  String,       // NUL-terminated string (in)
  Strings,      // array of `count` strings (in)
  Handles,      // array of `count` handles (in)
  Raw,          // array of `count` plain elements (esize bytes each)
  Structs,      // array of `count` structs that need a deep copy themselves
  Nested,       // struct by value (extent > 0: a fixed array of them) that needs a deep copy
  Chain,        // extension chain: tagged structs found by their tag value
};

struct FieldCopy {
  std::string name;  // member name (C identifier)
  FieldWire wire = FieldWire::Pass;
  spec::Direction direction = spec::Direction::In;
  std::string count;     // Strings/Handles/Raw/Structs: elements, C over `rm_s->member`
  std::string esize;     // Raw: bytes per element (C)
  int target = -1;       // Structs/Nested: index into StructPlan::structs
  long long extent = 0;  // HandleArray, Nested: fixed array extent (0: a single value)
  std::string reason;    // NullOnly: why a non-NULL value cannot be copied
  int handle_type = 0;   // Handle/HandleArray: handle type index (registering written ones)
  int signature = -1;    // Callback: index into StackPlan::callbacks
  std::string userdata;  // Callback: the user-data member that carries the record
  // Arrays sized terminated(member, MEMBER, END): the C++ predicate of the element that
  // ends the array; the server checks one arrived among the elements (else "").
  std::string ends;
  bool out() const { return direction != spec::Direction::In; }
};

struct StructCopy {
  const spec::Type* type = nullptr;
  std::string c_name;  // how generated code spells the type
  std::vector<FieldCopy> fields;
  std::string failed;  // non-empty: copying it fails at run time with this reason
  std::string
      tag_field;  // the tag member (reads a chain member's tag); chain members: their value of it
  std::string tag_value;
  bool has_out = false;  // some member (here or below) is written by the library
};

// The structs a stack deep-copies. `plan` is called per struct type a parameter
// points to; chain members are added by `finish` (every tagged struct in the spec).
class StructPlan {
 public:
  // callback_signature: the stack's callback signature index of a function-pointer
  // member (-1 with `why` when it cannot be forwarded), shared with parameter callbacks.
  using CallbackResolver = std::function<int(const spec::StructField&, std::string& why)>;
  StructPlan(const spec::Spec& spec, std::function<int(const std::string&)> handle_index,
             CallbackResolver callback_signature = {});

  // Does a value of this struct need more than its bytes (pointers, handles to check)?
  bool needs_copy(const spec::Type& type);
  // The codec index for `type`, or -1 with `why` (naming the member) when it cannot be copied.
  int plan(const spec::Type& type, std::string& why);
  // After every function: codecs for the members of extension chains, when any chain is used.
  void finish();

  std::vector<StructCopy> structs;
  std::vector<int> chain_members;  // indexes of the tagged structs a chain may hold
  bool uses_chains = false;

 private:
  std::string plan_field(const spec::Type& owner, const spec::StructField& f, FieldCopy& fc);
  void pair_user_data(const spec::Type& owner, std::vector<FieldCopy>& fields);
  std::string size_c(const spec::Type& owner, const spec::StructField& f, std::string& why);
  const spec::Type* record_of(
      const spec::CType& t) const;  // struct behind a ctype (after typedefs)
  bool is_handle(const spec::CType& t, const spec::Annotation& a) const;
  int handle_type_of(const spec::CType& t, const spec::Annotation& a) const;

  const spec::Spec& spec_;
  std::function<int(const std::string&)> handle_index_;
  CallbackResolver callback_signature_;
  std::map<std::string, int> index_;  // struct name -> codec
  std::map<std::string, int> needs_;  // struct name -> 0/1, 2 while being computed
};

// How generated code spells a struct type ("" when it cannot: an unnamed member struct).
std::string struct_c_name(const spec::Spec& spec, const spec::Type& type);

}  // namespace remora::codegen
