// Selector-typed queries: `get*Info(object, selector, size, void *value, size_ret)`
// whose documentation has a table with one row per selector value and a column
// giving the type written to `value` (OpenCL's "Context Info | Return Type |
// Description", CUDA's attribute lists). Rows whose type is a handle (or an array
// of handles) become `when selector == CONSTANT` overrides: the value buffer then
// holds handles, so the generated server registers them for the guest (a device
// returned by a context query can be used in the next call).
//
// Rows whose type is an array of data pointers ("unsigned char*[]") whose description
// says the pointers are "allocated by the caller" and that the sizes of what they point
// to come from another row of the same table typed as an integer array (OpenCL's
// CL_PROGRAM_BINARIES / CL_PROGRAM_BINARY_SIZES) become a buffer of output buffers:
// the array is read, each entry is written with `query(FN, object..., SIZES)[i]` bytes.
#include "selector_types.h"

#include <cctype>

#include "remora/inference/docs/text_util.h"
#include "table_cells.h"

namespace remora::inference::docs {
namespace {

bool pointer_type(const std::string& type) {
  return type.find('*') != std::string::npos;
}

// A type cell naming an array of data pointers, "unsigned_char*[]" ({unsigned_char_TYPE}*[]
// in AsciiDoc: the attribute spells the C type's spaces as '_'): the pointee's C spelling,
// or "" when the cell is anything else. Only C keyword types are respelt; other names stay.
std::string pointer_array_cell(const std::string& cell) {
  std::string t = trimmed_cell(cell);
  if (t.size() < 4 || t.compare(t.size() - 3, 3, "*[]") != 0) return "";
  t = trimmed_cell(t.substr(0, t.size() - 3));
  if (t.empty()) return "";
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "";
  std::string spaced;
  bool keywords = true;
  std::size_t start = 0;
  while (start <= t.size()) {
    std::size_t end = std::min(t.find('_', start), t.size());
    std::string_view w = std::string_view(t).substr(start, end - start);
    keywords = keywords && (w == "unsigned" || w == "signed" || w == "char" || w == "short" ||
                            w == "int" || w == "long");
    spaced += (spaced.empty() ? "" : " ") + std::string(w);
    start = end + 1;
  }
  return keywords ? spaced : t;
}

}  // namespace

std::vector<SelectorRow> selector_rows(const DocSection& section) {
  std::vector<SelectorRow> rows;
  for (std::size_t i = 0; i < section.body.size(); ++i) {
    std::string constant = leading_constant(trimmed_cell(section.body[i].text));
    bool array = false;
    bool row = !constant.empty() && i + 1 < section.body.size() &&
               (!type_cell(trimmed_cell(section.body[i + 1].text), array).empty() ||
                !pointer_array_cell(section.body[i + 1].text).empty());
    if (!row) {
      if (!rows.empty()) rows.back().description.push_back(&section.body[i]);
      continue;
    }
    rows.push_back({constant, &section.body[i + 1], {}});
    ++i;  // the type cell
  }
  return rows;
}

namespace {

std::string location_of(const Sentence& s) {
  return s.file + ":" + std::to_string(s.line);
}

// The leading arguments of `query(FN, ...)` for another selector of the same query: the
// parameters before the selector, then the constant. Only when the selector is followed
// by exactly the value size, the value and at most the size the value needs (the shape
// the size language's query() calls); "" otherwise.
std::string query_call(const spec::Function& fn, const spec::Param& selector,
                       const std::string& size_name, const spec::Param& value,
                       const std::string& constant) {
  std::size_t at = 0;
  while (at < fn.params.size() && fn.params[at].name != selector.name) ++at;
  if (at + 2 >= fn.params.size() || fn.params[at + 1].name != size_name ||
      fn.params[at + 2].name != value.name || fn.params.size() > at + 4)
    return "";
  if (at + 3 < fn.params.size() && !pointer_type(fn.params[at + 3].type)) return "";
  std::string call = "query(" + fn.name;
  for (std::size_t k = 0; k < at; ++k) call += ", " + fn.params[k].name;
  return call + ", " + constant + ")";
}

// "param_value points to an array of n pointers allocated by the caller ... The buffer sizes
// ... can be queried using the CL_PROGRAM_BINARY_SIZES query": the value is an input array of
// caller pointers, each an output buffer sized by the named integer-array row.
std::size_t add_pointer_array_whens(const DocSection& section, const TypeOracle& types,
                                    spec::Function& fn, const spec::Param& selector,
                                    const std::string& size_name, spec::Param& value) {
  std::vector<SelectorRow> rows = selector_rows(section);
  std::size_t added = 0;
  for (const SelectorRow& row : rows) {
    std::string pointee = pointer_array_cell(row.type->text);
    if (pointee.empty() || types.is_handle_type(pointee)) continue;
    bool caller_allocates = false;
    const SelectorRow* sizes = nullptr;
    const Sentence* sizes_sentence = nullptr;
    for (const Sentence* s : row.description) {
      std::string lower = to_lower(s->text);
      caller_allocates =
          caller_allocates || has_any_phrase(lower, {"allocated by the caller", "caller allocates",
                                                     "allocated by the application"});
      if (!has_phrase(lower, "size") && !has_phrase(lower, "sizes")) continue;
      for (const SelectorRow& other : rows) {
        bool array = false;
        std::string type = type_cell(trimmed_cell(other.type->text), array);
        if (&other == &row || !array || type.empty() || !types.is_integer_type(type)) continue;
        for (const auto& m : s->mentions)
          if (m.name == other.constant) sizes = &other, sizes_sentence = s;
      }
    }
    if (!caller_allocates || !sizes) continue;
    std::string query = query_call(fn, selector, size_name, value, sizes->constant);
    if (query.empty()) continue;
    spec::When when;
    when.condition = selector.name + " == " + row.constant;
    when.overrides.direction = spec::Direction::In;  // the program's pointers are read
    when.overrides.kind = spec::Kind::Buffer;
    when.overrides.size = size_name + " / sizeof(" + pointee + " *)";
    when.overrides.size_unit = spec::SizeUnit::Elements;
    when.overrides.element_kind = spec::Kind::Buffer;
    when.overrides.element_direction = spec::Direction::Out;  // the library writes through them
    when.overrides.element_size = query + "[i]";
    when.overrides.element_size_unit = spec::SizeUnit::Bytes;
    bool known = false;
    for (const auto& w : value.when) known |= w.condition == when.condition;
    if (known) continue;
    value.when.push_back(when);
    spec::Evidence e;
    e.source = spec::EvidenceSource::Docs;
    e.weight = 0.7;
    std::string note = " (" + row.constant + ": '" + pointee +
                       "*[]' allocated by the caller): buffers of " + sizes->constant +
                       "[i] bytes written through them (see 'when')";
    e.why = "\"" + shorten_utf8(sizes_sentence->text, note.size() < 200 ? 238 - note.size() : 38) +
            "\"" + note;
    e.location = location_of(*row.type);
    value.evidence.push_back(std::move(e));
    ++added;
  }
  return added;
}

}  // namespace

std::optional<SelectorQuery> selector_query(const spec::Function& fn, const TypeOracle& types) {
  // A query by name (get/query/info/attribute): a constructor's flags select
  // behaviour, not the type of what is written.
  std::string fname = to_lower(fn.name);
  if (fname.find("get") == std::string::npos && fname.find("query") == std::string::npos &&
      fname.find("info") == std::string::npos && fname.find("attribute") == std::string::npos)
    return std::nullopt;
  // The query's shape: one untyped output buffer sized in bytes by a by-value
  // parameter, and exactly one other by-value, non-handle integer: the selector.
  const spec::Param* value = nullptr;
  for (const auto& p : fn.params)
    if (pointer_type(p.type) && base_type_name(p.type) == "void" &&
        p.type.find("const") == std::string::npos && p.type.find("**") == std::string::npos)
      value = value ? nullptr : &p;  // two untyped outputs: not this idiom
  if (!value) return std::nullopt;
  std::string size_name;
  for (const auto& e : value->evidence)
    if (e.says.size && fn.find_param(*e.says.size) &&
        !pointer_type(fn.find_param(*e.says.size)->type))
      size_name = *e.says.size;
  if (size_name.empty()) return std::nullopt;
  std::vector<const spec::Param*> selectors;
  for (const auto& p : fn.params) {
    std::string base = base_type_name(p.type);
    if (pointer_type(p.type) || p.name == size_name || types.is_handle_type(base) ||
        !types.is_integer_type(base))
      continue;
    selectors.push_back(&p);
  }
  // Several integers (an index and a selector): the selector is the one named for it.
  if (selectors.size() > 1)
    std::erase_if(selectors, [](const spec::Param* p) {
      std::string lower = to_lower(p->name);
      return lower.find("name") == std::string::npos && lower.find("attr") == std::string::npos &&
             lower.find("info") == std::string::npos && lower.find("query") == std::string::npos;
    });
  if (selectors.size() != 1) return std::nullopt;
  return SelectorQuery{selectors.front()->name, value->name, size_name};
}

std::size_t add_selector_whens(const DocSection& section, const TypeOracle& types,
                               spec::Function& fn) {
  std::optional<SelectorQuery> query = selector_query(fn, types);
  if (!query) return 0;
  const std::string& selector = query->selector;
  const std::string& size_name = query->size;

  std::size_t added = 0;
  spec::Param* target = fn.find_param(query->value);
  for (std::size_t i = 0; i + 1 < section.body.size(); ++i) {
    std::string constant = leading_constant(trimmed_cell(section.body[i].text));
    if (constant.empty()) continue;
    bool array = false;
    std::string type = type_cell(trimmed_cell(section.body[i + 1].text), array);
    if (!type.empty() && types.holds_pointers(type) && !target->ann.may_hold_handles) {
      // A list of pointer-sized integers (the properties a context was created with): the
      // handles in it come back among plain numbers, so the bytes may hold handles.
      target->ann.may_hold_handles = true;  // one piece of evidence per parameter
      spec::Evidence e;
      e.source = spec::EvidenceSource::Docs;
      e.says.may_hold_handles = true;
      e.weight = 0.7;
      e.why = "the table of " + selector + " values gives '" + type + (array ? "[]" : "") + "' for " + constant +
              ", an integer type made to hold pointers: the bytes written may hold handles among plain numbers";
      e.location = section.body[i + 1].file + ":" + std::to_string(section.body[i + 1].line);
      target->evidence.push_back(std::move(e));
    }
    if (type.empty() || !types.is_handle_type(type)) continue;
    spec::When when;
    when.condition = selector + " == " + constant;
    when.overrides.kind = spec::Kind::Buffer;
    when.overrides.element_kind = spec::Kind::Handle;
    when.overrides.size = size_name + " / sizeof(" + type + ")";
    when.overrides.size_unit = spec::SizeUnit::Elements;
    bool known = false;
    for (const auto& w : target->when) known |= w.condition == when.condition;
    if (known) continue;
    target->when.push_back(when);
    spec::Evidence e;
    e.source = spec::EvidenceSource::Docs;
    e.weight = 0.7;
    e.why = "the table of " + selector + " values gives '" + type + (array ? "[]" : "") + "' for " +
            constant + ": the value written is " + (array ? "an array of handles" : "a handle") +
            " (see 'when')";
    e.location = section.body[i + 1].file + ":" + std::to_string(section.body[i + 1].line);
    target->evidence.push_back(std::move(e));
    ++added;
  }
  return added +
         add_pointer_array_whens(section, types, fn, *fn.find_param(selector), size_name, *target);
}

}  // namespace remora::inference::docs
