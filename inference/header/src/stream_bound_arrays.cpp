// Libraries layered on a device runtime (the CUDA toolkit's cuBLAS, cuRAND,
// cuSPARSE, cuDNN, cuFFT; ROCm's rocBLAS, hipFFT over HIP) bind their own object
// to an execution stream of that runtime: `xSetStream(object, stream)`, where the
// stream type comes from the runtime's headers, not the library's. Work given to
// such an object is queued on the device in stream order, so the data arrays its
// calls take (sized by a count, a stride or a leading dimension) are device
// memory: addresses the host passes through and never dereferences. Copying them
// as host buffers would read or write the guest's memory at a device address.
//
// Left to the other rules: calls that do not take the bound object (host<->device
// copies such as `cublasSetVector(n, size, x, incx, devicePtr, incy)`), calls that
// create or configure it (`cufftMakePlanMany(plan, rank, int *n, ...)`: a host
// array of dimensions), pointers named as host memory, parameters declared with
// array syntax (`const int group_size[]`), arrays of pointers, and single values
// without a count (`alpha`, whose side depends on a pointer mode).
#include "stream_bound_arrays.h"

#include "remora/inference/text_util.h"

namespace remora::inference {

namespace {

// Declared in a header that declares none of the API's functions: the runtime below.
bool foreign_type(const ParsedHeader& header, const std::string& type_name) {
  const ParsedType* t = header.find_type(type_name);
  if (!t) return false;
  for (const ParsedFunction& f : header.functions)
    if (f.file == t->file) return false;
  return true;
}

// The object a binder attaches a stream to: a by-value handle or an integer id
// (`cufftHandle plan`), spelled with a typedef of the API.
bool bindable_object(const ParsedParam& p) {
  if (p.type.is_pointer() && !p.type.is_handle) return false;
  if (p.type.typedef_name.empty()) return false;
  return p.type.is_handle || p.type.shape == TypeShape::Integer;
}

bool stream_handle(const ParsedHeader& header, const ParsedParam& p) {
  return p.type.is_handle && names::has_word(identifier_words(p.type.typedef_name), "stream") &&
         foreign_type(header, p.type.typedef_name);
}

// Numbers, untyped memory, or a struct of numbers (cuComplex): what a kernel reads and writes.
bool device_data(const TypeInfo& pointee, const ParsedHeader& header) {
  switch (pointee.shape) {
    case TypeShape::Void:
    case TypeShape::Floating:
      return true;
    case TypeShape::Integer:
      return !pointee.is_handle;
    case TypeShape::Record: {
      if (!pointee.record_complete) return false;
      // cuComplex is a typedef of a typedef of struct float2: the struct by its own name.
      const ParsedType* t = pointee.typedef_name.empty() ? nullptr : header.find_type(pointee.typedef_name);
      if (!t || t->form != ParsedType::Form::Struct) t = struct_named_by(header, pointee);
      if (!t || t->field_info.empty()) return false;
      for (const ParsedField& f : t->field_info)
        if (f.type.shape != TypeShape::Floating && f.type.shape != TypeShape::Integer) return false;
      return true;
    }
    default:
      return false;
  }
}

bool names_host_memory(const std::string& name) {
  names::Words w = identifier_words(name);
  return names::has_word(w, "host") || (w.size() > 1 && w.front() == "h");
}

// The device-code naming convention (`dA`, `d_info`, `devIpiv`, `deviceWork`): the
// name itself says where the memory is, so no companion needs to say it is an array.
bool names_device_memory(const std::string& name) {
  names::Words w = identifier_words(name);
  if (w.size() < 2) return false;  // `d` alone is a bidiagonal's diagonal, not a prefix
  return w.front() == "d" || w.front() == "dev" || w.front() == "device";
}

// An array by its own companion: a stride or leading dimension, a count named for
// it, a length right after it (`outputPtr, size_t num`), or a count through a
// pointer. A dimension before it (`n, const float *alpha, float *x, incx`) is the
// problem's size, shared by its arrays and the scalars between them (`alpha`,
// whose side of the bus depends on a pointer mode): not enough.
bool sized_array(const FunctionContext& c, std::size_t index) {
  if (has_stride_companion(c.parsed, index)) return true;
  auto it = c.sizes.find(index);
  if (it == c.sizes.end()) return false;
  const SizeLink& link = it->second;
  return link.weight >= 0.7 || link.through_pointer || link.size_param > index;
}

}  // namespace

bool configures_object(const names::Words& w) {
  return names::creates_object(w) || names::releases_object(w) ||
         names::has_any_word(
             w, {"make", "plan", "init", "setup", "get", "set", "query", "estimate", "attach"});
}

StreamBindings find_stream_bindings(const ParsedHeader& header) {
  StreamBindings out;
  for (const ParsedFunction& f : header.functions) {
    if (f.params.size() != 2 || !bindable_object(f.params[0]) ||
        !stream_handle(header, f.params[1]))
      continue;
    names::Words w = identifier_words(f.name);
    if (!names::has_word(w, "set") || !names::has_word(w, "stream")) continue;
    out.emplace(f.params[0].type.typedef_name, f.name);
  }
  return out;
}

const ParsedParam* bound_object(const FunctionContext& c, std::string* binder) {
  if (!c.stream_bound || c.stream_bound->empty()) return nullptr;
  for (const ParsedParam& q : c.parsed.params) {
    if (!bindable_object(q)) continue;
    auto it = c.stream_bound->find(q.type.typedef_name);
    if (it == c.stream_bound->end() || it->second == c.parsed.name) continue;
    if (binder) *binder = it->second;
    return &q;
  }
  return nullptr;
}

bool is_stream_bound_array(const FunctionContext& c, std::size_t index) {
  const ParsedParam& p = c.parsed.params[index];
  if (!p.type.is_pointer() || p.type.is_handle || p.type.is_function_pointer() || !p.type.pointee)
    return false;
  // `const int group_size[]`: array syntax is how these headers write host arrays
  // (per-group settings, arrays of device pointers); a device address is a pointer.
  if (p.type.shape == TypeShape::Array) return false;
  if (!device_data(*p.type.pointee, c.header) || names_host_memory(p.name)) return false;
  if (!(sized_array(c, index) || names_device_memory(p.name)) || configures_object(c.words)) return false;
  return bound_object(c, nullptr) != nullptr;
}

bool add_stream_bound_array_evidence(const FunctionContext& c, std::size_t index,
                                     spec::Param& param) {
  if (!is_stream_bound_array(c, index)) return false;
  const ParsedParam& p = c.parsed.params[index];
  std::string binder;
  const ParsedParam* object = bound_object(c, &binder);
  param.evidence.push_back(header_evidence(
      claim_kind(spec::Direction::In, spec::Kind::Opaque), 0.6,
      std::string(names_device_memory(p.name) ? "named as device memory ('" + p.name + "'), in a call on '"
                                              : "a data array of a call on '") +
          object->name + "', whose '" + object->type.typedef_name +
          "' is bound to a device runtime's stream (" + binder +
          "): the work runs on the device, so the array is device memory, an address passed "
          "through",
      c.location(p.line)));
  return true;
}

}  // namespace remora::inference
