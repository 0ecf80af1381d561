// Normalized documentation, independent of the source format.
//
// Every reader (AsciiDoc refpages, registry XML, Markdown, HTML) produces the
// same shape: sections that document one or more functions, each with
// per-parameter sentences and function-level sentences, every sentence
// carrying its file:line. Extractors only ever see this shape.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "remora/spec/diagnostics.h"
#include "remora/spec/model.h"

namespace remora::inference::docs {

// An identifier named in a sentence; `marked` when the document set it apart
// (AsciiDoc _italic_, Markdown `code`, HTML <code>), so a parameter called
// "size" is not confused with the English word "size".
struct Mention {
  std::string name;
  std::size_t begin = 0;  // byte offsets into Sentence::text
  std::size_t end = 0;
  bool marked = true;
};

struct Sentence {
  std::string text;  // plain text, markup removed, whitespace collapsed
  std::vector<Mention> mentions;
  std::string file;
  int line = 0;
  bool error_context = false;  // part of an error-code list ("CL_INVALID_VALUE if ...")
};

// What a document says about one parameter.
struct ParamDoc {
  std::string name;
  std::vector<Sentence> sentences;
  std::vector<std::string> co_subjects;       // "_a_ and _b_ specify ...": the others
  std::optional<spec::Direction> tagged;      // explicit [in]/[out]/[in,out] tag
  int position = -1;                          // order among documented params
};

struct DocSection {
  std::vector<std::string> functions;  // functions this section documents; first is primary
  std::string file;
  int line = 0;
  std::vector<ParamDoc> params;
  std::vector<Sentence> body;  // function-level sentences (summary, prose, error lists)
  bool params_complete = false;  // params lists every parameter in order (enables position matching)
};

// One parameter (or struct member) as declared by an API registry (cl.xml,
// vk.xml style). The attributes are kept as written; extract_registry and
// member_claims read them.
struct RegistryParam {
  std::string name;
  std::string type;        // C spelling: "const cl_event *"
  std::string len;         // `len`: a count ("num_entries", "pInfo->count", "*"), "null-terminated", "latexmath:[..]"
  std::string altlen;      // `altlen`: the C expression for a latexmath `len` ("(samples + 31) / 32")
  std::string optional;    // `optional`: "true", "false,true" (pointer, then pointee) ...
  std::string externsync;  // `externsync`: "true" or the members the caller must synchronize
  bool noautovalidity = false;  // validity depends on other arguments: `optional` is not the whole story
  std::string values;      // member `values`: the sType constant of an extensible struct
  int line = 0;
};

struct RegistryCommand {
  std::string name;
  std::string return_type;
  std::vector<RegistryParam> params;
  std::string file;
  int line = 0;
};

// A struct or union of a registry (`<type category="struct">` with `<member>`s).
struct RegistryStruct {
  std::string name;
  bool is_union = false;
  bool returned_only = false;   // `returnedonly`: the API fills it, the caller never does
  std::string extends;          // `structextends`: the structs whose pNext chain it may join
  std::vector<RegistryParam> members;
  std::string file;
  int line = 0;
};

// Everything read from one document.
struct DocumentRead {
  std::vector<DocSection> sections;
  std::vector<RegistryCommand> commands;
  std::vector<RegistryStruct> structs;
  std::set<std::string> handle_types;  // registry: typedef struct _x *x
  bool ok = true;                      // false: malformed, skipped as a whole
};

}  // namespace remora::inference::docs
