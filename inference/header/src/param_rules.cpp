// Parameter rules: what a parameter's C type and name say about how it is
// marshalled. Each rule appends one Evidence with a reason a reviewer can check.
#include <cctype>

#include "remora/inference/text_util.h"
#include "rules_internal.h"
#include "stream_bound_arrays.h"

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
    if (p_.defaults_to_null && (t.is_handle || t.is_pointer()))
      add(claim_nullable(), 0.7,
          "the header's C++ declaration gives '" + p_.name + "' a default of 0/NULL: a caller may leave it out");
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
    // (A typedef of an array of structs, such as va_list or jmp_buf, is one opaque value,
    // not a list. One of numbers, libuuid's `typedef unsigned char uuid_t[16]`, is that
    // many numbers whatever else the call takes: its extent is the type's.)
    const bool number_typedef = !t.typedef_name.empty() && (pointee.shape == TypeShape::Integer ||
                                                            pointee.shape == TypeShape::Floating ||
                                                            pointee.shape == TypeShape::Char);
    if (t.shape == TypeShape::Array && t.array_size > 0 && (t.typedef_name.empty() ? !size_link() : number_typedef) &&
        !pointee.is_handle && pointee.shape != TypeShape::Pointer && pointee.shape != TypeShape::Array)
      return fixed_array(pointee, t.array_size, t.is_const || pointee.is_const);
    if (device_data(pointee) && names::is_device_address_name(p_.name))
      return device_address();
    if (pointee.is_handle) return pointer_to_handle(pointee);
    if (is_text_unit(pointee)) return char_pointer(pointee);  // char, or xmlChar-like bytes
    switch (pointee.shape) {
      case TypeShape::Pointer:
      case TypeShape::Array: return pointer_to_pointer(pointee);
      case TypeShape::Void: return void_pointer(pointee);
      case TypeShape::Record: return record_pointer(pointee);
      case TypeShape::Function: return;  // handled above
      default: return scalar_pointer(pointee);
    }
  }

 private:
  bool is_last_handle() const {
    for (std::size_t j = index_ + 1; j < c_.parsed.params.size(); ++j)
      if (c_.parsed.params[j].type.is_handle) return false;
    return true;
  }
  bool mapped_by_counterpart() const {
    std::string name = c_.parsed.name, map_name;
    for (std::size_t at = 0; at + 2 <= name.size(); ++at) {
      if ((name[at] == 'U' || name[at] == 'u') && name[at + 1] == 'n' && name.compare(at + 2, 1, "M") != 0 &&
          name.compare(at + 2, 1, "m") != 0)
        continue;
      if (name[at] == 'U' || name[at] == 'u') {
        map_name = name.substr(0, at) + name.substr(at + 2);
        if (name[at] == 'U') map_name[at] = 'M';
        break;
      }
    }
    for (const ParsedFunction& f : c_.header.functions) {
      if (map_name.empty() || f.name != map_name) continue;
      bool returns_address = false, same_handle = false;
      for (const ParsedParam& q : f.params) {
        const TypeInfo* pointee = q.type.is_pointer() ? q.type.pointee.get() : nullptr;
        const TypeInfo* inner = pointee && pointee->is_pointer() ? pointee->pointee.get() : nullptr;
        returns_address = returns_address || (inner && inner->shape == TypeShape::Void && !pointee->is_const);
        same_handle = same_handle || (q.type.is_handle && q.type.typedef_name == p_.type.typedef_name);
      }
      return returns_address && same_handle;
    }
    return false;
  }
  bool has_address_param() const {
    for (const ParsedParam& q : c_.parsed.params)
      if (q.type.is_pointer() && q.type.pointee && q.type.pointee->shape == TypeShape::Void) return true;
    return false;
  }

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
    if (link.times_param) return name + "*" + c_.parsed.params[*link.times_param].name;
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
    // Two-call enumeration: the first call passes NULL to learn the count. Not where the
    // output is made from an input buffer the call also takes (`compress(dest, &destLen,
    // source, sourceLen)`): its length in is a capacity, not a query.
    if (link.through_pointer && direction == Direction::Out && !transforms_input())
      add(claim_nullable(), 0.55,
          "sized by *" + c_.parsed.params[link.size_param].name +
              " (two-call idiom): NULL asks only for the count, a second call fills the array");
  }

  // Who moves the bytes of a non-const data pointer. C APIs often leave `const` off
  // inputs: the source of a copy (`char *source`), the data of a write call
  // (`BZ2_bzWrite(..., void *buf, int len)`) and option lists (`CUjit_option
  // *options`) are read by the call; anything else non-const is written.
  Direction nonconst_data_direction(bool allow_write_verb) const {
    if (cursor_into_me()) return Direction::InOut;
    if (names::is_source_name(p_.name)) return Direction::In;
    if (names::is_configuration_name(p_.name) && !getter()) return Direction::In;
    if (allow_write_verb && names::writes_data(c_.words) && !has_const_data_input()) return Direction::In;
    return Direction::Out;
  }
  // png_image_write_to_memory(image, void *memory, ..., const void *buffer, ...): a
  // write call that already takes its data through a const pointer writes into the other.
  bool has_const_data_input() const {
    for (std::size_t j = 0; j < c_.parsed.params.size(); ++j) {
      const ParsedParam& q = c_.parsed.params[j];
      if (j != index_ && is_data_pointer(q) && q.type.pointee && q.type.pointee->is_const &&
          (q.type.pointee->shape == TypeShape::Void || q.type.pointee->shape == TypeShape::Char))
        return true;
    }
    return false;
  }
  // A cursor naming this parameter (`uint8_t *out, size_t *out_pos`): the call writes
  // from the position on, and what lies before it stays the program's, so the bytes go
  // in as well as out (an out-only copy would overwrite them with the server's).
  const ParsedParam* cursor_into_me() const {
    for (std::size_t j = 0; j < c_.cursor_of.size(); ++j)
      if (c_.cursor_of[j] == index_) return &c_.parsed.params[j];
    return nullptr;
  }
  std::string nonconst_why(Direction d, const std::string& written) const {
    if (d == Direction::Out) return written;
    if (const ParsedParam* cursor = cursor_into_me())
      return "non-const, with a position in it ('" + cursor->name +
             "'): the call writes from there on and what lies before stays the program's (inout)";
    if (names::is_source_name(p_.name)) return "non-const, but named as the source the call reads ('" + p_.name + "')";
    if (names::is_configuration_name(p_.name))
      return "non-const, but named as options/parameters handed to the call ('" + p_.name + "')";
    return "non-const, but the data of a write/send call: the call reads it";
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

  // A call that is no query and reads a sized input buffer (const, or named as the
  // source): the input it turns into its output.
  bool transforms_input() const {
    if (names::only_queries(c_.words)) return false;  // clGetKernelSubGroupInfo's input_value is a question
    for (const auto& [target, link] : c_.sizes) {
      const ParsedParam& q = c_.parsed.params[target];
      if (target == index_ || !link.field.empty() || !is_data_pointer(q)) continue;
      if ((q.type.pointee && q.type.pointee->is_const) || names::is_source_name(q.name)) return true;
    }
    return false;
  }

  void maybe_nullable_output() {
    if (two_call_idiom() && !transforms_input())
      add(claim_nullable(), 0.5,
          "the function also returns a count through a pointer (query-then-fill idiom): this output may be NULL");
  }

  // `const float blend[4]`: the declared length is the element count.
  // `const uuid_t`: the const of the typedef is its elements'.
  void fixed_array(const TypeInfo& pointee, long long length, bool constant) {
    AnnotationPatch p = says(constant ? Direction::In : Direction::Out, Kind::Buffer);
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
    // vkUnmapMemory(device, memory): an unmap call with no address parameter ends the
    // mappings of the object it names, its last handle (the first ones name its parents),
    // when its map counterpart (the name without "un") returns an address through `void **`
    // and takes a handle of the same type.
    if (names::unmaps_memory(c_.words) && is_last_handle() && !has_address_param() && mapped_by_counterpart()) {
      param_.ann.shadow = "unmap";
      add(says(Direction::In, Kind::Handle), 0.6,
          "the last handle of an unmap function with no address parameter names the mapped object: its mappings end "
          "here (the guest's shadow bytes are written back first)");
    }
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
    if (!link && releases_here() && first_object_argument()) {
      add(says(Direction::In, Kind::Element), 0.85,
          "pointer to the handle a release/destroy call takes back (it may clear the caller's variable)");
      add(claim_deallocates(), 0.6, "the handle passed to a release/destroy call is freed");
      return;
    }
    if (link) {
      sized_buffer(*link, Direction::Out, pointee, "non-const array of handles: the API fills it");
      maybe_nullable_output();
    } else {
      add(says(Direction::Out, Kind::Element), 0.8, "non-const pointer to one handle: the API returns a handle here");
      if (!names::creates_object(c_.words) && extra_output())
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

  // No other parameter is a non-const pointer: in a getter, this is where the answer
  // goes (cuMemPoolGetAttribute's `void *value`), not the key it is looked up by
  // (cudaHostGetFlags(unsigned *pFlags, void *pHost)).
  bool only_output() const {
    for (std::size_t j = 0; j < c_.parsed.params.size(); ++j) {
      const TypeInfo& t = c_.parsed.params[j].type;
      if (j != index_ && t.is_pointer() && !t.is_handle && !t.is_function_pointer() && t.pointee &&
          !t.pointee->is_const)
        return false;
    }
    return true;
  }

  // A get/query verb (not "info", which is also a noun: lzma_file_info_decoder).
  bool getter() const { return names::has_any_word(c_.words, {"get", "query"}); }
  // p, pHost, devPtr, dstptr, baseAddr: the name says the value is an address.
  static bool names_an_address(const std::string& name) {
    std::string lower = to_lower(name);
    for (const char* part : {"ptr", "pointer", "addr", "host", "dev", "mem", "base"})
      if (lower.find(part) != std::string::npos) return true;
    names::Words w = identifier_words(name);
    return !w.empty() && w.front() == "p";
  }

  // The call's verb is a release (not cudaGraphAddMemFreeNode, whose "free" is a noun).
  bool releases_here() const {
    return names::releases_object(c_.words) && !names::creates_object(c_.words) &&
           !names::has_any_word(c_.words, {"add", "get", "set", "query"});
  }

  // An output beside the call's purpose: the event of queued work, an output of a call
  // that returns its result (clCreateBuffer's errcode_ret), or one after another output.
  // The first output of any other call is what it is for (cuModuleGetFunction's function,
  // sqlite3_prepare's statement, nvrtcGetPTXSize's size), not an option.
  bool extra_output() const {
    if (names::enqueues_work(c_.words)) return true;
    const TypeInfo& ret = c_.parsed.ret;
    return ret.is_handle || ret.shape == TypeShape::Pointer || earlier_output();
  }

  // Another output comes before this parameter.
  bool earlier_output() const {
    for (std::size_t j = 0; j < index_; ++j) {
      const TypeInfo& t = c_.parsed.params[j].type;
      if (t.is_pointer() && !t.is_handle && !t.is_function_pointer() && t.pointee && !t.pointee->is_const) return true;
    }
    return false;
  }

  // No handle comes before this parameter: it is the object a release call takes
  // (nvrtcDestroyProgram(nvrtcProgram *prog)), not an output of the call
  // (clEnqueueSVMFree(queue, ..., cl_event *event)).
  bool first_object_argument() const {
    for (std::size_t j = 0; j < index_; ++j) {
      const TypeInfo& t = c_.parsed.params[j].type;
      if (t.is_handle || (t.pointee && t.pointee->is_handle)) return false;
    }
    return true;
  }

  // The function that reports this output's size (`nvrtcGetPTX(prog, char *ptx)` and
  // `nvrtcGetPTXSize(prog, size_t *ptxSizeRet)`; `__nvJitLinkGetLinkedCubin_13_0` and
  // `..CubinSize_13_0`): the same name with "Size" before any version suffix, the same
  // leading parameters, and one integer written where this call writes its data. Its
  // answer is the size: query(sibling, leading parameters). False when there is none.
  bool sized_by_sibling_query() {
    const ParsedFunction& f = c_.parsed;
    if (index_ + 1 != f.params.size() || index_ == 0) return false;
    std::string base = f.name, version;
    std::size_t cut = base.size();
    while (cut > 0) {  // a trailing _13_0 (a versioned symbol)
      std::size_t digits = cut;
      while (digits > 0 && std::isdigit(static_cast<unsigned char>(base[digits - 1]))) --digits;
      if (digits == cut || digits == 0 || base[digits - 1] != '_') break;
      cut = digits - 1;
    }
    version = base.substr(cut);
    base = base.substr(0, cut);
    for (const std::string& name : {base + "Size" + version, base + "_size" + version}) {
      const ParsedFunction* sibling = c_.header.find_function(name);
      if (!sibling || sibling->params.size() != f.params.size()) continue;
      bool same = true;
      for (std::size_t j = 0; j < index_ && same; ++j)
        same = sibling->params[j].type.spelling == f.params[j].type.spelling;
      const TypeInfo& answer = sibling->params[index_].type;
      if (!same || !answer.is_pointer() || !answer.pointee || answer.pointee->is_const ||
          answer.pointee->shape != TypeShape::Integer)
        continue;
      std::string expr = "query(" + name;
      for (std::size_t j = 0; j < index_; ++j) expr += ", " + f.params[j].name;
      AnnotationPatch patch = says(Direction::Out, Kind::Buffer);
      patch.size = expr + ")";
      patch.size_unit = spec::SizeUnit::Bytes;
      add(patch, 0.6,
          "'" + name + "' takes the same arguments and writes one integer where this call writes its data: the "
          "size of what this call writes, asked first (two functions for the query-then-fill idiom)");
      return true;
    }
    return false;
  }


  void char_pointer(const TypeInfo& pointee) {
    const SizeLink* link = size_link();
    if (pointee.is_const) {
      add(says(Direction::In, Kind::String), link ? 0.5 : 0.85, "'const char *' is a NUL-terminated input string");
      if (link) sized_buffer(*link, Direction::In, pointee, "char array with a length beside it");
      return;
    }
    if (link) {
      Direction d = nonconst_data_direction(true);
      sized_buffer(*link, d, pointee,
                   nonconst_why(d, "non-const char array with a capacity beside it: the API writes a string"));
      return;
    }
    if (names::is_source_name(p_.name)) {
      add(says(Direction::In, Kind::String), 0.5, "non-const 'char *' named as a source: a string the call reads");
      return;
    }
    if (sized_by_sibling_query()) return;
    // Marshalling needs the capacity of what the call fills: without one the call
    // cannot be remoted until someone gives it (often a size a previous call returned).
    add(says(Direction::Out, Kind::Buffer), 0.4,
        "non-const 'char *' with no capacity beside it: characters the call writes, into a buffer whose size "
        "the prototype does not give (annotate it)");
  }

  // sqlite3_free_table(char **result), cudaFreeHost(void *ptr): what a free call
  // takes back is memory the API handed out earlier; only its address matters.
  bool released_address() {
    if (size_link() || !releases_here() || !first_object_argument())
      return false;
    for (std::size_t j = 0; j < index_; ++j)
      if (is_data_pointer(c_.parsed.params[j])) return false;
    add(says(Direction::In, Kind::Opaque), 0.65,
        "the memory a free/release call takes back: an address the API handed out, not data it reads");
    add(claim_deallocates(), 0.55, "freed by the call");
    return true;
  }

  void pointer_to_pointer(const TypeInfo& pointee) {
    const TypeInfo* inner = pointee.pointee.get();
    const SizeLink* link = size_link();
    if (inner && inner->shape != TypeShape::Pointer && !inner->is_handle && released_address()) return;
    bool inner_const = inner && inner->is_const;
    if (inner && is_text_unit(*inner)) {
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
    // (before the size link: `size` is the mapping's extent, not a count of pointers)
    if (inner && inner->shape == TypeShape::Void && names::maps_memory(c_.words) &&
        !names::unmaps_memory(c_.words) && !pointee.is_const) {
      if (auto size = byte_size_param(c_.parsed)) return mapped_pointer_out(c_.parsed.params[*size].name);
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

  // vkMapMemory(device, memory, offset, size, flags, void **ppData): a map call that
  // returns the mapped address through an out parameter. The address is of `size`
  // bytes the program reads and writes in place, across later calls, until the unmap
  // (a persistent mapping): the pointee is a guest shadow of the mapping (shadow map).
  void mapped_pointer_out(const std::string& size) {
    add(says(Direction::Out, Kind::Element), 0.75, "'void **' of a map function: the API returns the mapped address here");
    AnnotationPatch element;
    element.element_kind = Kind::Buffer;
    element.element_size = size;
    element.element_size_unit = SizeUnit::Bytes;
    add(element, 0.7,
        "the returned address is mapped memory of '" + size +
            "' bytes that the program reads and writes until the unmap (a persistent mapping, shadowed in the guest)");
    if (!param_.ann.element) param_.ann.element = spec::Box<spec::Annotation>(spec::Annotation{});
    param_.ann.element->shadow = "map";
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
    if (names::is_code_address_name(p_.name)) {
      add(says(Direction::In, Kind::Opaque), 0.7,
          "'void *' named as the address of a symbol or function ('" + p_.name +
              "'): the API looks the address up, it never copies bytes from it");
      return;
    }
    if (released_address()) return;
    if (!link && !pointee.is_const && sized_by_sibling_query()) return;
    if (names::registers_memory(c_.words) && !c_.has_callback && !names::is_user_data_name(p_.name)) {
      add(says(Direction::In, Kind::Opaque), 0.65,
          "a register/pin call takes a memory range to page-lock or map: the address and length matter, "
          "its bytes are neither read nor written by the call");
      return;
    }
    // `callback, void *data, uint32_t private_segment_size` (hsa_queue_create): a writable
    // `void *` right after a callback is that callback's user data, and an integer after
    // it that names something else does not make it a buffer.
    if (link && c_.has_callback && !pointee.is_const && index_ > 0 &&
        c_.parsed.params[index_ - 1].type.is_function_pointer() &&
        names_something_else(c_.parsed.params[link->size_param].name, p_.name)) {
      user_data(0.6, "'void *' right after a callback, and '" + c_.parsed.params[link->size_param].name +
                         "' after it names something else: the callback's user data, never dereferenced");
      return;
    }
    if (link) {
      // dstHost, srcHost: the name puts the sized memory on the caller's side, whatever
      // a copy-pasted doc line says ("Destination device pointer").
      if (names::has_word(identifier_words(p_.name), "host"))
        add(says(std::nullopt, Kind::Buffer), 0.5, "named as host memory ('" + p_.name + "') with a size: bytes the call moves");
      if (pointee.is_const) {
        sized_buffer(*link, Direction::In, pointee, "'const void *' is read by the API");
      } else if (names::creates_object(c_.words)) {
        sized_buffer(*link, Direction::In, pointee, "data handed to a constructor is the new object's initial contents");
        add(claim_nullable(), 0.4, "initial contents passed to a constructor are usually optional");
      } else {
        Direction d = nonconst_data_direction(true);
        sized_buffer(*link, d, pointee, nonconst_why(d, "non-const 'void *' with a size: the API writes into it"));
        if (d == Direction::Out) maybe_nullable_output();
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
      user_data(named ? 0.8 : 0.6, std::string("'void *' beside a callback") + (named ? " and named like user data" : "") +
                                       ": passed back to the callback, never dereferenced");
      return;
    }
    if (!pointee.is_const && getter() && !names::is_ret_name(p_.name) && only_output()) {
      add(says(Direction::Out, Kind::Buffer), 0.55,
          "non-const 'void *' of a get/query call: where the value asked for is written; its size depends on "
          "what is asked (annotate it)");
      return;
    }
    // Beside other outputs a getter's `void *` may be the address asked about
    // (cuMemHostGetFlags(pFlags, void *p)); one named as neither address nor pointer
    // (cudnnGetRNNDataDescriptor's `paddingFill`) is where a value is written.
    if (!pointee.is_const && getter() && !names::is_ret_name(p_.name) && p_.type.typedef_name.empty() &&
        !names_an_address(p_.name)) {
      add(says(Direction::Out, Kind::Buffer), 0.5,
          "non-const 'void *' of a get/query call, not named as an address: where a value asked for is written; "
          "its size depends on what is asked (annotate it)");
      return;
    }
    if (names::is_user_data_name(p_.name)) {
      add(says(Direction::In, Kind::Userdata), 0.45, "'void *' named like user data");
      return;
    }
    if (pointee.is_const && c_.produces_handle && !names::is_ret_name(p_.name)) {
      add(says(Direction::In, Kind::Buffer), 0.5,
          "'const void *' read by a call that hands back a new object (a module loaded from memory, the event of a "
          "command): "
          "the bytes it is built from, whose size the prototype does not give (annotate it)");
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
    // Image data by its name (OpenGL's `const GLvoid *pixels` of glTexImage2D, the `pixels`
    // glReadPixels writes): bytes the call reads or writes, never an address to pass on
    // (the server would read or write the program's address in its own memory). Unsized,
    // the call is refused until a size is given.
    if (names::has_any_word(identifier_words(p_.name), {"pixels", "texels", "bitmap"})) {
      add(says(pointee.is_const ? Direction::In : Direction::Out, Kind::Buffer), 0.5,
          "'void *' named as image data ('" + p_.name +
              "'): bytes the call reads or writes, whose size the prototype does not give (annotate it)");
      return;
    }
    // A fallback, not a finding: weak enough that any real evidence overrules it quietly.
    add(says(Direction::In, Kind::Opaque), 0.35,
        "'void *' with no size beside it: an address passed through (e.g. device memory)");
  }

  // A callback's user data, which the API only hands back: NULL is fine.
  void user_data(double weight, const std::string& why) {
    add(says(Direction::In, Kind::Userdata), weight, why);
    add(claim_nullable(), 0.6, "user data is only handed back to the callback: NULL is fine");
  }

  void record_pointer(const TypeInfo& pointee) {
    // First: C cannot make an array of a struct it has no size for, so an integer beside
    // it never counts its elements (`sqlite3_aggregate_context(sqlite3_context *, int nBytes)`).
    if (!pointee.record_complete) {
      add(says(Direction::In, Kind::Handle), 0.5,
          "pointer to '" + pointee.spelling + "', a struct the header never defines: an opaque object");
      return;
    }
    if (const SizeLink* link = size_link()) {
      sized_buffer(*link, pointee.is_const ? Direction::In : Direction::Out, pointee, "array of structs");
      if (!pointee.is_const) maybe_nullable_output();
      return;
    }
    if (pointee.is_const) {
      add(says(Direction::In, std::nullopt), 0.85, "const pointer to a struct: the API only reads it");
      add(says(std::nullopt, Kind::Element), 0.75, "pointer to one struct with no count beside it: a single value");
      return;
    }
    if (is_foreign_record(c_.header, pointee)) {
      // FILE *: a struct of another library (the C library) that the API's headers
      // only use. Its address means something in the calling process only.
      add(says(Direction::In, Kind::Opaque), 0.75,
          "pointer to '" + pointee.spelling +
              "', a struct the API's headers do not define (another library's object, e.g. the C library's FILE): "
              "an object of the calling process, passed by address");
      return;
    }
    add(says(Direction::Out, std::nullopt), 0.6, "non-const pointer to a struct: filled in by the API (inout also possible)");
    add(says(std::nullopt, Kind::Element), 0.75, "pointer to one struct with no count beside it: a single value");
    // (A struct named options is as often filled in: lzma_lzma_preset(options, preset).)
    if (names::is_configuration_name(p_.name) && !names::identifier_words_end_with(p_.name, "options") && !getter()) {
      add(says(Direction::In, std::nullopt), 0.7,
          "named as parameters/options handed to the call ('" + p_.name + "'), and the call is not a getter");
      return;
    }
    // A struct the caller owns and hands, non-const, to many calls of the API is
    // shared state (z_stream): each call reads what the caller or an earlier call
    // left in it and updates it.
    int uses = c_.state_struct_uses(pointee);
    if (uses >= 3 && !names::creates_object(c_.words)) {
      std::string state = "'" + pointee.spelling + "' is passed by non-const pointer to " + std::to_string(uses) +
                          " functions of the API: state the caller keeps";
      if (names::is_destination_name(p_.name) && has_source_sibling(pointee))
        add(says(Direction::Out, std::nullopt), 0.8, state + "; this is the destination of a copy from '" +
                                                        source_sibling(pointee) + "', written whole");
      else if (names::is_source_name(p_.name))
        add(says(Direction::In, std::nullopt), 0.8, state + "; this one is the source the call copies from");
      else if ((getter() && !only_output()) || c_.returns_computed_value())
        add(says(Direction::In, std::nullopt), 0.72,
            state + "; a get/query call whose answer goes elsewhere (or one returning a computed value, not a "
                    "status) reads it");
      else
        add(says(Direction::InOut, std::nullopt), 0.7, state + ", read and updated by each call");
      return;
    }
    // deflateSetHeader(strm, gz_header *head): what a setter is given is read.
    if (index_ > 0 && names::has_word(c_.words, "set") && !getter())
      add(says(Direction::In, std::nullopt), 0.7,
          "the value a set call is given (not its first, object argument): read by the call");
  }

  // An object of the C library that the API only passes along: a struct whose tag C
  // reserves for the implementation (`struct _IO_FILE`, `struct __sFILE`: FILE),
  // declared outside the headers that declare the API's functions. A plain value
  // struct of the C library (`cpu_set_t`, an array of bits) is copyable: not this rule.
  std::string source_sibling(const TypeInfo& record) const {
    for (const ParsedParam& q : c_.parsed.params)
      if (&q != &p_ && q.type.pointee && q.type.pointee->record_name == record.record_name &&
          names::is_source_name(q.name))
        return q.name;
    return "";
  }
  bool has_source_sibling(const TypeInfo& record) const { return !source_sibling(record).empty(); }

  // An array of an integer type made to hold pointers (intptr_t or uintptr_t, through the
  // API's typedefs: cl_context_properties): the API chose it so that a value may be an
  // object (a property list naming a platform), so its words may be handles among plain
  // numbers, which the stack must translate (Annotation::may_hold_handles).
  void pointer_holding_integers() {
    for (const spec::CType* t = spec::pointee_of(p_.ctype); t && t->kind == spec::CTypeKind::Typedef; t = t->to.get()) {
      if (t->name != "intptr_t" && t->name != "uintptr_t") continue;
      AnnotationPatch p;
      p.may_hold_handles = true;
      add(p, 0.7,
          "its elements are " + t->name + " (an integer type made to hold a pointer): a value in the list may be "
          "an object of the API among plain numbers");
      return;
    }
  }

  void scalar_pointer(const TypeInfo& pointee) {
    pointer_holding_integers();
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
      } else if (points_to_bytes()) {
        add(says(Direction::In, Kind::Buffer), 0.5, kBytesWhy);
      } else {
        add(says(Direction::In, Kind::Element), 0.5, "const pointer to one value with no count beside it");
      }
      return;
    }
    if (link) {
      Direction d = nonconst_data_direction(false);
      sized_buffer(*link, d, pointee, nonconst_why(d, "non-const array: the API fills it"));
      if (d == Direction::Out) maybe_nullable_output();
      return;
    }
    if (names::exchanges_value(c_.words)) {
      add(says(Direction::InOut, Kind::Element), 0.7,
          "an exchange/swap call reads the value given here and writes back the previous one");
      return;
    }
    if (c_.is_cursor(index_)) {
      add(says(Direction::InOut, Kind::Element), 0.65,
          "a position in another parameter's data (named like 'out_pos' beside 'out'): the call reads where to "
          "start and writes where it stopped");
      return;
    }
    if (names::is_ret_name(p_.name)) {
      add(says(Direction::Out, Kind::Element), 0.85, "named '*_ret': one value returned through a pointer");
      if (extra_output()) add(claim_nullable(), 0.6, "'*_ret' outputs are optional by convention (NULL = not wanted)");
      return;
    }
    add(says(Direction::Out, std::nullopt), 0.6, "non-const pointer: the API writes the value (out; inout also possible)");
    // supportedArchs: a plural name is a list, even when its length comes from
    // another call; copying one element back would lose the rest.
    if (points_to_bytes())
      add(says(std::nullopt, Kind::Buffer), 0.5, kBytesWhy);
    else if (names::is_plural_name(p_.name) && !names_a_unit(p_.name) && !names_a_mask(pointee) &&
        (!names::is_size_like(p_.name) ||
         names::has_any_word({identifier_words(p_.name).back()}, {"sizes", "lengths", "counts"})))
      add(says(std::nullopt, Kind::Buffer), 0.5,
          "plural name and no count beside it: an array whose length the prototype does not give (annotate it)");
    else
      add(says(std::nullopt, Kind::Element), 0.75,
          "pointer to one '" + pointee.spelling + "' with no count beside it: a single value");
    if (c_.count_outputs.count(index_) && two_call_idiom_other_buffer()) maybe_nullable_count();
    // CUdeviceptr *dptr of cuMemAlloc: an address held in an integer, the new memory's.
    if (names::creates_object(c_.words) && !earlier_output() &&
        (holds_an_address(pointee) || names::is_device_address_name(p_.name)))
      add(claim_allocates(), 0.6,
          "an alloc/create-like function returns the new memory's address here ('" + pointee.spelling + "')");
  }

  // A pointer to 1-byte integers (unsigned char, uint8_t, Bytef) with no length beside it:
  // bytes (a key, a hash, a nonce) whose length the prototype does not give. C passes one
  // byte by value, so calling it one element would copy a single byte of a 32-byte key;
  // as a buffer without a size the stack refuses the call until someone gives the size.
  static constexpr const char* kBytesWhy =
      "pointer to 1-byte integers with no length beside it: byte data (one byte is passed by value), "
      "whose length the prototype does not give (annotate it)";
  bool points_to_bytes() const {
    const spec::CType* to = spec::pointee_of(p_.ctype);
    return to && spec::is_byte_integer(*to) && !spec::is_named_boolean(*to);  // ze_bool_t *value: one flag
  }

  // An integer type named as an address (CUdeviceptr, hipDeviceptr_t, uintptr_t).
  static bool holds_an_address(const TypeInfo& t) {
    if (!t.is_integer_like() || t.typedef_name.empty()) return false;
    std::string name = to_lower(t.typedef_name);
    if (name.ends_with("_t")) name.resize(name.size() - 2);
    return name.ends_with("ptr") || name.ends_with("addr") || name.ends_with("address") || name.ends_with("pointer");
  }

  // pMilliseconds, symbolStatus: one quantity or state spelled in the plural.
  static bool names_a_unit(const std::string& name) {
    names::Words w = identifier_words(name);
    if (!w.empty() && w.back().size() >= 6 && w.back().compare(w.back().size() - 6, 6, "status") == 0)
      return true;  // rstatus
    return !w.empty() && names::has_any_word({w.back()}, {"seconds", "milliseconds", "microseconds", "nanoseconds",
                                                          "ms", "us", "ns", "ticks", "cycles", "status", "bits",
                                                          "bytes", "elements"});
  }

  // VkPeerMemoryFeatureFlags *pPeerMemoryFeatures: a set of bits is one value.
  static bool names_a_mask(const TypeInfo& pointee) {
    names::Words w = identifier_words(pointee.typedef_name);
    return names::has_any_word(w, {"flags", "mask", "bits", "bitmask"});
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
  // Device memory whatever its C type: no host-buffer rule applies to it.
  if (add_stream_bound_array_evidence(context, index, param)) return;
  // A strided vector or a matrix with a leading dimension is one claim (stride_rules.cpp);
  // the rules for lone pointers would call it one element or a plain counted array.
  if (add_stride_evidence(context, index, param)) return;
  ParamRules(context, index, param).run();
}

}  // namespace remora::inference
