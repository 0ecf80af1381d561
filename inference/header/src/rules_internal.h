// Internal interfaces between the header rule files (one rule family each).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "name_patterns.h"
#include "remora/inference/header_model.h"
#include "remora/spec/model.h"

namespace remora::inference {

// "param X's size is given by param Y".
struct SizeLink {
  std::size_t size_param = 0;
  double weight = 0.5;
  std::string why;
  // The size is read through a pointer (`*pCount`): the two-call enumeration idiom,
  // where the same variable carries the capacity in and the count written out.
  bool through_pointer = false;
  // The size is a field of the size parameter's struct (`pAllocateInfo->commandBufferCount`).
  std::string field;
  // fread's idiom: (void *buf, size_t size, size_t nitems) holds size * nitems bytes.
  std::optional<std::size_t> times_param;
};

// Types of objects bound to a device runtime's stream -> the binding function
// (stream_bound_arrays.cpp).
using StreamBindings = std::map<std::string, std::string>;

// What the rules know about one function while they look at its params.
struct FunctionContext {
  const ParsedHeader& header;
  const ParsedFunction& parsed;
  names::Words words;                          // words of the function name
  std::map<std::size_t, SizeLink> sizes;       // pointer param index -> its size param
  std::set<std::size_t> count_outputs;         // out pointers that return a count (num_platforms)
  std::vector<std::size_t> cursor_of;          // per param: the param it is a cursor into (cursor_targets)
  bool has_callback = false;
  bool produces_handle = false;  // writes a new handle through a non-const `T *` (cuModuleLoadData's `CUmodule *`)
  const StreamBindings* stream_bound = nullptr;  // the API's stream-bound object types (set by the driver)
  const std::set<std::string>* work_queues = nullptr;  // handle types the host waits on as queues (queued_work.h)


  std::string location(int line) const { return parsed.file + ":" + std::to_string(line); }
  bool is_cursor(std::size_t i) const { return cursor_of[i] != parsed.params.size(); }
  // How many functions of the header take a non-const pointer to this struct.
  int state_struct_uses(const TypeInfo& record) const;
  // Returns a number computed from its arguments (deflateBound's uLong), not the
  // status most functions of the API return.
  bool returns_computed_value() const;
};

FunctionContext make_context(const ParsedHeader& header, const ParsedFunction& f);

// One-field claims (designated initializers would trip -Wmissing-field-initializers).
// A claim of direction and/or kind (either may be left open).
inline spec::AnnotationPatch claim_kind(std::optional<spec::Direction> d, std::optional<spec::Kind> k) {
  spec::AnnotationPatch p;
  p.direction = d;
  p.kind = k;
  return p;
}
inline spec::AnnotationPatch claim_nullable() { spec::AnnotationPatch p; p.nullable = true; return p; }
inline spec::AnnotationPatch claim_allocates() { spec::AnnotationPatch p; p.allocates = true; return p; }
inline spec::AnnotationPatch claim_deallocates() { spec::AnnotationPatch p; p.deallocates = true; return p; }

spec::Evidence header_evidence(spec::AnnotationPatch says, double weight, std::string why, std::string location);

std::map<std::size_t, SizeLink> find_size_companions(const ParsedHeader& header, const ParsedFunction& f,
                                                     const std::set<std::size_t>& count_outputs,
                                                     const std::vector<std::size_t>& cursor_of);
bool is_data_pointer(const ParsedParam& p);
// A size that names what it counts, and names something other than this pointer
// (`good_length` beside `strm`, `private_segment_size` beside `data`).
bool names_something_else(const std::string& size_name, const std::string& pointer_name);
bool is_count_output(const ParsedParam& p);
// Cursors into data beside them (`uint8_t *out, size_t *out_pos, size_t out_size`): a
// non-const pointer to one integer named as a position in another parameter (out_pos in
// out), which the call reads (where to start) and moves (where it stopped). Never an
// array a size counts. (`int *position` alone, naming no parameter, is a plain output.)
// For each parameter, the parameter it is a cursor into; params.size() for none.
std::vector<std::size_t> cursor_targets(const std::vector<ParsedParam>& params);
// The struct a record type names, by its tag (`struct float2` -> float2); nullptr when
// the header declares no struct of that name.
const ParsedType* struct_named_by(const ParsedHeader& header, const TypeInfo& record);
// A struct of another library (the C library's FILE: a reserved tag, declared where the
// API declares no function): an object of the calling process, meaningless in another.
bool is_foreign_record(const ParsedHeader& header, const TypeInfo& record);

// A parameter's structural facts (spelling, pointee, handle type), no evidence yet.
spec::Param param_skeleton(const ParsedParam& p);
void add_param_evidence(const FunctionContext& context, std::size_t index, spec::Param& param);
// Strided vectors (x, incx) and matrices with a leading dimension (a, lda); true
// when the parameter is one and the rule has claimed it.
bool add_stride_evidence(const FunctionContext& context, std::size_t index, spec::Param& param);
// The array has a stride (`inc<name>`) or leading dimension (`ld<name>`) beside it.
bool has_stride_companion(const ParsedFunction& f, std::size_t index);
void add_function_evidence(const FunctionContext& context, spec::Function& function);
// Conditional annotations of copies whose direction is an enum (host/device).
void add_transfer_rules(const FunctionContext& context, spec::Function& function);
// Characters of text: `char`, or a one-byte integer the API names as a character
// (libxml2's `xmlChar`, libyaml's `yaml_char_t`, fontconfig's `FcChar8`: unsigned char for
// UTF-8 text). Their pointers are strings.
bool is_text_unit(const TypeInfo& t);

// A returned pointer to constant data (returned_data.cpp): bytes the program reads, sized
// by a sibling that takes the same arguments and returns their size.
void add_returned_data_evidence(const FunctionContext& context, spec::Function& function);
// A plain-integer return's failure value from the comment ("0 on error"): failure_values.cpp.
void add_failure_value_evidence(const FunctionContext& context, spec::Function& function);
std::vector<spec::Type> types_from_header(const ParsedHeader& header);

// The status type of the API (returned by most functions, with a SUCCESS
// constant of value 0), "" if none.
std::string status_type_name(const spec::Spec& spec);
// The constant that spells "false" for a boolean typedef (cl_bool -> CL_FALSE).
std::string false_constant_for(const ParsedHeader& header, const std::string& bool_type);

// The first integer parameter whose name says it counts bytes (`size`, `cb`,
// `size_in_bytes`): the extent of memory a map call makes addressable.
std::optional<std::size_t> byte_size_param(const ParsedFunction& f);

}  // namespace remora::inference
