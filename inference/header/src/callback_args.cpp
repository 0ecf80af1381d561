// Callback arguments. A callback's signature says only types: `const XML_Char *, int` may
// be text and its length or a name and a number; `const XML_Char **` one string or an
// array. The typedef that declares the callback type names its parameters and is often
// documented ("s is not 0 terminated", "atts is array of name/value pairs, terminated by
// 0"), so each argument is read as a parameter of a function of that name would be: the
// same rules, the same evidence, reviewable per argument. The generator forwards each
// argument as its annotation says (codegen/README.md, Callbacks).
#include "callback_args.h"

#include <regex>

#include "doc_comments.h"
#include "remora/inference/text_util.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

// The typedef seen as the function the library calls: its name, parameters and comment.
ParsedFunction as_function(const ParsedType& t) {
  ParsedFunction f;
  f.name = t.name;
  f.params = t.callback_params;
  f.file = t.file;
  f.line = t.line;
  if (!t.doc.empty()) {
    f.doc = parse_doc_text(t.doc);
    f.doc.file = t.file;
    f.doc.line = t.line;
  }
  return f;
}

// The sentences of a comment (split at '.', ';' and line ends between paragraphs).
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : collapse_whitespace(text)) {
    if (c == '.' || c == ';') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

bool names_word(const std::string& sentence, const std::string& word) {
  const std::regex re("(^|[^A-Za-z0-9_])" + word + "([^A-Za-z0-9_]|$)");
  return std::regex_search(sentence, re);
}

// "terminated by 0", "terminated with a NULL pointer", "NULL-terminated array/list".
const std::regex& null_end() {
  static const std::regex re(
      "(terminated|ended) (by|with) (a |an )?(0|zero|null|nullptr)( pointer| entry| element| value)?([^A-Za-z0-9_]|$)"
      "|null[- ]terminated (array|list|vector)",
      std::regex::icase);
  return re;
}

}  // namespace

void add_null_terminated_evidence(const ParsedFunction& function, std::size_t index, spec::Param& param) {
  const ParsedParam& p = function.params[index];
  // A pointer to pointers (`const char **`, `void **`): its elements can end at NULL.
  if (!p.type.is_pointer() || !p.type.pointee || !p.type.pointee->is_pointer()) return;
  std::string quote;
  for (const auto& d : function.doc.params)
    if (d.name == p.name)
      for (const std::string& s : sentences(d.text))
        if (quote.empty() && std::regex_search(s, null_end())) quote = s;
  if (quote.empty())
    for (const std::string& s : sentences(function.doc.body))
      if (quote.empty() && names_word(s, p.name) && std::regex_search(s, null_end())) quote = s;
  if (quote.empty()) return;
  spec::AnnotationPatch says = claim_kind(spec::Direction::In, spec::Kind::Buffer);
  says.size = "terminated(" + p.name + ", 0)";
  says.size_unit = spec::SizeUnit::Elements;
  param.evidence.push_back(header_evidence(says, 0.85,
                                           "the docs end the array with a null element (\"" + collapse_whitespace(quote) + "\")",
                                           function.file + ":" + std::to_string(function.line)));
}

void add_callback_arg_evidence(spec::Spec& spec, const ParsedHeader& header) {
  for (const ParsedType& pt : header.types) {
    if (pt.callback_params.empty()) continue;
    spec::Type* t = spec.find_type(pt.name);
    if (!t || t->kind != spec::TypeKind::Callback) continue;
    const ParsedFunction f = as_function(pt);
    const FunctionContext context = make_context(header, f);
    t->fields.clear();
    for (std::size_t i = 0; i < f.params.size(); ++i) {
      spec::Param param = param_skeleton(f.params[i]);
      add_param_evidence(context, i, param);
      add_null_terminated_evidence(f, i, param);
      t->fields.push_back(spec::as_field(param));
    }
  }
}

}  // namespace remora::inference
