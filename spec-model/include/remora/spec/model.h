// The API model: what Remora knows about a vendor C API.
//
// This header is the contract between every stage of the pipeline: inference
// fills it, the studio reviews it, codegen and the trace collector read it.
// It has no dependencies beyond the standard library; JSON and SQLite live in
// json_io.h and project_store.h.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remora/spec/box.h"
#include "remora/spec/ctype.h"

namespace remora::spec {

// ---------------------------------------------------------------- enums ----

enum class Direction { In, Out, InOut };

// What a parameter (or return value, or pointee) is, for marshalling.
enum class Kind {
  Value,     // a scalar passed by value (int, float, enum, size_t, struct by value)
  Handle,    // an opaque object reference owned by the API (cl_mem, cudaStream_t)
  Buffer,    // array of `size` elements (or `size` bytes for void*)
  Element,   // exactly one pointee
  String,    // NUL-terminated char string
  Callback,  // function pointer invoked by the API
  Userdata,  // void* passed back to a callback, never dereferenced by the API
  Opaque,    // pointer value passed through, never dereferenced (device pointer)
  Chain,     // extension chain: a linked list of tagged structs (`const void *pNext`);
             // each member starts like its owner (type tag field, next pointer) and is
             // identified by the value of its tag field (Type::tag)
};

enum class SizeUnit { Bytes, Elements };

enum class ReviewStatus { Inferred, Confirmed, Edited, Unsupported };

enum class EvidenceSource { Header, Docs, Trace, Human };

enum class TypeKind { Handle, Status, Enum, Struct, Callback, Alias };

std::string_view to_string(Direction);
std::string_view to_string(Kind);
std::string_view to_string(SizeUnit);
std::string_view to_string(ReviewStatus);
std::string_view to_string(EvidenceSource);
std::string_view to_string(TypeKind);
// Parsers return nullopt on an unknown spelling (callers report the error).
std::optional<Direction> direction_from_string(std::string_view);
std::optional<Kind> kind_from_string(std::string_view);
std::optional<SizeUnit> size_unit_from_string(std::string_view);
std::optional<ReviewStatus> review_status_from_string(std::string_view);
std::optional<EvidenceSource> evidence_source_from_string(std::string_view);
std::optional<TypeKind> type_kind_from_string(std::string_view);

// ----------------------------------------------------------- sync mode ----

// "sync" | "async" | { "async_if": "<C predicate over params>" }
struct Sync {
  enum class Mode { Sync, Async, AsyncIf } mode = Mode::Sync;
  std::string condition;  // only for AsyncIf
  bool operator==(const Sync&) const = default;
};

// "sync", "async" or "async_if(<condition>)": one line for reports and diffs.
std::string describe(const Sync& sync);

// -------------------------------------------------------- annotations ----

// A partial annotation: every field optional. Used for evidence claims
// ("says"), for `when` overrides, and for element annotations.
struct AnnotationPatch {
  std::optional<Direction> direction;
  std::optional<Kind> kind;
  std::optional<std::string> size;  // size expression source text
  std::optional<SizeUnit> size_unit;
  std::optional<bool> nullable;
  std::optional<Kind> element_kind;  // claim about each pointee of a buffer
  // Each pointee is itself a buffer (a buffer of buffers, e.g. `unsigned char **binaries`):
  // its direction, size (may use `i`, the element's index) and unit.
  std::optional<Direction> element_direction;
  std::optional<std::string> element_size;
  std::optional<SizeUnit> element_size_unit;
  std::optional<bool> allocates;
  std::optional<bool> deallocates;
  std::optional<bool> may_hold_handles;
  std::optional<Sync> sync;          // function-level claims only
  std::optional<bool> barrier;       // function-level: waits for queued work
  // function-level: "true" (same inputs, same result, always), a C predicate over the
  // parameters (cacheable when it holds), or "false" (the result may change)
  std::optional<std::string> cacheable;
  // function-level: a predicate over the parameters under which the answer may differ
  // between calls with the same arguments (a reference count, a current state). Not a
  // claim of cacheability: fusion narrows whatever `cacheable` verdict wins to exclude it.
  std::optional<std::string> changes_if;
  // function-level: the object the call creates runs its queued work in order: "true",
  // a predicate over the creating call's arguments (parse_creation_predicate), or "false"
  std::optional<std::string> in_order;
  bool empty() const;
  bool operator==(const AnnotationPatch&) const = default;
};

struct Annotation;

// A complete annotation of one value (parameter, return value, or pointee).
struct Annotation {
  Direction direction = Direction::In;
  Kind kind = Kind::Value;
  std::string size;                 // size expression ("" = none); see size_expr.h
  SizeUnit size_unit = SizeUnit::Elements;
  bool nullable = false;
  Box<Annotation> element;          // pointee annotation for buffers of handles/strings/pointers
  std::string pointee;              // C spelling of the pointee type ("cl_device_id", "const char *")
  std::string handle_type;          // for Kind::Handle (or element handles): the handle type name
  bool allocates = false;           // this value is a newly created object
  bool deallocates = false;         // this call releases the object passed here
  // "" | "map" (guest shadow of server memory) | "unmap" | "persistent" (a returned
  // mapping kept coherent at every call until its owner's next one, unmap or release)
  std::string shadow;
  // How long the library keeps using the memory this pointer refers to after the
  // call returns: "" (only during the call) | "object" (until the object the call
  // creates is released: CL_MEM_USE_HOST_PTR) | "command" (until the command a
  // non-blocking call queues completes; the program must not change it before: a
  // non-blocking clEnqueueWriteBuffer's ptr). See docs/spec-format.md, "Memory the
  // library keeps between calls".
  std::string retain;
  // An out pointer the library sets to an address inside the memory of another parameter
  // of the same call (SQLite's `pzTail` points into `zSql`): the name of that parameter.
  // The program gets the same offset into its own memory (docs/spec-format.md).
  std::string points_into;
  // Raw bytes (a `void *` value, a list of pointer-sized integers) in which the program may
  // put handles of the API among plain data: clSetKernelArg's `arg_value` when the argument
  // is a memory object, a property list naming a platform. The stack translates the
  // pointer-sized words that are handle values of the guest (docs/spec-format.md).
  bool may_hold_handles = false;
  // Return values only: what the function returns when it fails, where its return type
  // says nothing of it (a plain `int`: "@returns 1 if the function succeeded, 0 on error").
  // An integer or an API constant; a call the stack cannot make returns it instead of
  // ending the program. Status types carry theirs on the type (`Type::error`).
  std::string error;
  bool operator==(const Annotation&) const = default;
};

// A conditional override: `if` is a C predicate over the function's params.
struct When {
  std::string condition;
  AnnotationPatch overrides;
  bool operator==(const When&) const = default;
};

// One piece of evidence: who says what, how strongly, and why.
struct Evidence {
  EvidenceSource source = EvidenceSource::Header;
  AnnotationPatch says;
  double weight = 0.5;     // in [0,1]: how much this source is trusted for this claim
  std::string why;         // human-readable reason; quotes the docs sentence for docs
  std::string location;    // "file:line" where the evidence came from ("" if none)
  bool operator==(const Evidence&) const = default;
};

// ------------------------------------------------------------- entities ----

struct Param {
  std::string name;
  std::string type;  // C spelling as written in the header, e.g. "const size_t *"
  Annotation ann;
  std::vector<When> when;
  double confidence = 0.0;
  ReviewStatus status = ReviewStatus::Inferred;
  std::vector<Evidence> evidence;
  std::vector<std::string> conflicts;  // human-readable disagreements between sources
  CType ctype;  // `type`, typed (empty in specs written before the model); last: keeps aggregate init
  bool operator==(const Param&) const = default;
};

struct ReturnValue {
  std::string type = "void";
  Annotation ann;  // kind Value/Handle/Buffer(+shadow), allocates, ...
  CType ctype;
  bool operator==(const ReturnValue&) const = default;
};

// A transfer the stack may split into several real calls on consecutive sub-ranges, so the
// socket carrying one piece overlaps the library copying the previous one (codegen/README.md
// says exactly when the generated guest splits). `buffer` is the data buffer, `size` the
// by-value integer parameter that sizes it (its whole size expression), `offset` the by-value
// integer parameter that says where the range starts in the object; the offset counts in
// the size's unit (bytes for a `void *` sized in bytes, else elements of the buffer).
struct Chunking {
  std::string buffer;
  std::string size;
  std::string offset;
  double confidence = 0.0;
  ReviewStatus status = ReviewStatus::Inferred;
  std::string why;  // the evidence, for the reviewer
  bool operator==(const Chunking&) const = default;
};

struct Function {
  std::string name;            // the name a program calls (as in the header)
  std::string symbol;          // exported symbol if different (#define cuMemAlloc cuMemAlloc_v2)
  // Soname of the vendor library that exports it, when not api.library: one spec may span
  // several libraries (CUDA: libcudart, libcuda, libcublas); the server resolves each
  // function in its own library and the guest answers to every soname. "" = api.library.
  std::string library;
  ReturnValue ret;
  std::vector<Param> params;
  Sync sync;
  bool barrier = false;        // waits for all previously queued work (clFinish-like)
  // Where retained memory is made coherent: "" | "flush" (guest copies -> library
  // before the call) | "refresh" (library -> guest copies after it) | "both".
  std::string coherence;
  // The result cannot change for the same arguments (device properties): the guest answers
  // repeats itself. "" no, "true" always, else a C predicate over the parameters
  // (`param_name != CL_DEVICE_REFERENCE_COUNT`) that says when.
  std::string cacheable;
  // The object this call creates (its returned handle, or its out handle parameter, with
  // `allocates`) completes the work queued on it in the order it was queued, so the end
  // of a later command proves every earlier one done (an OpenCL queue made without
  // CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE). "" nothing is assumed, "true" always, else a
  // predicate evaluated on the creating call's arguments after it succeeded
  // (parse_creation_predicate: `(properties & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) == 0`).
  std::string in_order;
  std::optional<Chunking> chunk;  // may be split into calls on sub-ranges (see Chunking)
  bool supported = true;
  std::string unsupported_reason;
  ReviewStatus status = ReviewStatus::Inferred;
  double confidence = 0.0;     // function-level (sync/lifecycle) confidence
  std::vector<Evidence> evidence;  // function-level evidence (sync, barrier, lifecycle)
  std::string doc;             // brief documentation, if any
  std::string location;        // "header.h:123"
  bool variadic = false;
  // Declared never to return (png_error: it longjmps out of the library or ends the
  // process). The stack does not remote it: its guest stub aborts (docs/spec-format.md).
  bool noreturn = false;
  // Declared with C++ linkage when the header is compiled as C++ (outside its own
  // `extern "C"` block, or in a header with none): generated C++ code must define the
  // exported C symbol under another name (an assembler label), or it conflicts with the
  // header's declaration.
  bool cxx_linkage = false;

  const Param* find_param(std::string_view n) const;
  Param* find_param(std::string_view n);
  const std::string& exported_symbol() const { return symbol.empty() ? name : symbol; }
  bool operator==(const Function&) const = default;
};

// A struct/union member. The annotation fields mean what they mean for a
// parameter, relative to the struct: `direction` says whether the library reads
// (in) or writes (out) what a pointer field points to; sizes are expressions
// over sibling fields ("enabledExtensionCount"). A value field (int, enum,
// nested struct by value) is copied with its struct and needs no annotation.
struct StructField {
  StructField() = default;
  StructField(std::string field_name, std::string spelling)  // the old {name, type} form
      : name(std::move(field_name)), type(std::move(spelling)) {}
  std::string name;
  std::string type;                    // C spelling as written
  CType ctype;
  long long offset = -1;               // bytes from the start of the struct, -1 unknown
  int bit_width = -1;                  // bit-fields only
  Annotation ann;
  double confidence = 0.0;
  ReviewStatus status = ReviewStatus::Inferred;
  std::vector<Evidence> evidence;
  std::vector<std::string> conflicts;
  bool operator==(const StructField&) const = default;
};

// A member seen as a parameter (same annotation, evidence and review fields), so the
// rules, fusion and review views written for parameters apply to it unchanged.
Param as_param(const StructField& field);
// A parameter seen as a member (a callback type's argument, read by the parameter rules).
StructField as_field(const Param& param);

// A struct that identifies itself by a tag field (Vulkan's sType): the field
// and this struct's value of it. Members of extension chains are found by it.
struct TypeTag {
  std::string field;  // "sType"
  std::string value;  // "VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO" ("" when unknown)
  bool operator==(const TypeTag&) const = default;
};

struct EnumConstant {
  std::string name;
  long long value = 0;
  bool operator==(const EnumConstant&) const = default;
};

struct Type {
  std::string name;
  TypeKind kind = TypeKind::Alias;
  std::string underlying;               // C spelling of what it aliases
  std::string success;                  // Status: the success constant ("CL_SUCCESS")
  std::string error;                    // Status: value returned when the call cannot be made
  std::vector<EnumConstant> constants;  // Enum / Status
  std::string signature;                // Callback: "void (const char *, void *)"
  CType ctype;                          // Alias/Handle/Callback/Status: what the typedef stands for
  // Struct (struct or union; `name` is the tag, or the typedef naming an untagged one):
  std::string record;                   // "struct" | "union" ("" = struct)
  bool complete = true;                 // false: declared, never defined (opaque)
  long long size = -1;                  // sizeof / alignof when known
  long long align = -1;
  std::vector<StructField> fields;      // Struct: its members; Callback: its arguments, in order
  TypeTag tag;                          // type tag, when the struct has one
  // Stream state (z_stream, lzma_stream): the caller owns the struct, the library
  // keeps state behind it across calls (identified by its address). The server
  // keeps one persistent copy per guest struct; see docs/spec-format.md.
  bool state = false;
  // false: a pointer field cannot be copied (unknown size or kind); the reason
  // names the fields. Functions passing this struct must not copy it flat.
  bool supported = true;
  std::string unsupported_reason;
  std::vector<Evidence> evidence;

  const StructField* find_field(std::string_view n) const;
  StructField* find_field(std::string_view n);
  bool operator==(const Type&) const = default;
};

// The JSON key of a type's `fields`: a struct's members, a callback type's arguments
// ("args": what the library passes the program's function, annotated as parameters).
inline const char* members_key(TypeKind kind) { return kind == TypeKind::Callback ? "args" : "fields"; }

struct ApiInfo {
  std::string name;
  std::vector<std::string> headers;       // as included by generated code: "CL/cl.h"
  std::vector<std::string> include_dirs;
  std::vector<std::string> defines;       // "NAME=VALUE" or "NAME"
  std::string library;                    // soname of the vendor library
  std::vector<std::string> sonames;       // sonames the guest library is installed under
  bool operator==(const ApiInfo&) const = default;
};

struct Spec {
  ApiInfo api;
  std::vector<Type> types;
  std::vector<Function> functions;

  const Function* find_function(std::string_view n) const;
  Function* find_function(std::string_view n);
  const Type* find_type(std::string_view n) const;
  Type* find_type(std::string_view n);
  // The soname a function is exported by (its own `library`, else api.library).
  const std::string& library_of(const Function& f) const {
    return f.library.empty() ? api.library : f.library;
  }
  // api.library first, then every other library a function names, each once.
  std::vector<std::string> libraries() const;
  bool operator==(const Spec&) const = default;
};

// The call creates an object: it returns a handle it allocates, or writes one (or an
// array of them) through an out parameter marked `allocates`. Only such a call may say
// how that object runs its work (`in_order`).
bool creates_handle(const Function& f);

// Apply a partial annotation on top of a complete one.
void apply(Annotation& target, const AnnotationPatch& patch);

}  // namespace remora::spec
