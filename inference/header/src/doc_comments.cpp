#include "doc_comments.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "clang_util.h"
#include "remora/inference/text_util.h"

namespace remora::inference {

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// One comment line without its markers ("/**", " * ", "*/", "///").
std::string strip_markers(std::string line) {
  line = trim(line);
  for (const char* open : {"/**<", "/*!<", "///<", "/**", "/*!", "/*", "///", "//!", "//"}) {
    std::string_view o(open);
    if (line.compare(0, o.size(), o) == 0) {
      line = line.substr(o.size());
      break;
    }
  }
  if (line.size() >= 2 && line.compare(line.size() - 2, 2, "*/") == 0) line.resize(line.size() - 2);
  line = trim(line);
  while (!line.empty() && line[0] == '*') line = trim(line.substr(1));
  return line;
}

// Doxygen inline markup that only changes fonts: "\p size" -> "size".
std::string strip_inline_commands(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '\\' || text[i] == '@') && i + 2 < text.size() && text[i + 2] == ' ' &&
        std::string_view("pecba").find(text[i + 1]) != std::string_view::npos &&
        (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      i += 2;  // drop "\p " and keep the word
      continue;
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string first_sentence(const std::string& text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '.' && std::isspace(static_cast<unsigned char>(text[i + 1])))
      return text.substr(0, i + 1);
  return text;
}

// Text of a libclang comment node and its children, markup dropped.
void gather_text(CXComment node, std::string& out) {
  switch (clang_Comment_getKind(node)) {
    case CXComment_Text:
      out += clang_util::take(clang_TextComment_getText(node));
      return;
    case CXComment_InlineCommand: {
      unsigned args = clang_InlineCommandComment_getNumArgs(node);
      for (unsigned i = 0; i < args; ++i)
        out += " " + clang_util::take(clang_InlineCommandComment_getArgText(node, i)) + " ";
      return;
    }
    default:
      break;
  }
  unsigned children = clang_Comment_getNumChildren(node);
  for (unsigned i = 0; i < children; ++i) {
    gather_text(clang_Comment_getChild(node, i), out);
    out += " ";
  }
}

std::string text_of(CXComment node) {
  std::string out;
  gather_text(node, out);
  return collapse_whitespace(out);
}

}  // namespace

DocComment parse_doc_text(const std::string& raw) {
  DocComment doc;
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= raw.size()) {
    auto end = raw.find('\n', start);
    if (end == std::string::npos) end = raw.size();
    lines.push_back(strip_markers(raw.substr(start, end - start)));
    start = end + 1;
  }

  enum class Section { Body, Brief, Param, Return, Other } section = Section::Body;
  std::string body, intro;
  bool prose_section = true;  // the lines now read are running text (see DocComment::prose)
  bool blank_before = false;
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const std::string& line = lines[index];
    body += line + "\n";
    std::string rest = line;
    bool command_line = !line.empty() && (line[0] == '\\' || line[0] == '@');
    // A line that starts a paragraph command (not "\p name" markup opening a sentence).
    bool prose_command = false;
    if (command_line) {
      std::size_t n = 1;
      while (n < line.size() && std::isalnum(static_cast<unsigned char>(line[n]))) ++n;
      std::string command = line.substr(1, n - 1);
      bool inline_markup = n < line.size() && line[n] == ' ' && command.size() == 1 &&
                           std::string_view("pecba").find(command[0]) != std::string_view::npos;
      prose_command = !inline_markup;
      if (prose_command)
        prose_section = command == "brief" || command == "short" || command == "details" || command == "note" ||
                        command == "warning" || command == "remark" || command == "remarks" ||
                        command == "attention" || command == "par";
    }
    if (!prose_command && blank_before && !line.empty()) {
      prose_section = true;  // a new paragraph after a command's own ends it (as Doxygen reads it)
    }
    blank_before = line.empty();
    if (prose_section && !line.empty()) {
      std::string text = prose_command ? line.substr(std::min(line.size(), line.find_first_of(" \t"))) : line;
      if (!trim(text).empty()) doc.prose.emplace_back(static_cast<int>(index), trim(text));
    }
    if (command_line) {
      std::size_t n = 1;
      while (n < line.size() && (std::isalnum(static_cast<unsigned char>(line[n])) || line[n] == '[' ||
                                 line[n] == ']' || line[n] == ','))
        ++n;
      std::string command = line.substr(1, n - 1);
      rest = trim(line.substr(n));
      if (command == "brief" || command == "short") {
        section = Section::Brief;
      } else if (command.rfind("param", 0) == 0) {
        section = Section::Param;
        DocParam p;
        auto open = command.find('[');
        if (open != std::string::npos) p.direction = command.substr(open + 1, command.find(']') - open - 1);
        std::size_t w = 0;
        while (w < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[w])) || rest[w] == '_')) ++w;
        p.name = rest.substr(0, w);
        rest = trim(rest.substr(w));
        if (rest.rfind("- ", 0) == 0 || rest == "-") rest = trim(rest.substr(1));
        doc.params.push_back(p);
      } else if (command == "return" || command == "returns" || command == "result" || command == "retval") {
        section = Section::Return;
      } else {
        section = Section::Other;
      }
    }
    if (rest.empty() && section == Section::Brief && !doc.brief.empty()) {
      section = Section::Body;  // a blank line ends the brief
      continue;
    }
    auto append = [&](std::string& to) {
      if (!rest.empty()) to += (to.empty() ? "" : " ") + rest;
    };
    switch (section) {
      case Section::Brief: append(doc.brief); break;
      case Section::Param: append(doc.params.back().text); break;
      case Section::Return: append(doc.returns); break;
      case Section::Body: if (doc.params.empty()) append(intro); break;
      case Section::Other: break;
    }
  }
  if (doc.brief.empty()) doc.brief = first_sentence(collapse_whitespace(strip_inline_commands(intro)));
  doc.brief = collapse_whitespace(strip_inline_commands(doc.brief));
  doc.returns = collapse_whitespace(strip_inline_commands(doc.returns));
  for (auto& p : doc.params) p.text = collapse_whitespace(strip_inline_commands(p.text));
  std::string stripped = strip_inline_commands(body);
  for (char c : stripped) {
    if (c == '\n') ++doc.body_offset;
    else if (!std::isspace(static_cast<unsigned char>(c))) break;
  }
  doc.body = trim(stripped);
  return doc;
}

std::optional<DocParam> parse_trailing_param_doc(const std::string& raw, const std::string& name, bool plain) {
  // Only a comment that follows the parameter (///<, //!<, /**<, /*!<): one above it
  // belongs to the function.
  std::string start = trim(raw);
  bool trailing = false;
  for (const char* m : {"///<", "//!<", "/**<", "/*!<"}) trailing |= start.rfind(m, 0) == 0;
  const bool ordinary = plain && (start.rfind("/*", 0) == 0 || start.rfind("//", 0) == 0);
  if (!trailing && !ordinary) return std::nullopt;
  std::string text;  // continuation lines repeat the marker
  std::istringstream lines(raw);
  for (std::string line; std::getline(lines, line);) {
    std::string l = strip_markers(line);
    if (!l.empty()) text += (text.empty() ? "" : " ") + l;
  }
  DocParam p;
  p.name = name;
  // Leading tags: [in], [out], [in,out], [optional], [range(0, n)] ...
  std::string rest = trim(text);
  while (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close == std::string::npos) break;
    std::string tag = to_lower(rest.substr(1, close - 1));
    tag.erase(std::remove(tag.begin(), tag.end(), ' '), tag.end());
    // [in,out] is left out: this style also tags arrays the call only fills with it
    // (zeDeviceGet's phDevices), whose elements must not be sent as handles.
    if (tag == "in" || tag == "out") p.direction = tag;
    else if (tag == "optional") p.text += "optional; ";
    rest = trim(rest.substr(close + 1));
  }
  // An ordinary comment's label: "OUT: SQLite db handle", "INPUT: ..." (IN/OUT left out, as [in,out]).
  for (const auto& [label, direction] : {std::pair<const char*, const char*>{"OUT:", "out"}, {"OUTPUT:", "out"},
                                         {"IN:", "in"}, {"INPUT:", "in"}})
    if (ordinary && p.direction.empty() && rest.rfind(label, 0) == 0) {
      p.direction = direction;
      rest = trim(rest.substr(std::string_view(label).size()));
    }
  p.text += rest;
  if (p.direction.empty() && p.text.empty()) return std::nullopt;
  return p;
}

DocComment doc_from_libclang(CXCursor declaration) {
  std::string raw = clang_util::take(clang_Cursor_getRawCommentText(declaration));
  if (raw.empty()) return {};
  DocComment doc = parse_doc_text(raw);
  doc.from_libclang = true;

  // Prefer libclang's own structure for parameters: it knows explicit [in]/[out].
  CXComment full = clang_Cursor_getParsedComment(declaration);
  std::vector<DocParam> params;
  unsigned children = clang_Comment_getNumChildren(full);
  for (unsigned i = 0; i < children; ++i) {
    CXComment child = clang_Comment_getChild(full, i);
    if (clang_Comment_getKind(child) != CXComment_ParamCommand) continue;
    DocParam p;
    p.name = clang_util::take(clang_ParamCommandComment_getParamName(child));
    if (clang_ParamCommandComment_isDirectionExplicit(child)) {
      switch (clang_ParamCommandComment_getDirection(child)) {
        case CXCommentParamPassDirection_In: p.direction = "in"; break;
        case CXCommentParamPassDirection_Out: p.direction = "out"; break;
        case CXCommentParamPassDirection_InOut: p.direction = "in,out"; break;
      }
    }
    p.text = text_of(child);
    if (p.text.rfind("- ", 0) == 0) p.text = p.text.substr(2);
    if (!p.name.empty()) params.push_back(p);
  }
  if (!params.empty()) doc.params = params;

  CXSourceRange range = clang_Cursor_getCommentRange(declaration);
  CXFile file = nullptr;
  unsigned line = 0, column = 0, offset = 0;
  clang_getExpansionLocation(clang_getRangeStart(range), &file, &line, &column, &offset);
  if (file) doc.file = base_name(clang_util::take(clang_getFileName(file)));
  doc.line = static_cast<int>(line);
  return doc;
}

}  // namespace remora::inference
