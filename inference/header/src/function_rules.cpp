// Function rules: sync mode, barriers, object lifecycle on the return value
// and on released parameters, mapped memory. Evidence on the function is about
// the call (sync, barrier) or its return value (kind, size, allocates).
#include <algorithm>

#include "remora/inference/text_util.h"
#include "queued_work.h"
#include "rules_internal.h"

namespace remora::inference {

using spec::AnnotationPatch;
using spec::Kind;

namespace {

bool is_boolean_like(const TypeInfo& t) {
  if (t.shape == TypeShape::Bool) return true;
  auto words = identifier_words(t.typedef_name);
  return names::has_word(words, "bool") || names::has_word(words, "boolean");
}

// Which parameter a release/destroy/free function releases.
std::optional<std::size_t> released_param(const FunctionContext& c) {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < c.parsed.params.size(); ++i) {
    const TypeInfo& t = c.parsed.params[i].type;
    bool void_pointer = t.is_pointer() && t.pointee && t.pointee->shape == TypeShape::Void;
    bool user_data = c.has_callback && names::is_user_data_name(c.parsed.params[i].name);
    if ((t.is_handle || void_pointer) && !user_data) candidates.push_back(i);
  }
  if (candidates.empty()) return std::nullopt;
  if (candidates.size() == 1) return candidates.front();
  // Prefer the parameter whose name shares a word with the object in the
  // function name (clSVMFree(context, svm_pointer) -> svm_pointer).
  for (std::size_t i : candidates)
    for (const auto& w : identifier_words(c.parsed.params[i].name))
      if (w.size() > 2 && names::has_word(c.words, w)) return i;
  return candidates.front();
}

}  // namespace

std::optional<std::size_t> byte_size_param(const ParsedFunction& f) {
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    const ParsedParam& p = f.params[i];
    if (p.type.shape != TypeShape::Integer || !names::is_size_like(p.name)) continue;
    if (names::names_bytes(p.name)) return i;
  }
  return std::nullopt;
}


// The byte count of a buffer an object lends (lends_buffer): a parameter named for bytes,
// or for a length (`len`: of a `void *`, whose elements have no size, a length is bytes).
std::optional<std::size_t> lent_size_param(const ParsedFunction& f) {
  if (auto bytes = byte_size_param(f)) return bytes;
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    const ParsedParam& p = f.params[i];
    if (p.type.shape == TypeShape::Integer && names::has_any_word(identifier_words(p.name), {"len", "length"}))
      return i;
  }
  return std::nullopt;
}

// A writable `void *` returned by a call that neither maps, unmaps, creates nor releases:
// memory the program uses, which the object-memory rules below tell apart.
bool returns_memory_of_a_call(const ParsedFunction& f, const names::Words& words) {
  const TypeInfo& ret = f.ret;
  if (ret.shape != TypeShape::Pointer || !ret.pointee || ret.pointee->shape != TypeShape::Void || ret.pointee->is_const)
    return false;
  return !names::maps_memory(words) && !names::unmaps_memory(words) && !names::creates_object(words) &&
         !names::releases_object(words);
}

// A function that lends the program a buffer of an object's: it returns a writable
// `void *` (not a map: no unmap ends it; not an allocation: the object keeps it), takes
// the object's handle and a byte count, and its name says buffer. The byte count's index.
std::optional<std::size_t> lent_buffer_size(const ParsedFunction& f, const names::Words& words) {
  if (!returns_memory_of_a_call(f, words) || !names::names_buffer(words)) return std::nullopt;
  const bool has_owner = std::any_of(f.params.begin(), f.params.end(), [](const ParsedParam& p) { return p.type.is_handle; });
  return has_owner ? lent_size_param(f) : std::nullopt;
}

// Memory of an object's that the program uses without the name saying buffer
// (`void *sqlite3_aggregate_context(sqlite3_context *, int nBytes)`: state the program
// keeps there between calls): a writable `void *` returned from a call that takes an
// object (a handle, or a struct the header never defines) and a count named for bytes.
// Its byte count's index. Not an address to pass on: the program writes through it.
std::optional<std::size_t> object_memory_size(const ParsedFunction& f, const names::Words& words) {
  if (!returns_memory_of_a_call(f, words)) return std::nullopt;
  const bool takes_object = std::any_of(f.params.begin(), f.params.end(), [](const ParsedParam& p) {
    return p.type.is_handle || (p.type.is_pointer() && p.type.pointee && p.type.pointee->shape == TypeShape::Record &&
                                !p.type.pointee->record_complete);
  });
  return takes_object ? byte_size_param(f) : std::nullopt;
}

// The returned memory is a buffer of as many bytes as parameter `size` says.
AnnotationPatch returned_bytes(const std::string& size) {
  AnnotationPatch patch;
  patch.kind = Kind::Buffer;
  patch.size = size;
  patch.size_unit = spec::SizeUnit::Bytes;
  return patch;
}

std::string false_constant_for(const ParsedHeader& header, const std::string& bool_type) {
  // cl_bool -> look for CL_FALSE; otherwise any *_FALSE macro equal to 0.
  std::string prefix;
  auto underscore = bool_type.find('_');
  if (underscore != std::string::npos) {
    for (char ch : bool_type.substr(0, underscore + 1)) prefix.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (const ParsedMacro* m = header.find_macro(prefix + "FALSE"); m && m->value && *m->value == 0) return m->name;
  }
  for (const ParsedMacro& m : header.macros) {
    auto words = identifier_words(m.name);
    if (!words.empty() && words.back() == "false" && m.value && *m.value == 0) return m.name;
  }
  return "0";
}

void add_function_evidence(const FunctionContext& c, spec::Function& f) {
  const ParsedFunction& parsed = c.parsed;
  std::string location = c.location(parsed.line);
  auto add = [&](AnnotationPatch patch, double weight, std::string why) {
    f.evidence.push_back(header_evidence(std::move(patch), weight, std::move(why), location));
  };

  if (parsed.variadic) {
    f.supported = false;
    f.unsupported_reason = "variadic function: the arguments after '...' cannot be marshalled from the prototype";
  }
  // A FILE * (a struct of another library, taken by address) is an object of the calling
  // process: its address means nothing to the server's library, which would use it as its
  // own (a crash in the worker). Fusion leaves an Unsupported function so.
  for (const ParsedParam& p : parsed.params) {
    const TypeInfo* pointee = p.type.is_pointer() ? p.type.pointee.get() : nullptr;
    if (!pointee || pointee->shape != TypeShape::Record || !pointee->record_complete ||
        !is_foreign_record(c.header, *pointee))
      continue;
    f.supported = false;
    f.status = spec::ReviewStatus::Unsupported;
    f.unsupported_reason = "'" + p.name + "' is a " + p.type.spelling +
                           " of the calling process (another library's object, such as the C library's FILE): "
                           "the server's library cannot use it";
    break;
  }
  if (parsed.no_prototype && parsed.params.empty()) {
    add(AnnotationPatch{}, 0.6,
        "declared '" + parsed.name + "()' without a prototype: taken as no arguments (how C++ and C23 read it, and "
        "how a library compiled as C++ defines it); if it does take arguments, list them in the spec");
  }

  // Sync: a blocking flag makes the call asynchronous when it is false.
  // (A call that returns a pointer, such as a map, gets the claim too: the stack waits for
  // a return value the caller needs whatever the mode.)
  bool has_blocking_flag = false;
  for (const ParsedParam& p : parsed.params) {
    if (!p.type.is_pointer() && names::is_blocking_name(p.name) && (is_boolean_like(p.type) || p.type.is_integer_like())) {
      std::string false_value = false_constant_for(c.header, p.type.typedef_name);
      AnnotationPatch patch;
      patch.sync = spec::Sync{spec::Sync::Mode::AsyncIf, p.name + " == " + false_value};
      add(patch, 0.8, "boolean parameter '" + p.name + "' says whether the call blocks: asynchronous when it is " + false_value);
      has_blocking_flag = true;
      break;
    }
  }
  if (!has_blocking_flag && names::enqueues_work(c.words)) {
    // Queued work completes after the call returns: the call is asynchronous. The stack
    // still waits where the caller needs something back (an output it reads at once, a
    // return value); otherwise the status surfaces at the next synchronous call
    // (REMORA_STRICT=1 keeps it per call).
    AnnotationPatch patch;
    patch.sync = spec::Sync{spec::Sync::Mode::Async, ""};
    add(patch, 0.5,
        "the name says it queues work (enqueue/launch/async): the work completes after the call returns, so the "
        "call is asynchronous; its status is then reported by the next synchronous call (REMORA_STRICT=1 keeps "
        "it per call; set sync here to keep it always)");
  }
  // (`cuStreamWaitEvent`: the stream waits, not the host; queued_work.cpp.)
  if (names::waits_for_work(c.words) && !names::enqueues_work(c.words) && !queue_waits_for_object(c)) {
    AnnotationPatch patch;
    patch.barrier = true;
    patch.sync = spec::Sync{};
    add(patch, 0.45, "the name says it waits for queued work (finish/synchronize/wait): a barrier, always synchronous");
  }

  // Return value.
  const TypeInfo& ret = parsed.ret;
  if (ret.is_handle) {
    if (names::creates_object(c.words)) {
      add(claim_allocates(), 0.8,
          "returns a '" + ret.typedef_name + "' handle and the name says it creates one: the caller owns a new object");
    } else if (!names::only_queries(c.words)) {
      add(claim_allocates(), 0.4,
          "returns a '" + ret.typedef_name + "' handle from a function that is not a query: likely a new object");
    }
  }
  bool returns_void_pointer = ret.shape == TypeShape::Pointer && ret.pointee && ret.pointee->shape == TypeShape::Void;
  if (returns_void_pointer && names::creates_object(c.words) && !names::maps_memory(c.words))
    add(claim_allocates(), 0.7, "returns 'void *' and the name says it allocates: the caller owns new memory");
  else if (returns_void_pointer && names::reallocates_memory(c.words))
    add(claim_allocates(), 0.7,
        "returns 'void *' and the name says it reallocates: the caller owns the memory it returns (new memory "
        "when the one it resizes is NULL)");
  if (returns_void_pointer && names::maps_memory(c.words) && !names::unmaps_memory(c.words)) {
    f.ret.ann.shadow = "map";
    if (auto size = byte_size_param(parsed)) {
      add(returned_bytes(parsed.params[*size].name), 0.75,
          "a map function returning 'void *' with size parameter '" + parsed.params[*size].name +
              "': the returned memory is a buffer of that many bytes (shadowed in the guest)");
    } else {
      AnnotationPatch patch;
      patch.kind = Kind::Opaque;
      add(patch, 0.4, "a map function returning 'void *' with no size parameter: the mapped size is not in the prototype");
    }
    AnnotationPatch sync;
    sync.sync = spec::Sync{};
    add(sync, 0.6, "a mapped pointer must exist before the call returns: synchronous");
  }
  if (auto size = lent_buffer_size(parsed, c.words)) {
    // `void *XML_GetBuffer(XML_Parser parser, int len)`: memory of the object's that the
    // program fills (or reads) and a later call on the object consumes. No unmap ends it,
    // so it is kept coherent at every call until the object lends another or is released.
    f.ret.ann.shadow = "persistent";
    add(returned_bytes(parsed.params[*size].name), 0.55,
        "returns a writable 'void *' of '" + parsed.params[*size].name +
            "' bytes from an object and the name says buffer: memory the object lends the program (shadowed in "
            "the guest and kept coherent at every call until the object lends another or is released)");
    AnnotationPatch sync;
    sync.sync = spec::Sync{};
    add(sync, 0.6, "a lent buffer must exist before the call returns: synchronous");
  } else if (auto bytes = object_memory_size(parsed, c.words)) {
    // Not known to stay the object's until a later call: no shadow is claimed, and a stack
    // refuses it rather than hand the program a copy its writes never leave.
    add(returned_bytes(parsed.params[*bytes].name), 0.5,
        "returns a writable 'void *' of '" + parsed.params[*bytes].name +
            "' bytes from an object: memory the program writes and reads, not an address to pass on");
  }

  // Lifecycle of parameters: release/destroy/free.
  // Queued frees (enqueue + free) release arrays later; not modelled here.
  if (names::releases_object(c.words) && !names::creates_object(c.words) && !names::enqueues_work(c.words)) {
    if (auto target = released_param(c)) {
      spec::Param& p = f.params[*target];
      p.evidence.push_back(header_evidence(claim_deallocates(), 0.7,
                                           "the name says it releases/destroys/frees an object and '" + p.name +
                                               "' is the object it takes",
                                           c.location(parsed.params[*target].line)));
    }
  }
}

}  // namespace remora::inference
