// Claims: what one documentation sentence says about a function or parameter.
//
// Extractors are general phrase rules ("is a pointer to memory where ... will
// be returned" -> out); they look at the sentence, the parameters it mentions
// and those parameters' C types, never at a particular function's name.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "remora/inference/docs/doc_model.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// What the header (and registry) tell us about one parameter's C type.
struct ParamFacts {
  std::string name;
  std::string type;
  int index = 0;
  bool pointer = false;          // declared with '*' or '[]'
  bool const_pointee = false;    // const T *
  bool void_pointer = false;     // void * / const void *
  bool char_pointer = false;     // char * / const char *
  bool pointer_to_pointer = false;
  bool integer = false;          // integer scalar (size_t, cl_uint, int, ...)
  bool signed_integer = false;   // a signed one (int, ssize_t): it can say "negative"
  bool handle = false;           // handle passed by value (cl_mem)
  bool pointee_handle = false;   // pointer to handle(s) (cl_event *, const cl_device_id *)
  bool pointee_integer = false;  // pointer to integer(s) (cl_int *, size_t *)
  bool callback = false;         // function pointer
  // The element count the header's evidence gives a pointer ("count"), "" when none:
  // arrays counted by the same parameter go together (strings and their lengths).
  std::string header_count;
};

struct FunctionFacts {
  std::string name;
  std::string return_type;
  bool returns_handle = false;
  // Returns a pointer to chars (char, signed or unsigned char after typedefs): text or bytes.
  bool returns_char_pointer = false;
  std::vector<ParamFacts> params;
  const ParamFacts* find(std::string_view name) const;
};

// Knows which type names are handles, callbacks, integers (from the spec's
// types and any registry typedefs).
class TypeOracle {
 public:
  TypeOracle(const spec::Spec& spec, const std::set<std::string>& registry_handles);
  FunctionFacts describe(const spec::Function& f) const;
  ParamFacts describe_param(const spec::Param& p, int index) const;
  bool is_handle_type(std::string_view base) const;
  bool is_integer_type(std::string_view base) const;
  // intptr_t or uintptr_t, or a typedef of one (cl_context_properties): an integer made
  // to hold a pointer.
  bool holds_pointers(std::string_view base) const;
  // A function the spec declares (a name a sentence mentions may be one).
  const spec::Function* function(std::string_view name) const { return spec_.find_function(name); }

 private:
  const spec::Spec& spec_;
  const std::set<std::string>& registry_handles_;
};

// Base type name of a C spelling: "const cl_event *" -> "cl_event".
std::string base_type_name(std::string_view spelling);

struct Claim {
  std::string param;  // "" = function-level (sync, barrier, return value lifecycle)
  spec::AnnotationPatch says;
  double weight = 0.5;
  const Sentence* sentence = nullptr;
  // "object": the library keeps using this parameter's memory until the object the call
  // creates is released; "command": until the command the call queues completes
  // (Annotation::retain; not a fused field, so it rides beside `says`).
  std::string retain;
  // The out pointer this claim is about is set to an address inside this other parameter's
  // memory (Annotation::points_into; like retain, beside `says`).
  std::string points_into;
};
using Claims = std::vector<Claim>;

// A parameter named in the sentence, resolved against the function.
struct ParamMention {
  const ParamFacts* param;
  std::size_t begin, end;  // offsets into the sentence text
};

// Everything an extractor may look at for one sentence.
struct SentenceContext {
  const FunctionFacts& fn;
  const Sentence& sentence;
  std::string lower;                  // sentence text, lower case
  std::vector<const ParamFacts*> subjects;  // params the sentence's list item is about
  std::vector<ParamMention> mentions;        // params named in the sentence, in order
  std::optional<spec::Direction> tagged;     // explicit [in]/[out] tag on the item
  bool summary = false;                // the section's one-line summary / lead sentence
  std::vector<std::string> section_functions;  // functions the section documents

  std::string predicate_text;          // see predicate(); filled by finish()

  const ParamFacts* subject() const { return subjects.empty() ? nullptr : subjects.front(); }
  // True when the sentence opens with the subject ("param_value is ...").
  bool subject_leads() const;
  // Text after the leading subject(s), lower case, as a clause: terse reference styles
  // ("`out`: Pointer to ...", "name (size_t) - number of ...") read as "is a pointer to ...".
  std::string_view predicate() const { return predicate_text; }
  // Call once mentions and subjects are set.
  void finish();
};

// "Pointer to memory" -> "is a pointer to memory"; "(const char *): the name" -> "is the name".
std::string normalized_predicate(std::string_view after_subject);

void extract_direction(const SentenceContext& c, Claims& out);
void extract_size(const SentenceContext& c, Claims& out);
void extract_nullability(const SentenceContext& c, Claims& out);
void extract_lifecycle(const SentenceContext& c, Claims& out);
void extract_sync(const SentenceContext& c, Claims& out);
void extract_callback(const SentenceContext& c, Claims& out);
void extract_kind(const SentenceContext& c, Claims& out);
void extract_cacheable(const SentenceContext& c, Claims& out);  // "does not change": a cacheable query
void extract_handles_in_bytes(const SentenceContext& c, Claims& out);  // "P must point to a ... object"
void extract_retain(const SentenceContext& c, Claims& out);  // "use memory referenced by P as the storage"
void extract_points_into(const SentenceContext& c, Claims& out);  // "*pzTail is made to point to ... in zSql"
void extract_optional_lengths(const SentenceContext& c,
                              Claims& out);  // "if lengths is NULL ... null-terminated"

// All of the above.
void extract_all(const SentenceContext& c, Claims& out);

// Claims from a registry declaration (len / optional attributes).
// `storage` keeps the synthesized "sentences" (the declarations) the claims point at.
// `registry_marks_arrays`: the registry gives its arrays a `len` (some command has one),
// so a typed pointer without one points to one element.
void extract_registry(const RegistryCommand& cmd, const FunctionFacts& fn, Claims& out,
                      std::deque<Sentence>& storage, bool registry_marks_arrays = false);

}  // namespace remora::inference::docs
