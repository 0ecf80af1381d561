// Selector-typed queries: `get*Info(object, selector, size, void *value, size_ret)`
// whose documentation has a table with one row per selector value and a column
// giving the type written to `value` (OpenCL's "Context Info | Return Type |
// Description", CUDA's attribute lists). Rows whose type is a handle (or an array
// of handles) become `when selector == CONSTANT` overrides: the value buffer then
// holds handles, so the generated server registers them for the guest (a device
// returned by a context query can be used in the next call).
#include "selector_types.h"

#include <cctype>

#include "remora/inference/docs/text_util.h"

namespace remora::inference::docs {
namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())))) s.remove_prefix(1);
  while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) || s.back() == '.'))
    s.remove_suffix(1);
  return std::string(s);
}

// An API constant as it heads a table row: CL_CONTEXT_DEVICES, CU_POINTER_ATTRIBUTE_CONTEXT.
// The row's first cell may carry a footnote after the name.
std::string leading_constant(const std::string& cell) {
  std::size_t end = 0;
  while (end < cell.size() &&
         (std::isupper(static_cast<unsigned char>(cell[end])) ||
          std::isdigit(static_cast<unsigned char>(cell[end])) || cell[end] == '_'))
    ++end;
  if (end < 4 || cell.find('_') >= end || std::isdigit(static_cast<unsigned char>(cell[0])))
    return "";
  if (end < cell.size() && !std::isspace(static_cast<unsigned char>(cell[end]))) return "";
  return cell.substr(0, end);
}

// A type cell: "cl_device_id[]" or "cl_platform_id" (nothing else in the cell).
std::string type_cell(const std::string& cell, bool& array) {
  std::string t = cell;
  array = false;
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
    array = true;
    t = trimmed(t.substr(0, t.size() - 2));
  }
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return "";
  return t;
}

bool pointer_type(const std::string& type) {
  return type.find('*') != std::string::npos;
}

}  // namespace

std::size_t add_selector_whens(const DocSection& section, const TypeOracle& types,
                               spec::Function& fn) {
  // A query by name (get/query/info/attribute): a constructor's flags select
  // behaviour, not the type of what is written.
  std::string fname = to_lower(fn.name);
  if (fname.find("get") == std::string::npos && fname.find("query") == std::string::npos &&
      fname.find("info") == std::string::npos && fname.find("attribute") == std::string::npos)
    return 0;
  // The query's shape: one untyped output buffer sized in bytes by a by-value
  // parameter, and exactly one other by-value, non-handle integer: the selector.
  const spec::Param* value = nullptr;
  for (const auto& p : fn.params)
    if (pointer_type(p.type) && base_type_name(p.type) == "void" &&
        p.type.find("const") == std::string::npos && p.type.find("**") == std::string::npos)
      value = value ? nullptr : &p;  // two untyped outputs: not this idiom
  if (!value) return 0;
  std::string size_name;
  for (const auto& e : value->evidence)
    if (e.says.size && fn.find_param(*e.says.size) &&
        !pointer_type(fn.find_param(*e.says.size)->type))
      size_name = *e.says.size;
  if (size_name.empty()) return 0;
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
  if (selectors.size() != 1) return 0;
  const std::string& selector = selectors.front()->name;

  std::size_t added = 0;
  spec::Param* target = fn.find_param(value->name);
  for (std::size_t i = 0; i + 1 < section.body.size(); ++i) {
    std::string constant = leading_constant(trimmed(section.body[i].text));
    if (constant.empty()) continue;
    bool array = false;
    std::string type = type_cell(trimmed(section.body[i + 1].text), array);
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
  return added;
}

}  // namespace remora::inference::docs
