// In-order objects: a call that creates a queue-like object documents a flag that makes
// the object run its commands out of order, and says that without it they run in order
// (OpenCL's queue property tables):
//   "CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE - Determines whether the commands queued in
//    the command-queue are executed in-order or out-of-order. If set, the commands in the
//    command-queue are executed out-of-order. Otherwise, commands are executed in-order."
// So the object is in order exactly when F is clear in the value the call was given:
//   - F documented for a by-value bit-field parameter p ("This is a bit-field and the
//     supported properties are described in the table below"): `(p & F) == 0`;
//   - F documented in the description of the row keyed K of a properties table (a row
//     whose cells are the constant K and an integer type), read from a parameter p that is
//     a key/value list ("Each property name is immediately followed by the corresponding
//     desired value. The list is terminated with 0."): `(property(p, K) & F) == 0`
//     (property() is 0 for an absent key or a NULL list: in order, as the page says).
// Both sentences must be there, in that sense: "if set ... out-of-order" alone says nothing
// about the default, and a negated or inverted sentence is not this idiom. The flag is the
// constant that heads the description (its cell, or "F - ..."), at most two sentences
// before "If set", with no other flag's "If set"/"Otherwise" in between. Exactly one
// parameter of the function must fit the shape, else nothing is claimed.
#include "in_order.h"

#include <optional>

#include "claim_helpers.h"
#include "table_cells.h"

namespace remora::inference::docs {
namespace {

bool has_any(std::string_view lower, std::initializer_list<std::string_view> words) {
  for (auto w : words)
    if (lower.find(w) != std::string_view::npos) return true;
  return false;
}

bool negated(std::string_view lower) {
  return has_phrase(lower, "not") || has_phrase(lower, "never") || has_phrase(lower, "cannot");
}

bool about_execution(std::string_view lower) {
  return lower.find("execut") != std::string_view::npos;
}

bool out_of_order(std::string_view lower) {
  return has_any(lower, {"out-of-order", "out of order"});
}

bool in_order(std::string_view lower) {
  return has_any(lower, {"in-order", "in order"}) && !out_of_order(lower);
}

// Where "if set" (or "when set", "if it is set", "if this flag is set") opens a condition.
std::size_t if_set_at(std::string_view lower) {
  for (std::string_view lead :
       {"if set", "when set", "if it is set", "if this flag is set", "if this bit is set"})
    if (std::size_t at = find_phrase(lower, lead); at != std::string::npos) return at;
  return std::string::npos;
}

// "If set, ... executed out-of-order" (its own sentence, or the part before "otherwise").
bool out_of_order_when_set(std::string_view lower) {
  std::size_t at = if_set_at(lower);
  if (at == std::string::npos) return false;
  std::string_view clause = lower.substr(at);
  if (std::size_t otherwise = find_phrase(clause, "otherwise"); otherwise != std::string::npos)
    clause = clause.substr(0, otherwise);
  return out_of_order(clause) && about_execution(clause) && !negated(clause);
}

// "Otherwise, commands are executed in-order" (a sentence of its own or the same sentence's tail).
bool in_order_otherwise(std::string_view lower) {
  std::size_t at = find_phrase(lower, "otherwise");
  if (at == std::string::npos) return false;
  std::string_view clause = lower.substr(at);
  return in_order(clause) && about_execution(clause) && !negated(clause);
}

bool opens_another_flag(std::string_view lower) {
  return if_set_at(lower) != std::string::npos || lower.starts_with("otherwise");
}

bool makes_handle(const FunctionFacts& facts) {
  if (facts.returns_handle) return true;
  for (const auto& p : facts.params)
    if (p.pointer && p.pointee_handle && !p.const_pointee) return true;
  return false;
}

const ParamDoc* doc_of(const DocSection& section, const std::string& name) {
  for (const auto& p : section.params)
    if (p.name == name) return &p;
  return nullptr;
}

std::string lower_text(const ParamDoc& doc) {
  std::string all;
  for (const auto& s : doc.sentences) all += to_lower(s.text) + " ";
  return all;
}

// The one parameter of the given shape whose description says so, or nullptr (none, or
// more than one: which one the table belongs to is then unknown).
const ParamFacts* only_param(const DocSection& section, const FunctionFacts& facts,
                             bool (*shape)(const ParamFacts&),
                             bool (*described)(std::string_view)) {
  const ParamFacts* found = nullptr;
  for (const auto& p : facts.params) {
    const ParamDoc* doc = shape(p) ? doc_of(section, p.name) : nullptr;
    if (!doc || !described(lower_text(*doc))) continue;
    if (found) return nullptr;
    found = &p;
  }
  return found;
}

bool by_value_integer(const ParamFacts& p) {
  return p.integer && !p.pointer;
}

bool says_bit_field(std::string_view lower) {
  return has_any(lower, {"bit-field", "bitfield", "bit field"});
}

bool input_integer_array(const ParamFacts& p) {
  return p.pointer && p.pointee_integer && p.const_pointee;
}

bool says_key_value_list(std::string_view lower) {
  bool pairs = has_any(lower, {"immediately followed by the corresponding", "followed by its value",
                               "followed by the corresponding value"});
  bool terminated = has_any(lower, {"terminated with 0", "terminated by 0", "terminated with zero",
                                    "terminated by zero", "zero-terminated", "0-terminated"});
  return pairs && terminated;
}

// The cell is a constant and nothing else, the next one a type: the head of a keyed row.
bool constant_cell(const Sentence& s) {
  std::string cell = trimmed_cell(s.text);
  return !cell.empty() && leading_constant(cell) == cell;
}

// The key of the properties-table row whose description holds sentence `at`: the nearest
// row head (constant cell, then an integer type cell) before it. nullopt when a constant
// cell without a type (the row of another, unkeyed table) comes first, or nothing does.
std::optional<std::string> row_key(const DocSection& section, const TypeOracle& types,
                                   std::size_t at) {
  constexpr std::size_t kMaxDescription = 40;  // sentences of one row's description
  for (std::size_t back = 1; back <= kMaxDescription && back <= at; ++back) {
    std::size_t k = at - back;
    if (!constant_cell(section.body[k])) continue;
    bool array = false;
    std::string type = k + 1 < at ? type_cell(trimmed_cell(section.body[k + 1].text), array) : "";
    if (type.empty()) return std::nullopt;
    if (array || !types.is_integer_type(type)) return std::nullopt;
    return trimmed_cell(section.body[k].text);
  }
  return std::nullopt;
}

// The flag "If set" refers to: the constant heading sentence `at` or one of the two before
// it, unless another flag's condition comes in between. `head` is where it was found.
std::string flag_before(const DocSection& section, std::size_t at, std::size_t& head) {
  for (std::size_t back = 0; back <= 2 && back <= at; ++back) {
    std::size_t k = at - back;
    std::string cell = trimmed_cell(section.body[k].text);
    if (back > 0 && opens_another_flag(to_lower(cell))) return "";
    if (std::string f = leading_constant(cell); !f.empty()) {
      head = k;
      return f;
    }
  }
  return "";
}

void add_claim_once(spec::Function& fn, const std::string& predicate, const Sentence& s,
                    const std::string& flag) {
  spec::Evidence e;
  e.source = spec::EvidenceSource::Docs;
  e.says.in_order = predicate;
  e.weight = 0.8;
  std::string note = ": in order unless " + flag + " is set";
  e.why = "\"" + shorten_utf8(s.text, note.size() < 200 ? 238 - note.size() : 38) + "\"" + note;
  e.location = s.file + ":" + std::to_string(s.line);
  for (const auto& existing : fn.evidence)
    if (existing.source == spec::EvidenceSource::Docs && existing.says == e.says) return;
  fn.evidence.push_back(std::move(e));
}

}  // namespace

std::size_t add_in_order_claims(const DocSection& section, const TypeOracle& types,
                                const FunctionFacts& facts, spec::Function& fn) {
  if (!makes_handle(facts)) return 0;
  std::size_t added = 0;
  for (std::size_t i = 0; i < section.body.size(); ++i) {
    std::string lower = to_lower(section.body[i].text);
    if (!out_of_order_when_set(lower)) continue;
    bool otherwise =
        in_order_otherwise(lower) ||
        (i + 1 < section.body.size() && in_order_otherwise(to_lower(section.body[i + 1].text)));
    if (!otherwise) continue;
    std::size_t head = i;
    std::string flag = flag_before(section, i, head);
    if (flag.empty()) continue;
    std::string predicate;
    // A flag that is a cell of its own heads a row of its own table: it is no value listed
    // inside another row's description, whatever row comes before its table.
    std::optional<std::string> key;
    if (!constant_cell(section.body[head])) key = row_key(section, types, head);
    if (key) {
      const ParamFacts* list = only_param(section, facts, input_integer_array, says_key_value_list);
      if (!list) continue;
      predicate = "(property(" + list->name + ", " + *key + ") & " + flag + ") == 0";
    } else {
      const ParamFacts* bits = only_param(section, facts, by_value_integer, says_bit_field);
      if (!bits) continue;
      predicate = "(" + bits->name + " & " + flag + ") == 0";
    }
    std::size_t before = fn.evidence.size();
    add_claim_once(fn, predicate, section.body[i], flag);
    added += fn.evidence.size() - before;
  }
  return added;
}

}  // namespace remora::inference::docs
