// Parameter rules: what a parameter's C type and name say about how it is
// marshalled. Each rule appends one Evidence with a reason a reviewer can check.
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

using spec::AnnotationPatch;
using spec::Direction;
using spec::Kind;
using spec::SizeUnit;

namespace {

AnnotationPatch says(std::optional<Direction> d, std::optional<Kind> k) { return claim_kind(d, k); }

class ParamRules {
 public:
  ParamRules(const FunctionContext& context, std::size_t index, spec::Param& param)
      : c_(context), p_(context.parsed.params[index]), index_(index), param_(param),
        location_(context.location(p_.line)) {}

  void run() {
    const TypeInfo& t = p_.type;
    if (t.is_handle) return handle_value();
    if (!t.is_pointer()) {
      add(says(Direction::In, Kind::Value), 0.95, "'" + t.spelling + "' is passed by value");
      return;
    }
    if (t.is_function_pointer()) {
      add(says(Direction::In, Kind::Callback), 0.9,
          "pointer to a function (" + t.function_signature + "): the API calls it back");
      // Notification callbacks are optional unless registering one is the call's purpose.
      if (!names::has_any_word(c_.words, {"callback", "callbacks", "register", "add", "set"}))
        add(claim_nullable(), 0.5, "a callback passed alongside other work is usually optional (NULL = no notification)");
      return;
    }
    const TypeInfo& pointee = *t.pointee;
    // (A typedef of an array, such as va_list, is one opaque value, not a list.)
    if (t.shape == TypeShape::Array && t.array_size > 0 && t.typedef_name.empty() && !size_link() && !pointee.is_handle &&
        pointee.shape != TypeShape::Pointer && pointee.shape != TypeShape::Array)
      return fixed_array(pointee, t.array_size);
    if (device_data(pointee) && names::is_device_address_name(p_.name))
      return device_address();
    if (pointee.is_handle) return pointer_to_handle(pointee);
    switch (pointee.shape) {
      case TypeShape::Char: return char_pointer(pointee);
      case TypeShape::Pointer:
      case TypeShape::Array: return pointer_to_pointer(pointee);
      case TypeShape::Void: return void_pointer(pointee);
      case TypeShape::Record: return record_pointer(pointee);
      case TypeShape::Function: return;  // handled above
      default: return scalar_pointer(pointee);
    }
  }

 private:
  void add(AnnotationPatch patch, double weight, std::string why) {
    param_.evidence.push_back(header_evidence(std::move(patch), weight, std::move(why), location_));
  }

  const SizeLink* size_link() const {
    auto it = c_.sizes.find(index_);
    return it == c_.sizes.end() ? nullptr : &it->second;
  }
  std::string size_name(const SizeLink& link) const {
    const std::string& name = c_.parsed.params[link.size_param].name;
    if (!link.field.empty()) return name + "->" + link.field;
    return (link.through_pointer ? "*" : "") + name;
  }

  // A buffer sized by its companion; unit by pointee type (void* counts bytes).
  void sized_buffer(const SizeLink& link, Direction direction, const TypeInfo& pointee, const std::string& reason) {
    AnnotationPatch p = says(direction, Kind::Buffer);
    p.size = size_name(link);
    bool bytes = pointee.shape == TypeShape::Void;
    p.size_unit = bytes ? SizeUnit::Bytes : SizeUnit::Elements;
    add(p, link.weight,
        reason + "; " + link.why + (bytes ? " (void* counts bytes)" : " (counts " + pointee.spelling + " elements)"));
    // Two-call enumeration: the first call passes NULL to learn the count.
    if (link.through_pointer && direction == Direction::Out)
      add(claim_nullable(), 0.55,
          "sized by *" + c_.parsed.params[link.size_param].name +
              " (two-call idiom): NULL asks only for the count, a second call fills the array");
  }

  // The parameter whose size this one gives through a pointer (`*pCount`), if any.
  const SizeLink* counted_through_me() const {
    for (const auto& [target, link] : c_.sizes)
      if (link.through_pointer && link.size_param == index_) return &link;
    return nullptr;
  }
  std::string counted_name() const {
    for (const auto& [target, link] : c_.sizes)
      if (link.through_pointer && link.size_param == index_) return c_.parsed.params[target].name;
    return "";
  }

  // In the "query the count, then fill the array" idiom both outputs are optional.
  bool two_call_idiom() const {
    for (std::size_t i : c_.count_outputs)
      if (i != index_) return true;
    return false;
  }

  void maybe_nullable_output() {
    if (two_call_idiom())
      add(claim_nullable(), 0.5,
          "the function also returns a count through a pointer (query-then-fill idiom): this output may be NULL");
  }

  // `const float blend[4]`: the declared length is the element count.
  void fixed_array(const TypeInfo& pointee, long long length) {
    AnnotationPatch p = says(pointee.is_const ? Direction::In : Direction::Out, Kind::Buffer);
    p.size = std::to_string(length);
    p.size_unit = SizeUnit::Elements;
    add(p, 0.85, "declared as an array of " + std::to_string(length) + " '" + pointee.spelling + "'");
  }

  // Data a device address can point to: untyped memory or plain numbers. A pointer
  // to an address-holding typedef (`CUdeviceptr *dptr`) is a host variable the API
  // writes the address into, not device memory.
  static bool device_data(const TypeInfo& pointee) {
    if (pointee.shape == TypeShape::Void || pointee.shape == TypeShape::Floating) return true;
    if (pointee.shape != TypeShape::Integer || pointee.is_handle) return false;
    const std::string& td = pointee.typedef_name;
    return td.empty() || (td.size() > 2 && td.compare(td.size() - 2, 2, "_t") == 0);
  }

  // devPtr, devicePtr, dptr: an address in the device's (the server's) memory. The
  // host never dereferences it, whatever its C type; copying it as host memory
  // would read garbage or fault.
  void device_address() {
    add(says(Direction::In, Kind::Opaque), 0.6,
        "named as a device address ('" + p_.name + "'): memory the API allocated on the device, passed through");
  }

  void handle_value() {
    if (!p_.type.handle_why.empty()) {
      add(says(Direction::In, Kind::Handle), 0.8, p_.type.handle_why);
      return;
    }
    add(says(Direction::In, Kind::Handle), 0.9,
        "'" + p_.type.typedef_name + "' is an opaque handle (typedef of a pointer to a struct the header never defines)");
  }

  void pointer_to_handle(const TypeInfo& pointee) {
    AnnotationPatch element;
    element.element_kind = Kind::Handle;
    add(element, 0.85, "points to '" + pointee.typedef_name + "', an opaque handle type");
    const SizeLink* link = size_link();
    if (pointee.is_const) {
      if (link) {
        sized_buffer(*link, Direction::In, pointee, "const array of handles");
        if (names::identifier_words_end_with(p_.name, "list"))
          add(claim_nullable(), 0.35, "a counted '*_list' input is usually optional (NULL when the count is 0)");
      } else {
        add(says(Direction::In, Kind::Element), 0.5, "const pointer to one handle with no count beside it");
      }
      return;
    }
    if (link) {
      sized_buffer(*link, Direction::Out, pointee, "non-const array of handles: the API fills it");
      maybe_nullable_output();
    } else {
      add(says(Direction::Out, Kind::Element), 0.8, "non-const pointer to one handle: the API returns a handle here");
      if (!names::creates_object(c_.words))
        add(claim_nullable(), 0.3,
            "an extra handle output of a function that is not a constructor is usually optional");
    }
    if (names::creates_object(c_.words)) {
      add(claim_allocates(), 0.7, "a create/alloc-like function returns new objects through it");
    } else if (!names::only_queries(c_.words) && !names::releases_object(c_.words)) {
      add(claim_allocates(), 0.45,
          "a function that is not a query hands back handles it created (e.g. completion events)");
    }
  }

  void char_pointer(const TypeInfo& pointee) {
    const SizeLink* link = size_link();
    if (pointee.is_const) {
      add(says(Direction::In, Kind::String), link ? 0.5 : 0.85, "'const char *' is a NUL-terminated input string");
      if (link) sized_buffer(*link, Direction::In, pointee, "char array with a length beside it");
      return;
    }
    if (link) {
      sized_buffer(*link, Direction::Out, pointee, "non-const char array with a capacity beside it: the API writes a string");
      return;
    }
    add(says(Direction::Out, Kind::String), 0.4, "non-const 'char *' with no capacity: an output string of unknown length");
  }

  void pointer_to_pointer(const TypeInfo& pointee) {
    const TypeInfo* inner = pointee.pointee.get();
    const SizeLink* link = size_link();
    bool inner_const = inner && inner->is_const;
    if (inner && inner->shape == TypeShape::Char) {
      AnnotationPatch element;
      element.element_kind = Kind::String;
      add(element, 0.75, "points to 'char *': each element is a string");
      // With a count it is an array of strings; without, the API hands back one
      // string pointer (cuGetErrorString(error, const char **pStr)).
      if (link) sized_buffer(*link, inner_const ? Direction::In : Direction::Out, pointee, "array of strings");
      else add(says(Direction::Out, Kind::Element), 0.6, "pointer to a string pointer with no count: receives one string");
      return;
    }
    if (inner && inner->shape == TypeShape::Void && !link && names::is_plural_name(p_.name)) {
      add(says(Direction::In, Kind::Buffer), 0.5,
          "'void **' with a plural name and no count: an array of pointers whose length the prototype does not give");
      AnnotationPatch element;
      element.element_kind = Kind::Opaque;
      add(element, 0.4, "each element is an address");
      return;
    }
    if (inner && inner->shape == TypeShape::Void && !link) {
      add(says(Direction::Out, Kind::Element), 0.75, "'void **' with no count: the API returns one address here");
      AnnotationPatch element;
      element.element_kind = Kind::Opaque;
      add(element, 0.6, "the returned address is passed around, never dereferenced by the caller's stub");
      if (names::creates_object(c_.words))
        add(claim_allocates(), 0.7, "an alloc/create-like function returns the new memory here");
      return;
    }
    AnnotationPatch element;
    bool inner_void = inner && inner->shape == TypeShape::Void;
    element.element_kind = inner_void ? Kind::Opaque : Kind::Buffer;
    add(element, 0.45, "each element is itself a pointer");
    // An array of addresses with a count is handed to the API (svm_pointers, args).
    if (link && inner_void) sized_buffer(*link, Direction::In, pointee, "counted array of addresses passed to the API");
    else if (link) sized_buffer(*link, inner_const || pointee.is_const ? Direction::In : Direction::Out, pointee, "array of pointers");
    if (link && inner && !inner_void) per_element_lengths(*link, *inner);
    else add(says(pointee.is_const ? Direction::In : Direction::Out, Kind::Element), 0.45, "pointer to one pointer");
  }

  // binaries[i] has lengths[i] bytes: an array of integers counted by the same
  // parameter as this array of pointers, and named for lengths or sizes, gives
  // the size of each pointed-to buffer (a buffer of buffers).
  void per_element_lengths(const SizeLink& link, const TypeInfo& inner) {
    for (std::size_t j = 0; j < c_.parsed.params.size(); ++j) {
      const ParsedParam& q = c_.parsed.params[j];
      const TypeInfo* qp = q.type.pointee.get();
      if (j == index_ || !q.type.is_pointer() || !qp || !qp->is_integer_like() || qp->shape == TypeShape::Char) continue;
      auto it = c_.sizes.find(j);
      if (it == c_.sizes.end() || it->second.size_param != link.size_param) continue;
      if (!names::identifier_words_end_with(q.name, "lengths") && !names::identifier_words_end_with(q.name, "sizes"))
        continue;
      AnnotationPatch e;
      e.element_direction = inner.is_const ? Direction::In : Direction::Out;
      e.element_size = q.name + "[i]";
      bool bytes = inner.spelling.find("char") != std::string::npos || inner.spelling.find("int8") != std::string::npos;
      e.element_size_unit = bytes ? SizeUnit::Bytes : SizeUnit::Elements;
      add(e, 0.55,
          "'" + q.name + "' is counted like '" + p_.name + "' (by '" + size_name(link) + "') and holds lengths: " +
              p_.name + "[i] points to " + q.name + "[i] " + (bytes ? "bytes" : "elements"));
      return;
    }
  }

  void void_pointer(const TypeInfo& pointee) {
    const SizeLink* link = size_link();
    if (link) {
      if (pointee.is_const) {
        sized_buffer(*link, Direction::In, pointee, "'const void *' is read by the API");
      } else if (names::creates_object(c_.words)) {
        sized_buffer(*link, Direction::In, pointee, "data handed to a constructor is the new object's initial contents");
        add(claim_nullable(), 0.4, "initial contents passed to a constructor are usually optional");
      } else {
        sized_buffer(*link, Direction::Out, pointee, "non-const 'void *' with a size: the API writes into it");
        maybe_nullable_output();
      }
      return;
    }
    if (names::unmaps_memory(c_.words)) {
      param_.ann.shadow = "unmap";
      add(says(Direction::In, Kind::Opaque), 0.7,
          "an unmap function takes back an address it mapped earlier (guest shadow copy is released)");
      return;
    }
    if (has_blocking_flag()) {
      add(says(pointee.is_const ? Direction::In : Direction::Out, Kind::Buffer), 0.55,
          "'void *' in a call with a blocking flag is host memory the API transfers; its size is not a "
          "parameter (annotate it)");
      return;
    }
    if (c_.has_callback) {
      bool named = names::is_user_data_name(p_.name);
      add(says(Direction::In, Kind::Userdata), named ? 0.8 : 0.6,
          std::string("'void *' beside a callback") + (named ? " and named like user data" : "") +
              ": passed back to the callback, never dereferenced");
      add(claim_nullable(), 0.6, "user data is only handed back to the callback: NULL is fine");
      return;
    }
    if (names::is_user_data_name(p_.name)) {
      add(says(Direction::In, Kind::Userdata), 0.45, "'void *' named like user data");
      return;
    }
    if (names::creates_object(c_.words) && !names::is_ret_name(p_.name)) {
      // Passing the address through would let the server dereference a guest
      // pointer; until someone gives the size the call is not remoted.
      add(says(Direction::In, Kind::Buffer), 0.45,
          "'void *' handed to a constructor with no size beside it: initial contents whose size the prototype "
          "does not give (annotate it)");
      add(claim_nullable(), 0.4, "initial contents passed to a constructor are usually optional");
      return;
    }
    // A fallback, not a finding: weak enough that any real evidence overrules it quietly.
    add(says(Direction::In, Kind::Opaque), 0.35,
        "'void *' with no size beside it: an address passed through (e.g. device memory)");
  }

  void record_pointer(const TypeInfo& pointee) {
    const SizeLink* link = size_link();
    if (link) {
      sized_buffer(*link, pointee.is_const ? Direction::In : Direction::Out, pointee, "array of structs");
      if (!pointee.is_const) maybe_nullable_output();
      return;
    }
    if (!pointee.record_complete) {
      add(says(Direction::In, Kind::Handle), 0.5,
          "pointer to '" + pointee.spelling + "', a struct the header never defines: an opaque object");
      return;
    }
    if (pointee.is_const) {
      add(says(Direction::In, std::nullopt), 0.85, "const pointer to a struct: the API only reads it");
      add(says(std::nullopt, Kind::Element), 0.75, "pointer to one struct with no count beside it: a single value");
    } else {
      add(says(Direction::Out, std::nullopt), 0.6, "non-const pointer to a struct: filled in by the API (inout also possible)");
      add(says(std::nullopt, Kind::Element), 0.75, "pointer to one struct with no count beside it: a single value");
      // A struct the caller owns and hands, non-const, to many calls of the API is
      // shared state (z_stream): each call reads what the caller or an earlier call
      // left in it and updates it.
      if (int uses = c_.state_struct_uses(pointee); uses >= 3 && !names::creates_object(c_.words))
        add(says(Direction::InOut, std::nullopt), 0.7,
            "'" + pointee.spelling + "' is passed by non-const pointer to " + std::to_string(uses) +
                " functions of the API: state the caller keeps, read and updated by each call");
    }
  }

  void scalar_pointer(const TypeInfo& pointee) {
    const SizeLink* link = size_link();
    if (const SizeLink* counts = counted_through_me(); counts && !link) {
      const std::string target = counted_name();
      add(says(pointee.is_const ? Direction::In : Direction::InOut, Kind::Element), counts->weight,
          "gives the length of '" + target + "' through a pointer (two-call idiom): in, the capacity of '" +
              target + "'; out, how many were written (or are available when '" + target + "' is NULL)");
      return;
    }
    if (pointee.is_const) {
      if (link) {
        sized_buffer(*link, Direction::In, pointee, "const array read by the API");
      } else if (names::is_properties_name(p_.name) && pointee.is_integer_like()) {
        AnnotationPatch p = says(Direction::In, Kind::Buffer);
        p.size = "terminated(" + p_.name + ")";
        p.size_unit = SizeUnit::Elements;
        add(p, 0.8, "const integer list named like properties with no count: a 0-terminated property list");
        add(claim_nullable(), 0.5, "property lists are optional (NULL means defaults)");
      } else if (names::is_geometry_name(p_.name) || names::is_plural_name(p_.name)) {
        add(says(Direction::In, Kind::Buffer), 0.5,
            "const pointer named like coordinates or a list, with no count beside it: an array whose length "
            "the prototype does not give (annotate its size)");
      } else {
        add(says(Direction::In, Kind::Element), 0.5, "const pointer to one value with no count beside it");
      }
      return;
    }
    if (link) {
      sized_buffer(*link, Direction::Out, pointee, "non-const array: the API fills it");
      maybe_nullable_output();
      return;
    }
    if (names::is_ret_name(p_.name)) {
      add(says(Direction::Out, Kind::Element), 0.85, "named '*_ret': one value returned through a pointer");
      add(claim_nullable(), 0.6, "'*_ret' outputs are optional by convention (NULL = not wanted)");
      return;
    }
    add(says(Direction::Out, std::nullopt), 0.6, "non-const pointer: the API writes the value (out; inout also possible)");
    add(says(std::nullopt, Kind::Element), names::is_plural_name(p_.name) ? 0.45 : 0.75,
        "pointer to one '" + pointee.spelling + "' with no count beside it: a single value");
    if (c_.count_outputs.count(index_) && two_call_idiom_other_buffer()) maybe_nullable_count();
  }

  bool has_blocking_flag() const {
    for (const auto& p : c_.parsed.params)
      if (!p.type.is_pointer() && names::is_blocking_name(p.name)) return true;
    return false;
  }

  bool two_call_idiom_other_buffer() const {
    for (const auto& [target, link] : c_.sizes) {
      const ParsedParam& p = c_.parsed.params[target];
      if (p.type.pointee && !p.type.pointee->is_const && link.size_param != index_) return true;
    }
    return false;
  }
  void maybe_nullable_count() {
    add(claim_nullable(), 0.45,
        "returns the count of an array the function can also fill (query-then-fill idiom): may be NULL");
  }

  const FunctionContext& c_;
  const ParsedParam& p_;
  std::size_t index_;
  spec::Param& param_;
  std::string location_;
};

}  // namespace

void add_param_evidence(const FunctionContext& context, std::size_t index, spec::Param& param) {
  // A strided vector or a matrix with a leading dimension is one claim (stride_rules.cpp);
  // the rules for lone pointers would call it one element or a plain counted array.
  if (add_stride_evidence(context, index, param)) return;
  ParamRules(context, index, param).run();
}

}  // namespace remora::inference
