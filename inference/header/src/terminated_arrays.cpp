// Arrays of structs ended by a sentinel element: the docs of the struct say which member
// ends the array and with which value ("The array is terminated with .id =
// LZMA_VLI_UNKNOWN", "terminated by a record having a feature field of FEATURE_END"), or
// a member's own docs say its value marks the end ("use LZMA_VLI_UNKNOWN to indicate end
// of filters"). An input array of that struct that nothing else sizes (a plural name, or
// its own docs naming the terminator) is then `terminated(p, MEMBER, END)`: the guest
// counts the elements up to the sentinel and the server checks the sentinel arrived.
#include "terminated_arrays.h"

#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "doc_comments.h"
#include "name_patterns.h"
#include "remora/inference/text_util.h"
#include "remora/spec/ctype.h"
#include "rules_internal.h"

namespace remora::inference {

namespace {

struct Terminator {
  std::string member;
  std::string end;    // an API constant or an integer
  std::string quote;  // the docs' words, for the evidence
  bool from_enum = false;  // read from the member's enum (its END = 0), not from docs
};

// The comment's words on one line (markers stripped by the Doxygen reader).
std::string plain_text(const std::string& raw) { return collapse_whitespace(parse_doc_text(raw).body); }

class ConstantNames {
 public:
  explicit ConstantNames(const ParsedHeader& header) {
    for (const auto& m : header.macros) names_.insert(m.name);
    for (const auto& t : header.types)
      for (const auto& c : t.constants) names_.insert(c.name);
  }
  // An API constant the generated code can name, or an integer literal.
  bool known(const std::string& v) const {
    if (v.empty()) return false;
    if (std::isdigit(static_cast<unsigned char>(v[0])))
      return v.find_first_not_of("0123456789") == std::string::npos;
    return names_.count(v) > 0;
  }

 private:
  std::set<std::string> names_;
};

bool has_member(const ParsedType& record, const std::string& name) {
  for (const auto& f : record.fields)
    if (f.name == name) return true;
  return false;
}

const std::regex& trigger() {
  static const std::regex r(R"(\b(terminat\w*|ends?|ended|ending|marked)\b)", std::regex::icase);
  return r;
}

// "terminated with .id = END" / "marked with .id == END" / "terminated by a record having
// a feature field of END": a member of the struct and a constant, after a word that
// says the array ends there.
std::optional<Terminator> terminator_in(const std::string& text, const ParsedType& record,
                                        const ConstantNames& constants) {
  static const std::regex designated(R"(\.\s*([A-Za-z_]\w*)\s*==?\s*([A-Za-z_]\w*|\d+))");
  static const std::regex named(
      R"(\b([A-Za-z_]\w*)\s+(?:field|member)\s+(?:of|set to|equal to|equals)\s+([A-Za-z_]\w*|\d+))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), trigger()); it != std::sregex_iterator(); ++it) {
    const std::size_t from = static_cast<std::size_t>(it->position());
    const std::string window = text.substr(from, 140);
    for (const std::regex* r : {&designated, &named}) {
      std::smatch m;
      if (!std::regex_search(window, m, *r)) continue;
      if (!has_member(record, m[1].str()) || !constants.known(m[2].str())) continue;
      return Terminator{m[1].str(), m[2].str(), window.substr(0, static_cast<std::size_t>(m.position(0) + m.length(0)))};
    }
  }
  return std::nullopt;
}

// A member's own docs: "use END to indicate end of filters" names one constant beside a
// word that says the array ends.
std::optional<Terminator> member_terminator(const std::string& member, const std::string& text,
                                            const ConstantNames& constants) {
  static const std::regex sentence(R"([^.]*\b(?:end of|terminat\w*)\b[^.]*)", std::regex::icase);
  static const std::regex word(R"(\b[A-Za-z_]\w*\b)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), sentence); it != std::sregex_iterator(); ++it) {
    const std::string s = it->str();
    std::string found;
    int count = 0;
    for (auto w = std::sregex_iterator(s.begin(), s.end(), word); w != std::sregex_iterator(); ++w)
      if (constants.known(w->str()) && w->str() != found) {
        found = w->str();
        ++count;
      }
    if (count == 1) return Terminator{member, found, s};
  }
  return std::nullopt;
}

// No docs: a member whose enum begins its list with a 0 named END (expat's XML_Feature.feature
// of XML_FeatureEnum { XML_FEATURE_END = 0, ... }): the value that marks where an array of
// the struct ends, not one of its meanings. Exactly one such member.
std::optional<Terminator> enum_terminator(const ParsedHeader& header, const ParsedType& record) {
  std::optional<Terminator> found;
  for (const auto& f : record.fields) {
    const spec::CType& t = spec::bare(f.ctype);
    if (t.kind != spec::CTypeKind::Enum) continue;
    const ParsedType* e = header.find_type(t.name);
    if (!e || e->constants.empty()) continue;
    const spec::EnumConstant& first = e->constants.front();
    const std::vector<std::string> words = identifier_words(first.name);
    if (first.value != 0 || words.empty() || words.back() != "end") continue;
    if (found) return std::nullopt;
    found = Terminator{f.name, first.name, "enum " + t.name + " begins with " + first.name + " = 0", true};
  }
  return found;
}

// Per struct: what ends an array of it, from its own docs, its typedef's, then its members'.
std::map<std::string, Terminator> find_terminators(const ParsedHeader& header) {
  const ConstantNames constants(header);
  std::map<std::string, Terminator> out;
  for (const auto& t : header.types) {
    if (t.form != ParsedType::Form::Struct || t.record != "struct") continue;
    std::string docs = t.doc;
    for (const auto& d : header.types)
      if (d.form == ParsedType::Form::Typedef && !d.doc.empty() && spec::bare(d.ctype).name == t.name)
        docs += "\n" + d.doc;
    if (auto found = terminator_in(plain_text(docs), t, constants)) {
      out[t.name] = *found;
      continue;
    }
    for (std::size_t i = 0; i < t.fields.size() && i < t.field_info.size(); ++i)
      if (auto found = member_terminator(t.fields[i].name, plain_text(t.field_info[i].doc), constants)) {
        out[t.name] = *found;
        break;
      }
    if (!out.count(t.name))
      if (auto found = enum_terminator(header, t)) out[t.name] = *found;
  }
  return out;
}

// A function whose name says it returns a list or an array (`XML_GetFeatureList`), or a
// plural noun (`getFilters`).
bool names_a_list(const std::string& function) {
  const std::vector<std::string> words = identifier_words(function);
  if (words.empty()) return false;
  const std::string& last = words.back();
  return last == "list" || last == "array" || last == "table" || names::is_plural_name(last);
}

// The struct an input pointer points to (one level, through typedefs), "" if none.
std::string input_record(const spec::CType& ctype) {
  if (ctype.empty() || !spec::is_pointer(ctype)) return "";
  const spec::CType* to = spec::pointee_of(ctype);
  if (!to || !(to->is_const || spec::bare(*to).is_const)) return "";
  const spec::CType& r = spec::bare(*to);
  return r.kind == spec::CTypeKind::Record && r.record != "union" ? r.name : "";
}

// Plural names are arrays (`filters`); a singular one (`filter`) is one struct unless its
// own docs name the terminator.
template <class Annotated>
void claim(Annotated& target, const std::string& name, const std::string& own_docs, const Terminator& t,
           const std::string& location) {
  const bool own = own_docs.find(t.end) != std::string::npos;
  if (!names::is_plural_name(name) && !own) return;
  spec::AnnotationPatch says = claim_kind(std::nullopt, spec::Kind::Buffer);
  says.size = "terminated(" + name + ", " + t.member + ", " + t.end + ")";
  says.size_unit = spec::SizeUnit::Elements;
  target.evidence.push_back(header_evidence(
      says, 0.85,
      "an array of structs the docs end with an element whose " + t.member + " is " + t.end + " (\"" + t.quote + "\")",
      location));
}

}  // namespace

void add_terminated_array_evidence(spec::Spec& spec, const ParsedHeader& header) {
  const std::map<std::string, Terminator> terminators = find_terminators(header);
  if (terminators.empty()) return;
  for (const ParsedFunction& pf : header.functions) {
    spec::Function* f = spec.find_function(pf.name);
    if (!f || f->params.size() != pf.params.size()) continue;
    // A returned list of constant structs (the library's own table): as many as up to the
    // element that ends it, which the server counts in the library's memory.
    if (auto it = terminators.find(input_record(pf.ret_ctype));
        it != terminators.end() && (!it->second.from_enum || names_a_list(pf.name))) {
      const Terminator& t = it->second;
      spec::AnnotationPatch says = claim_kind(spec::Direction::Out, spec::Kind::Buffer);
      says.size = "terminated(ret, " + t.member + ", " + t.end + ")";
      says.size_unit = spec::SizeUnit::Elements;
      const std::string source = t.from_enum ? t.quote : "\"" + t.quote + "\"";  // docs are quoted
      f->evidence.push_back(header_evidence(
          says, t.from_enum ? 0.7 : 0.85,
          "returns a list of structs that ends with an element whose " + t.member + " is " + t.end + " (" + source + ")",
          pf.file + ":" + std::to_string(pf.line)));
    }
    for (std::size_t i = 0; i < pf.params.size(); ++i) {
      auto it = terminators.find(input_record(pf.params[i].ctype));
      if (it == terminators.end()) continue;
      std::string own;
      for (const auto& d : pf.doc.params)
        if (d.name == pf.params[i].name) own = d.text;
      claim(f->params[i], f->params[i].name, own, it->second, pf.file + ":" + std::to_string(pf.line));
    }
  }
  for (const ParsedType& pt : header.types) {
    if (pt.form != ParsedType::Form::Struct) continue;
    spec::Type* t = spec.find_type(pt.name);
    if (!t) continue;
    for (std::size_t i = 0; i < pt.fields.size() && i < pt.field_info.size() && i < t->fields.size(); ++i) {
      auto it = terminators.find(input_record(pt.fields[i].ctype));
      if (it == terminators.end()) continue;
      claim(t->fields[i], t->fields[i].name, plain_text(pt.field_info[i].doc), it->second,
            pt.file + ":" + std::to_string(pt.field_info[i].line));
    }
  }
}

}  // namespace remora::inference
