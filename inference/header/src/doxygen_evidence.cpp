#include "remora/inference/doxygen_evidence.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <regex>

#include "image_formats.h"
#include "remora/inference/text_util.h"
#include "remora/spec/ctype.h"

namespace remora::inference {

using spec::AnnotationPatch;
using spec::Direction;
using spec::Kind;

namespace {

bool contains(const std::string& haystack, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (haystack.find(n) != std::string::npos) return true;
  return false;
}

// The sentence of `text` that holds `needle` (quoted as the reason).
std::string sentence_with(const std::string& text, const std::string& lower, const std::string& needle) {
  auto at = lower.find(needle);
  if (at == std::string::npos) return utf8_truncate(text, 160);
  return sentence_around(text, at);
}

const char* first_found(const std::string& lower, std::initializer_list<const char*> needles) {
  for (const char* n : needles)
    if (lower.find(n) != std::string::npos) return n;
  return nullptr;
}

class DocRules {
 public:
  DocRules(spec::Function& f, const ParsedFunction& parsed, const ParsedHeader& header)
      : f_(f), parsed_(parsed), header_(header) {
    location_ = parsed.doc.file + ":" + std::to_string(parsed.doc.line);
  }

  void run() {
    if (f_.doc.empty()) f_.doc = parsed_.doc.brief;
    std::vector<DocParam> params = parsed_.doc.params;
    // A parameter's own trailing comment stands for a \param the block did not give.
    for (const ParsedParam& pp : parsed_.params) {
      if (!pp.trailing_doc) continue;
      bool documented = std::any_of(params.begin(), params.end(), [&](const DocParam& d) { return d.name == pp.name; });
      if (!documented) params.push_back(*pp.trailing_doc);
    }
    for (const DocParam& dp : params) {
      spec::Param* p = f_.find_param(dp.name);
      if (p) param_rules(*p, dp);
    }
    for (const DocParam& dp : params) {
      spec::Param* p = f_.find_param(dp.name);
      if (p) size_unit_rule(*p, dp);
    }
    for (const DocParam& dp : params) {
      spec::Param* p = f_.find_param(dp.name);
      if (p) stated_bytes_rule(*p, dp);
    }
    function_rules();
  }

 private:
  void add(spec::Param& p, AnnotationPatch says, double weight, const std::string& quote, const std::string& reading) {
    spec::Evidence e;
    e.source = spec::EvidenceSource::Docs;
    e.says = std::move(says);
    e.weight = weight;
    e.why = "\"" + quote + "\" (" + reading + ")";
    e.location = location_;
    p.evidence.push_back(std::move(e));
  }

  static AnnotationPatch direction(Direction d) {
    AnnotationPatch p;
    p.direction = d;
    return p;
  }

  // The words that begin a description of the value going out, where the same text also
  // describes the value going in ("in: ... out: ...", "on input ... on output ...", "on
  // entry ... on exit/return ..."), else nullptr.
  static const char* roles_in_and_out(const std::string& lower) {
    static constexpr std::pair<const char*, std::array<const char*, 2>> kPairs[] = {
        {"in:", {"out:", "out :"}},
        {"on input", {"on output", "on return"}},
        {"on entry", {"on exit", "on return"}},
    };
    for (const auto& [in, outs] : kPairs) {
      const std::size_t at = lower.find(in);
      if (at == std::string::npos || (at > 0 && std::isalpha(static_cast<unsigned char>(lower[at - 1])))) continue;
      for (const char* out : outs)
        if (const std::size_t o = lower.find(out, at); o != std::string::npos) return out;
    }
    return nullptr;
  }

  void param_rules(spec::Param& p, const DocParam& dp) {
    bool pointer = p.type.find('*') != std::string::npos || p.type.find('[') != std::string::npos;
    bool pointer_to_pointer = p.type.find("**") != std::string::npos || p.type.find("* *") != std::string::npos;
    std::string lower = to_lower(dp.text);
    std::string quote = utf8_truncate(dp.text, 200);
    // "returned by cudaIpcOpenMemHandle" is where the value came from, not an output.
    for (auto at = lower.find("returned by"); at != std::string::npos; at = lower.find("returned by", at))
      lower.replace(at, 11, "from_call__");

    if (!dp.direction.empty() && pointer) {
      Direction d = dp.direction == "out" ? Direction::Out : dp.direction == "in" ? Direction::In : Direction::InOut;
      add(p, direction(d), 0.85, "\\param[" + dp.direction + "] " + dp.name + " " + quote, "explicit Doxygen direction");
    }
    if (!pointer) return;

    // "The value pointed by this pointer is modified if and only if LZMA_MEMLIMIT_ERROR is
    // returned", "*out_pos is updated only if encoding succeeds": written only in some cases,
    // so the value the program put there is read or kept otherwise (a limit, a position).
    // Checked first: the condition's "is returned" is about the call's result. Not where
    // the old contents are said not to matter ("doesn't need to be initialized"): out.
    const bool old_ignored = contains(lower, {"old contents are ignored", "need to be initialized",
                                              "need not be initialized", "needn't be initialized",
                                              "may be uninitialized", "can be uninitialized"});
    const char* sometimes = old_ignored ? nullptr
                                        : first_found(lower, {"is modified if", "is modified only if",
                                                              "modified if and only if", "is updated if",
                                                              "is updated only if", "may be modified",
                                                              "may be updated"});
    if (sometimes)
      add(p, direction(Direction::InOut), 0.7, sentence_with(dp.text, lower, sometimes),
          "written only in some cases: the program's value stays otherwise");
    // "in: number of bytes caller is ready to take ...; out: amount of data ..." (Brotli's
    // `size_t *size`): what it holds going in and coming out, read and then written. Its
    // output words are part of that, not a second sign of an output.
    const char* both = sometimes ? nullptr : roles_in_and_out(lower);
    if (both)
      add(p, direction(Direction::InOut), 0.8, sentence_with(dp.text, lower, both),
          "says what it holds on input and on output");
    if (const char* n = sometimes || both ? nullptr
                                  : first_found(lower, {"returns ", "returned", "to return", "will be returned",
                                                        "is returned", "pointer to allocated", "written", "receives",
                                                        "output"})) {
      add(p, direction(Direction::Out), 0.65, sentence_with(dp.text, lower, n), "says the API hands a value back here");
      // "Returned number of devices" on a pointer to one scalar: one value.
      bool scalar_pointee = !pointer_to_pointer && p.type.find("void") == std::string::npos &&
                            p.type.find("char") == std::string::npos && !p.ann.element;
      if (scalar_pointee && !contains(lower, {"each", "array", "list", " per "})) {
        AnnotationPatch one;
        one.kind = Kind::Element;
        add(p, one, 0.45, sentence_with(dp.text, lower, n), "describes one returned value");
      }
    } else if (const char* n = first_found(lower, {"destination"})) {
      add(p, direction(Direction::Out), 0.35, sentence_with(dp.text, lower, n), "a destination is written");
    } else if (const char* n = first_found(lower, {"source", "input"})) {
      add(p, direction(Direction::In), 0.35, sentence_with(dp.text, lower, n), "a source is read");
    }
    if (const char* n = first_found(lower, {"may be null", "can be null", "or null", "optional", "if null"})) {
      AnnotationPatch patch;
      patch.nullable = true;
      add(p, patch, 0.6, sentence_with(dp.text, lower, n), "says NULL is allowed");
    }
    if (const char* n = first_found(lower, {"pointer to allocated", "newly allocated", "newly created", "created "})) {
      AnnotationPatch patch;
      patch.allocates = true;
      add(p, patch, 0.5, sentence_with(dp.text, lower, n), "says the object is new");
    }
    bool void_pointer = p.type.rfind("void", 0) == 0 || p.type.rfind("const void", 0) == 0;
    bool handle_pointee = p.ann.element && p.ann.element->kind == Kind::Handle;
    // Only the first sentence describes the parameter itself ("See X for the
    // list of valid flags" later on is about something else).
    std::string first = lower.substr(0, std::min(lower.find(". "), lower.size()));
    bool one_value = first.rfind("pointer to a ", 0) == 0 || first.rfind("pointer to an ", 0) == 0;
    const char* array_phrase = one_value ? nullptr : first_found(first, {"array of ", "list of ", "array containing"});
    if (array_phrase && !handle_pointee && !p.ann.handle_type.size()) {
      const char* n = array_phrase;
      AnnotationPatch patch;
      patch.kind = Kind::Buffer;
      add(p, patch, 0.5, sentence_with(dp.text, lower, n), "describes an array");
    } else if (!void_pointer && !pointer_to_pointer) {
      if (const char* n = first_found(lower, {"pointer to a ", "pointer to an "})) {
        AnnotationPatch patch;
        patch.kind = Kind::Element;
        add(p, patch, 0.5, sentence_with(dp.text, lower, n), "describes one value");
      }
    }
    // "Returned device pointer" describes an address written into a host variable.
    if (!void_pointer && !pointer_to_pointer && !p.ann.element && p.ann.handle_type.empty() &&
        first.find("host") == std::string::npos &&
        first.find("return") == std::string::npos && first.find("output") == std::string::npos) {
      // A typed pointer (float *x) whose own description puts it in device memory:
      // an address the host never dereferences. Only the first sentence counts, and
      // any mention of host memory there leaves it to other evidence.
      if (const char* n = first_found(first, {"pointer to device memory", "device pointer", "in device memory",
                                              "device memory pointer", "device address"})) {
        AnnotationPatch patch;
        patch.kind = Kind::Opaque;
        add(p, patch, 0.55, sentence_with(dp.text, lower, n),
            "typed, but in device memory: an address on the server, passed through, never copied");
      }
    }
    // "Pointer to device memory to store CUDA-generated results, or Pointer to host
    // memory to store CPU-generated results": which memory depends on a property of
    // another argument (the generator), so only the address is certain, as for a copy
    // whose direction is a runtime value. Copying it as host memory would fault or
    // read garbage for the device case.
    if (!pointer_to_pointer && p.ann.handle_type.empty()) {
      const char* device = first_found(first, {"device memory", "device pointer"});
      std::size_t alternative = device ? first.find(" or ", first.find(device)) : std::string::npos;
      if (device && alternative != std::string::npos &&
          first.find("host memory", alternative) != std::string::npos) {
        AnnotationPatch patch;
        patch.kind = Kind::Opaque;
        patch.direction = Direction::In;
        add(p, patch, 0.6, sentence_with(dp.text, lower, device),
            "device memory or host memory depending on another argument: an address passed through");
      }
    }
    if (void_pointer) {
      if (const char* n = first_found(lower, {"device pointer", "device memory", "device address", "device symbol", "symbol address"})) {
        AnnotationPatch patch;
        if (pointer_to_pointer) patch.element_kind = Kind::Opaque;
        else patch.kind = Kind::Opaque;
        add(p, patch, 0.5, sentence_with(dp.text, lower, n),
            "device memory is an address on the server, passed through, never copied");
      }
    }
    // An untyped input documented as a format that carries its own length (a fat
    // binary, a cubin, a NUL-terminated PTX): the runtime measures it from its bytes.
    // Only where nothing else sizes it: a size argument is the program's own word.
    bool sized = !p.ann.size.empty();
    for (const auto& e : p.evidence) sized |= e.says.size.has_value();
    if (p.type.rfind("const void", 0) == 0 && !pointer_to_pointer && !sized) {
      ImageFormats formats = image_formats_for(p.name, parsed_.doc.body, dp.text);
      if (!formats.formats.empty()) {
        AnnotationPatch patch;
        patch.kind = Kind::Buffer;
        patch.direction = Direction::In;
        std::string size = "measured(" + p.name;
        for (const auto& fmt : formats.formats) size += ", " + fmt;
        patch.size = size + ")";
        patch.size_unit = spec::SizeUnit::Bytes;
        std::string list;
        for (const auto& fmt : formats.formats) list += (list.empty() ? "" : ", ") + fmt;
        add(p, patch, 0.7, formats.quote,
            "an image in a format that carries its own length (" + list + "): its bytes are measured, not counted");
      }
    }
    if (p.type.rfind("const char", 0) == 0 && !pointer_to_pointer) {
      if (const char* n = first_found(lower, {"string", "name"})) {
        AnnotationPatch patch;
        patch.kind = Kind::String;
        add(p, patch, 0.45, sentence_with(dp.text, lower, n), "a character string");
      }
    }
  }

  // "Beginning of the output buffer of LZMA_STREAM_HEADER_SIZE bytes", "This must be at
  // least block->header_size bytes": a byte pointer whose text states how many bytes it
  // holds, as an integer constant of the header (its value), a number, or a member of
  // another parameter (`p->field`, read by the size language as it is).
  void stated_bytes_rule(spec::Param& p, const DocParam& dp) {
    const spec::CType* to = p.ctype.empty() ? nullptr : spec::pointee_of(p.ctype);
    if (!to || !(spec::bare(*to).kind == spec::CTypeKind::Void || spec::is_byte_integer(*to))) return;
    static const std::regex stated(R"(\b(?:of|least|most|is|be|exactly)\s+([A-Za-z_]\w*(?:->[A-Za-z_]\w*)?|\d+)\s+bytes\b)");
    std::smatch m;
    if (!std::regex_search(dp.text, m, stated)) return;
    const std::string what = m[1].str();
    std::string size;
    std::string reading;
    if (std::isdigit(static_cast<unsigned char>(what[0]))) {
      size = what;
      reading = "states its size in bytes";
    } else if (const std::size_t arrow = what.find("->"); arrow != std::string::npos) {
      const spec::Param* owner = f_.find_param(what.substr(0, arrow));
      if (!owner || owner == &p || owner->type.find('*') == std::string::npos) return;
      size = what;
      reading = "states its size in bytes: a member of '" + owner->name + "'";
    } else if (const ParsedMacro* macro = header_.find_macro(what); macro && macro->value && *macro->value > 0) {
      size = std::to_string(*macro->value);
      reading = "states its size in bytes: " + what + " = " + size;
    } else {
      return;
    }
    AnnotationPatch patch;
    patch.kind = Kind::Buffer;
    patch.size = size;
    patch.size_unit = spec::SizeUnit::Bytes;
    add(p, patch, 0.75, sentence_with(dp.text, to_lower(dp.text), to_lower(m[0].str())), reading);
  }

  // "size in bytes" on a size parameter: the buffer it sizes counts bytes.
  void size_unit_rule(spec::Param& size_param, const DocParam& dp) {
    std::string lower = to_lower(dp.text);
    counted_type_rule(size_param, dp, lower);
    if (!contains(lower, {"in bytes", "bytes"})) return;
    for (auto& buffer : f_.params) {
      for (const auto& e : buffer.evidence) {
        if (!e.says.size || *e.says.size != size_param.name) continue;
        AnnotationPatch patch;
        patch.size_unit = spec::SizeUnit::Bytes;
        add(buffer, patch, 0.6, sentence_with(dp.text, lower, "bytes"),
            "the size of '" + buffer.name + "' is given by '" + size_param.name + "', documented in bytes");
        break;
      }
    }
  }

  // "number of floats" on the size of an untyped buffer: the size counts values of
  // that C type, so the buffer holds `n * sizeof(float)` bytes.
  void counted_type_rule(spec::Param& size_param, const DocParam& dp, const std::string& lower) {
    static const std::pair<const char*, const char*> kTypes[] = {
        {"number of floats", "float"}, {"number of doubles", "double"}, {"number of ints", "int"},
        {"number of integers", "int"}, {"number of shorts", "short"}, {"number of float values", "float"},
        {"number of double values", "double"}};
    for (const auto& [phrase, type] : kTypes) {
      if (lower.find(phrase) == std::string::npos) continue;
      for (auto& buffer : f_.params) {
        bool untyped = buffer.type.rfind("void", 0) == 0 || buffer.type.rfind("const void", 0) == 0;
        if (!untyped || buffer.type.find("**") != std::string::npos) continue;
        bool sized_here = false;
        for (const auto& e : buffer.evidence) sized_here |= e.says.size && *e.says.size == size_param.name;
        if (!sized_here) continue;
        AnnotationPatch patch;
        patch.kind = Kind::Buffer;
        patch.size = size_param.name + " * sizeof(" + type + ")";
        patch.size_unit = spec::SizeUnit::Bytes;
        add(buffer, patch, 0.7, sentence_with(dp.text, lower, phrase),
            "'" + size_param.name + "' counts " + type + " values: '" + buffer.name + "' holds that many times sizeof(" +
                type + ") bytes");
      }
      return;
    }
  }

  void function_rules() {
    // Only the brief speaks for the whole call; the body mentions flags and other calls.
    std::string lower = to_lower(parsed_.doc.brief);
    auto add_function = [&](AnnotationPatch says, double weight, const std::string& quote, const std::string& reading) {
      spec::Evidence e;
      e.source = spec::EvidenceSource::Docs;
      e.says = std::move(says);
      e.weight = weight;
      e.why = "\"" + quote + "\" (" + reading + ")";
      e.location = location_;
      f_.evidence.push_back(std::move(e));
    };
    if (const char* n = first_found(lower, {"blocks until", "wait until", "waits until", "waits for", "block until", "wait for"})) {
      AnnotationPatch patch;
      patch.barrier = true;
      add_function(patch, 0.45, sentence_with(parsed_.doc.brief, lower, n),
                   "the call waits for earlier work");
    }
  }

  spec::Function& f_;
  const ParsedFunction& parsed_;
  const ParsedHeader& header_;
  std::string location_;
};

}  // namespace

void add_doxygen_evidence(spec::Spec& spec, const ParsedHeader& header) {
  for (const ParsedFunction& pf : header.functions) {
    bool trailing = std::any_of(pf.params.begin(), pf.params.end(), [](const ParsedParam& p) { return p.trailing_doc; });
    if (pf.doc.empty() && !trailing) continue;
    spec::Function* f = spec.find_function(pf.name);
    if (f) DocRules(*f, pf, header).run();
  }
}

}  // namespace remora::inference
