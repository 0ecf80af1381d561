// The marshalling plan of a spec: for each function, how every parameter and
// the return value travel. Built once from the model; the guest and server
// emitters both read it, so the two sides agree on the wire format by construction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "remora/spec/model.h"
#include "remora/spec/size_expr.h"
#include "runtime_modules.h"
#include "struct_plan.h"

namespace remora::codegen {

// How one scalar-like parameter travels (sent before every pointer parameter).
enum class ScalarWire {
  Value,     // raw bytes of the value
  Handle,    // u64, checked against the worker's handle table
  Opaque,    // u64 passed through (opaque pointer, plain userdata)
  Callback,  // u64 guest function pointer; server substitutes a trampoline
  Userdata,  // u64 guest user data of a callback; server substitutes a record
  Unmap,     // shadow "unmap": the guest's shadow bytes go back into the real mapping
  MapOut,    // `void **` out element with element shadow "map": receives a persistent mapping
  State,     // pointer to a stream-state struct (types[].state): see StatePlan
};

// A stream-state struct (types[].state: z_stream, lzma_stream). The server keeps a
// persistent copy per guest struct; its value members travel as the struct's bytes
// both ways, and each pointer member has one of these roles (docs/spec-format.md).
struct StateMember {
  enum class Role {
    CursorIn,   // input cursor: `count` elements travel; the guest's pointer advances by what was consumed
    CursorOut,  // output cursor: capacity `count`; produced elements come back, the pointer advances
    Library,    // library-owned (opaque): lives only in the server's copy
    Allocator,  // how the library allocates its private memory: the server's own value (NULL, then what init set)
    LibraryString,  // a string the library writes (zlib's msg): never read from the guest; comes back interned
    NullOnly,   // anything else: a call with it set fails (it would point into the wrong process)
  } role = Role::NullOnly;
  std::string name;
  std::string count;  // cursors: C over the struct's members, as `rm_st->member` (both sides)
};

struct StatePlan {
  std::string type;  // the struct's name in the spec
  std::vector<StateMember> members;
  std::string end_function;  // one-parameter function that ends it ("" none): used at disconnect
};

// How each pointee of a buffer/element travels.
// Buffer: each pointee is itself a buffer (`unsigned char **binaries`), sized per element.
// Struct: each pointee is a struct deep-copied by codec `struct_index` (struct_plan.h).
// Into: an address inside another parameter's memory (`points_into`), sent as an offset.
enum class ElemWire { Raw, Handle, String, Buffer, Struct, Into };

// One variant of a pointer parameter (the base annotation or a `when` override).
struct PointerVariant {
  std::string condition;  // "" for the base (last) variant
  std::string unsupported_reason;  // non-empty: calls taking this variant fail with the error value
  spec::Annotation ann;
  enum class Shape { Element, Buffer, String, Opaque } shape = Shape::Buffer;
  ElemWire elem = ElemWire::Raw;
  std::string elem_size_guest;   // C expression: bytes per element in guest code
  std::string elem_size_server;  // same in server code
  std::string handle_type;       // for ElemWire::Handle
  std::string into_param;        // for ElemWire::Into: the parameter it points into
  bool into_string = false;      // ... which travels as a NUL-terminated string (else a buffer)
  int handle_type_index = -1;
  int struct_index = -1;         // for ElemWire::Struct: StackPlan::structs
  std::string struct_name;       // and how generated code spells the struct
  bool elem_allocates = false;
  // Buffer sizes, as C expressions over the call's parameters.
  std::string count_before;      // guest: elements sent (in) or capacity (out)
  std::string count_before_server;
  std::string count_after_server;  // "" when equal to the capacity (no ret/output dependence)
  std::string pad_count_server;    // readable() sizes: elements the server's copy is zero-padded to
  // terminated(p) in the size: the server checks p's terminator arrived. `ends` is the C++
  // predicate of an element that ends an array of structs (terminated(p, MEMBER, END));
  // "" for a key/value list ended by a 0 key.
  struct TerminatedList {
    std::string param;
    std::string ends;
  };
  std::vector<TerminatedList> terminated_params;
  // p[i] in the size: before computing it the server checks that p arrived and
  // holds more than max_index elements (a hostile guest cannot make it read past p).
  struct IndexRead {
    std::string param;
    std::int64_t max_index = 0;
    bool buffer = true;  // p travels as a buffer (count rm_n_p) or as one element
    bool per_element = false;  // p[i] in an element size: p holds one value per element
    bool null_tested = false;  // the size tests p for NULL (`p != 0 ? p[i] : ...`): NULL is allowed
  };
  std::vector<IndexRead> index_reads;
  // ElemWire::Buffer: how each inner buffer travels. Counts are C over the call's
  // parameters and rm_i, the index of the element.
  spec::Direction inner_direction = spec::Direction::In;
  std::string inner_esize;  // bytes per inner element
  std::string inner_count_guest;
  std::string inner_count_server;
  // The element size measures the element itself (strlen(p[i])): the server refuses an
  // element whose NUL is not within the bytes that arrived for it.
  bool inner_strlen = false;
  // The size measures the buffer itself (strlen(p): a string given by its length, or
  // NUL-terminated when that is negative): the server measures what arrived, never past it.
  bool self_strlen = false;

  // The buffers this one points to are (partly) outputs.
  bool has_inner_outputs() const { return elem == ElemWire::Buffer && inner_direction != spec::Direction::In; }
  // A single value the call writes (`element` out of raw bytes): the guest sends the
  // program's current bytes and the server's copy starts from them, so whatever the
  // library leaves unwritten keeps the program's value, on success and failure alike.
  bool seeded() const {
    return shape == Shape::Element && ann.direction == spec::Direction::Out && elem == ElemWire::Raw;
  }
  // The reply carries something for this variant.
  bool has_outputs() const {
    // A deep-copied struct's outputs come back with the call's DeepCopy records instead.
    return (ann.direction != spec::Direction::In && (shape == Shape::Element || shape == Shape::Buffer) &&
            elem != ElemWire::Struct) ||
           has_inner_outputs();
  }
};

// query(FN, args...) in a size: a helper on each side calls FN (the guest through
// the stack, the server directly) and reads one integer of what it writes.
struct QueryHelper {
  std::string name;  // rm_query_<FN>_<nargs>
  const spec::Function* fn = nullptr;
  std::size_t leading = 0;  // arguments given in the expression
  int size_param = -1;      // FN's byte size of the value (in)
  int value_param = -1;     // FN's out buffer
  int size_ret_param = -1;  // FN's out element: bytes the value needs (-1: none); with no
                            // value and no size, the answer itself (one integer FN writes)
  bool answer_returned = false;  // FN takes only the given arguments and returns the answer
  std::string value_elem;   // C type of one integer of the value
  std::string success;      // FN's success status ("" when it returns none)
};

struct ParamPlan {
  const spec::Param* param = nullptr;
  int index = 0;
  std::string name;
  bool is_pointer = false;  // true: variants describe it
  ScalarWire scalar = ScalarWire::Value;
  std::vector<PointerVariant> variants;  // conditional ones first, base last
  std::string handle_type;               // ScalarWire::Handle
  int handle_type_index = -1;
  bool deallocates = false;
  bool unmaps_owner = false;    // ScalarWire::Handle with shadow "unmap": ends the mappings of this object
  std::string map_size_server;  // ScalarWire::MapOut: bytes mapped, C over server locals
  int state = -1;               // ScalarWire::State: index into StackPlan::states
  bool state_const = false;     // ScalarWire::State: `const T *` (the guest's struct is not written back)
  bool retains = false;  // the call takes one more reference (the worker counts it)
  int callback_signature = -1;  // ScalarWire::Callback
  int userdata_param = -1;      // ScalarWire::Callback: index of its Userdata param
  // ScalarWire::Callback whose user-data parameter serves other callbacks of the call too:
  // its slot in the record they share (share_user_data_before in plan.cpp); -1: its own record.
  int shared_slot = -1;
  // ScalarWire::Callback without a user-data parameter (SQLite's destructor argument,
  // `void (*)(void *)`): no record can lead a call of it back to the guest's function, so
  // only a value that is no function (a sentinel such as SQLITE_TRANSIENT, `(fn)-1`)
  // reaches the library, unchanged; NULL too where the call has no input the library could
  // keep (with one, NULL may mean "keep using it": SQLITE_STATIC).
  // ScalarWire::Callback without a user-data parameter whose handle holds the user data
  // (a setter takes the handle and a user data only): the slot of its trampoline, and the
  // index of that handle parameter. -1: not held.
  int held_slot = -1;
  int held_by = -1;
  int handle_type_index_held = -1;
  // ScalarWire::Opaque standing for allocation callbacks (plan_state.h): the library gets
  // NULL, whatever the program passed.
  bool library_default = false;
  // ScalarWire::Callback whose signature cannot reach the program, in a call that returns
  // nothing (so cannot report a refusal): why. The library gets a function that ends the
  // worker with this reason if it ever calls it.
  std::string refused_callback;
  // ... and the call returns a value: the guest refuses the call when the program gives a
  // function (it reports that as any refused call), and makes it with NULL.
  bool refused_when_given = false;
  // ScalarWire::Userdata of such a setter: the library gets the handle's record instead.
  bool holds_user_data = false;
  bool sentinel_only = false;
  bool null_allowed = false;
  int callback_param = -1;      // ScalarWire::Userdata: index of its Callback param (-1: plain)
  bool referenced_by_size = false;  // an out element read by a size expression (always allocated)
  // An out element that receives a newly created handle (an enqueue's event) of a call
  // that may go without a reply: the guest assigns the value itself and the server maps
  // it to the real handle (runtime/remora_handle_ids.h), so the call needs no reply.
  bool guest_assigned = false;
  bool raw_address = false;         // a pointer passed through as a number (opaque, or a pointer as a value)
  std::string comment;          // annotation summary for the generated comment

  // Some variant is a buffer of buffers (the emitters declare its per-element state).
  bool has_nested_buffers() const {
    for (const auto& v : variants)
      if (v.elem == ElemWire::Buffer) return true;
    return false;
  }
};

// ProcAddress: the function looks another one up by name (vkGetInstanceProcAddr): the
// server's answer says only whether the real one exists; the guest returns its own
// stub of that name, or NULL for names the stack does not remote.
// Bytes: constant data the program reads (`const void *sqlite3_column_blob(stmt, i)`), sized
// after the call (`query(sqlite3_column_bytes, stmt, i)`): the bytes travel and the guest
// returns a copy it keeps (remora::guest::returned_copy).
enum class ReturnWire { Void, Value, Handle, Opaque, String, MapShadow, ProcAddress, Bytes };

// What a call that cannot be made (unsupported, server unreachable, bad reply) does.
enum class FailMode {
  ReturnError,  // return error_value (the spec's `error` of the return type, or the status's error)
  ReturnNull,   // pointer-like return: NULL
  Abort,        // no value the caller can tell from success: print the function name and abort
};

// A pointer to one handle the call takes back (`nvrtcDestroyProgram(nvrtcProgram *prog)`):
// the server checks the guest holds it and forgets it once the call succeeded, as for a
// handle passed by value.
inline bool releases_through_pointer(const ParamPlan& pp) {
  if (!pp.is_pointer || pp.variants.size() != 1) return false;
  const PointerVariant& v = pp.variants.back();
  return v.unsupported_reason.empty() && v.shape == PointerVariant::Shape::Element && v.elem == ElemWire::Handle &&
         v.ann.direction != spec::Direction::Out && v.ann.deallocates && v.handle_type_index >= 0;
}

struct FunctionPlan {
  const spec::Function* fn = nullptr;
  std::uint32_t id = 0;
  bool supported = true;
  std::string reason;  // why not supported
  std::vector<ParamPlan> params;
  ReturnWire ret = ReturnWire::Void;
  std::string ret_handle_type;
  int ret_handle_type_index = -1;
  bool ret_allocates = false;
  // The API's getter of the user data its callbacks' handle argument carries
  // (CallbackSignature::userdata_getter): the library returns the stack's record, the
  // program gets back the user data it gave.
  bool ret_user_data = false;
  std::string map_size_server;  // MapShadow: bytes, C over server locals
  std::string ret_count_server;  // Bytes: elements returned, C over server locals (after the call)
  std::string ret_elem_size;     // Bytes: bytes per element ("1" for a size in bytes)
  // Bytes of structs: their string members, which travel after the bytes and point into
  // the guest's copies of them there.
  std::vector<std::string> ret_string_members;
  std::vector<PointerVariant::IndexRead> map_index_reads;  // p[i] it reads (checked before the call)
  // ScalarWire::MapOut, and MapShadow when map_persistent: the mapped object (the last
  // handle parameter).
  int map_owner_param = -1;
  // MapShadow of a buffer an object lends (shadow "persistent"): kept coherent at every call
  // until the object lends another, or its unmap or release.
  bool map_persistent = false;
  // Status handling.
  const spec::Type* status_type = nullptr;  // return type when it is a status
  std::string success;                      // C constant ("" if unknown)
  // C predicate over the server's `rm_result`: the returned status says the call failed
  // ("" when it returns no status). Its unseeded outputs then stay the program's.
  std::string failed;
  std::string error_value;                  // C expression returned when the call cannot be made
  FailMode fail = FailMode::ReturnError;
  std::string fail_why;                     // Abort: why no error value exists (for messages)
  int name_param = -1;                      // ProcAddress: the `const char *` name looked up
  int errcode_param = -1;                   // out element of a status type (errcode_ret)
  std::string errcode_error;
  bool can_be_async = false;
  std::string async_condition;  // C predicate ("true" for always-async)
  // A synchronous call whose only output is its status (a setter such as a kernel
  // argument, a retain/release, a flush): nothing the program reads depends on it before
  // its next synchronous call, which reports its error. Sent without waiting for a reply.
  bool defer_reply = false;
  // The spec's `cacheable` as a C predicate ("" not cacheable, "true" always): the guest
  // keeps a successful answer and gives it to later calls with the same arguments.
  std::string cache_condition;
  // A cacheable query whose first argument is a handle and whose status says success: a
  // guest's miss also gets the answers to the same question about the other objects of
  // that handle's type the server holds for it (one round trip for a loop of queries over
  // events, kernels, devices). See Worker::prefetch_answers.
  bool prefetch_siblings = false;
  // The spec's `in_order` as C over the creating call's arguments ("" no, "true" always):
  // the object this call makes completes its queued work in order, so the server lets a
  // later command's completion on it retire earlier calls' held inputs and pending outputs.
  std::string in_order_condition;
  std::vector<std::string> async_blockers;  // params whose non-NULL value forces a sync call
  // The spec's `chunk`, planned: a large transfer the guest sends as pipelined calls on
  // consecutive sub-ranges (codegen/README.md, "Chunked transfers"). Indexes into params.
  struct Chunk {
    int buffer = -1;
    int size = -1;
    int offset = -1;
    std::string esize;  // bytes per element of the buffer, C in guest code
    bool out = false;   // an out buffer (a read): pieces pipelined with replies, blocking calls only
    std::vector<std::string> must_be_null;  // pointer params whose non-NULL value forbids a split
  };
  std::optional<Chunk> chunk;
  std::string comment;
  bool module_owned = false;  // implemented by the stack's runtime module (no generated stub or handler)
  bool module_wrapped = false;  // the stub is remora_wrapped_<name>; the module exports <name> around it
  // The runtime module refuses the calls where a condition holds (C predicate over the
  // call's parameters, why): the guest returns the error value with the reason.
  std::vector<std::pair<std::string, std::string>> refused_when;
};

struct CallbackSignature {
  std::string text;  // as written in the spec
  std::string type_name;  // the callback type whose argument annotations it follows ("" none)
  std::string ret;
  std::vector<std::string> args;
  int userdata_arg = -1;
  // No `void *` user data, but a handle argument whose object hands it out through the
  // API's one getter (SQLite's `xFunc(sqlite3_context *, int, sqlite3_value **)` and
  // `sqlite3_user_data(sqlite3_context *)`): the trampoline asks the getter for its record.
  int userdata_handle_arg = -1;
  std::string userdata_getter;
  bool has_user_data() const { return userdata_arg >= 0 || userdata_handle_arg >= 0; }
  // The program's function returns a value the API reads (a debug callback's VkBool32):
  // the trampoline waits for the guest's answer (runtime: Worker::call_callback).
  bool returns_value = false;
  // StringArray: a `char **` the API passes with its element count in the signature's one
  // integer argument (SQLite's exec callback: `int (*)(void *, int, char **, char **)`);
  // each element travels as a string (NULL ones as NULL).
  // Bytes: a pointer to constant bytes (`const void *`, `const unsigned char *`) followed by
  // the integer that says how many it holds (a write callback's data): those bytes travel,
  // NULs included (before, an untyped one reached the program as NULL).
  // StringList: a `char **` the callback type's docs end with a NULL element ("atts is
  // array of name/value pairs, terminated by 0"): its strings travel, the guest ends the
  // array with NULL again.
  // HandleArray: a pointer to the API's handles counted by the signature's one integer
  // argument (`int argc, sqlite3_value **argv`): each element travels as its object's id.
  enum class Arg { Value, Handle, String, StringArray, StringList, Bytes, Null, Userdata, HandleArray };
  std::vector<Arg> kinds;
  int count_arg = -1;  // the argument holding a StringArray's or HandleArray's element count
  // Per argument: for a Handle or HandleArray, the handle type index of the API's
  // parameters spelled the same (-1: none; the worker then leaves its kind unchecked).
  std::vector<int> handle_type;
  std::vector<int> length_arg;  // per argument: for Bytes, the argument holding its length
};

struct StackPlan {
  const spec::Spec* spec = nullptr;
  std::vector<FunctionPlan> functions;
  std::vector<std::string> handle_types;  // index -> name
  std::map<std::string, int> handle_type_index;
  std::vector<std::string> releasers;     // per handle type: deallocating function name ("" none)
  std::vector<bool> releaser_by_pointer;  // per handle type: the releaser takes `T *` (nvrtcDestroyProgram)
  // per handle type: the kind of object it names (-1: not known, e.g. a `void *` handle).
  // Types whose C types are the same pointer to an undefined struct (CUDA's cudaStream_t
  // and CUstream) share one; the worker refuses a live handle of another kind where a
  // handle goes (a cl_mem passed as a cl_kernel would make the library read one object
  // as another).
  std::vector<int> handle_classes;
  // per handle type: 1 when a `barrier` function takes it (work queued on it can be waited for).
  std::vector<unsigned char> waitable_types;
  std::vector<CallbackSignature> callbacks;
  // per handle type: the function that gives objects of it the user data their callbacks
  // receive ("" none): XML_SetUserData(XML_Parser, void *).
  std::vector<std::string> held_setters;
  std::vector<QueryHelper> queries;
  std::vector<StatePlan> states;          // stream-state structs some function passes
  std::vector<std::string> warnings;
  std::uint64_t fingerprint = 0;
  bool has_proc_address = false;  // the guest needs its table of own stubs by name
  bool has_persistent_mappings = false;  // some call maps memory that lives until an unmap or release
  std::vector<StructCopy> structs;  // deep-copied structs (struct_plan.h)
  std::vector<int> chain_members;   // the tagged structs an extension chain may hold
  const RuntimeModule* module = nullptr;  // runtime_modules.h: chosen by the spec's library
};

// Some variant of a parameter of this function is deep-copied (it needs a DeepCopy context).
bool uses_deep_copy(const FunctionPlan& fp);

StackPlan make_plan(const spec::Spec& spec);

// C type helpers shared by the emitters.
std::string trim(const std::string& s);
bool is_simple_type(const std::string& c_type);  // safe to spell in a declaration

}  // namespace remora::codegen
