#include "remora/inference/docs/registry_xml_reader.h"

#include <expat.h>

#include <memory>
#include <set>

#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

struct State {
  XML_Parser parser = nullptr;
  std::string file;
  DocumentRead out;
  std::vector<std::string> stack;       // element names
  std::set<std::string> command_names;  // vk.xml repeats a command per API variant: the first wins
  // command being read
  bool in_command = false;
  RegistryCommand command;
  bool in_proto = false, in_param = false, in_name = false, in_type_def = false, in_comment = false;
  std::string text, name_text;
  RegistryParam param;
  std::string type_category;
  // struct being read
  bool in_struct = false, in_member = false;
  RegistryStruct structure;

  int line() const { return static_cast<int>(XML_GetCurrentLineNumber(parser)); }
};

const char* attr(const XML_Char** atts, std::string_view key) {
  for (int i = 0; atts[i]; i += 2)
    if (key == atts[i]) return atts[i + 1];
  return nullptr;
}

std::string attr_or_empty(const XML_Char** atts, std::string_view key) {
  const char* value = attr(atts, key);
  return value ? value : "";
}

// The attributes a <param> and a <member> share.
RegistryParam read_param_attributes(const XML_Char** atts, int line) {
  RegistryParam p;
  p.line = line;
  p.len = attr_or_empty(atts, "len");
  p.altlen = attr_or_empty(atts, "altlen");
  p.optional = attr_or_empty(atts, "optional");
  p.externsync = attr_or_empty(atts, "externsync");
  p.noautovalidity = attr_or_empty(atts, "noautovalidity") == "true";
  p.values = attr_or_empty(atts, "values");
  return p;
}

void start_reading(State& s) {
  s.text.clear();
  s.name_text.clear();
}

void on_start(void* data, const XML_Char* el, const XML_Char** atts) {
  auto& s = *static_cast<State*>(data);
  std::string_view name(el);
  bool under_types = !s.stack.empty() && s.stack.back() == "types";
  bool under_commands = !s.stack.empty() && s.stack.back() == "commands";
  s.stack.emplace_back(el);
  if (name == "type" && under_types) {
    s.type_category = attr_or_empty(atts, "category");
    bool aggregate = s.type_category == "struct" || s.type_category == "union";
    if (aggregate && !attr(atts, "alias") && attr(atts, "name")) {
      s.in_struct = true;
      s.structure = RegistryStruct{};
      s.structure.name = attr(atts, "name");
      s.structure.is_union = s.type_category == "union";
      s.structure.returned_only = attr_or_empty(atts, "returnedonly") == "true";
      s.structure.extends = attr_or_empty(atts, "structextends");
      s.structure.file = s.file;
      s.structure.line = s.line();
    } else if (!aggregate) {
      s.in_type_def = true;
      start_reading(s);
    }
  } else if (name == "command" && under_commands) {
    s.in_command = !attr(atts, "alias");  // alias entries only point at another command
    s.command = RegistryCommand{};
    s.command.file = s.file;
    s.command.line = s.line();
  } else if (s.in_command && name == "proto") {
    s.in_proto = true;
    start_reading(s);
  } else if (s.in_command && name == "param") {
    s.in_param = true;
    start_reading(s);
    s.param = read_param_attributes(atts, s.line());
  } else if (s.in_struct && name == "member") {
    s.in_member = true;
    start_reading(s);
    s.param = read_param_attributes(atts, s.line());
  } else if (name == "comment" && (s.in_param || s.in_member)) {
    s.in_comment = true;  // prose beside a member: not part of its C type
  } else if (name == "name" && (s.in_proto || s.in_param || s.in_member || s.in_type_def)) {
    s.in_name = true;
  }
}

void on_end(void* data, const XML_Char* el) {
  auto& s = *static_cast<State*>(data);
  std::string_view name(el);
  if (!s.stack.empty()) s.stack.pop_back();
  if (name == "name") {
    s.in_name = false;
  } else if (name == "comment") {
    s.in_comment = false;
  } else if (name == "proto" && s.in_proto) {
    s.in_proto = false;
    s.command.name = trim(s.name_text);
    s.command.return_type = normalize_c_type(s.text);
  } else if (name == "param" && s.in_param) {
    s.in_param = false;
    s.param.name = trim(s.name_text);
    s.param.type = normalize_c_type(s.text);
    s.command.params.push_back(std::move(s.param));
  } else if (name == "member" && s.in_member) {
    s.in_member = false;
    s.param.name = trim(s.name_text);
    s.param.type = normalize_c_type(s.text);
    if (is_identifier(s.param.name)) s.structure.members.push_back(std::move(s.param));
  } else if (name == "command" && s.in_command) {
    s.in_command = false;
    if (is_identifier(s.command.name) && s.command_names.insert(s.command.name).second)
      s.out.commands.push_back(std::move(s.command));
  } else if (name == "type" && s.in_struct && !s.stack.empty() && s.stack.back() == "types") {
    s.in_struct = false;
    if (is_identifier(s.structure.name)) s.out.structs.push_back(std::move(s.structure));
  } else if (name == "type" && s.in_type_def && s.stack.size() >= 1 && s.stack.back() == "types") {
    s.in_type_def = false;
    std::string full = collapse_spaces(s.text + " " + s.name_text);
    // typedef struct _cl_mem * cl_mem;  -> an opaque handle type (vk.xml says category="handle")
    bool opaque_pointer =
        full.find("typedef struct") != std::string::npos && full.find('*') != std::string::npos;
    if ((opaque_pointer || s.type_category == "handle") && is_identifier(trim(s.name_text)))
      s.out.handle_types.insert(std::string(trim(s.name_text)));
  }
}

void on_text(void* data, const XML_Char* text, int len) {
  auto& s = *static_cast<State*>(data);
  if (!(s.in_proto || s.in_param || s.in_member || s.in_type_def) || s.in_comment) return;
  std::string_view t(text, static_cast<std::size_t>(len));
  if (s.in_name)
    s.name_text += t;
  else
    s.text += t;
}

}  // namespace

std::string normalize_c_type(std::string_view spelling) {
  std::string in = collapse_spaces(spelling);
  std::string out;
  for (char c : in) {
    if (c == '*' && !out.empty() && out.back() != ' ' && out.back() != '*') out += ' ';
    out += c;
  }
  return std::string(trim(out));
}

DocumentRead read_registry_xml(std::string_view text, const std::string& file,
                               spec::Diagnostics& diagnostics) {
  State state;
  state.file = file;
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate(nullptr), &XML_ParserFree);
  if (!parser) {
    diagnostics.push_back({spec::Diagnostic::Severity::Warning, file, 0,
                           "cannot create an XML parser; file skipped"});
    DocumentRead failed;
    failed.ok = false;
    return failed;
  }
  state.parser = parser.get();
  XML_SetUserData(parser.get(), &state);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  if (XML_Parse(parser.get(), text.data(), static_cast<int>(text.size()), XML_TRUE) ==
      XML_STATUS_ERROR) {
    int line = static_cast<int>(XML_GetCurrentLineNumber(parser.get()));
    diagnostics.push_back(
        {spec::Diagnostic::Severity::Warning, file, line,
         std::string("malformed XML (") + XML_ErrorString(XML_GetErrorCode(parser.get())) +
             "); registry skipped. Check that the file is complete and well-formed."});
    DocumentRead failed;
    failed.ok = false;
    return failed;
  }
  return std::move(state.out);
}

}  // namespace remora::inference::docs
