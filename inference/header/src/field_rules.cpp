// Field rules: what a struct member's C type, its name and its siblings say
// about how the struct must be deep-copied. The same conventions as for
// parameters, applied inside a struct: a pointer sized by a sibling count
// (ppEnabledExtensionNames + enabledExtensionCount, next_in + avail_in),
// strings, arrays of structs, one nested struct, handles, callbacks and their
// user data, and extension chains (a `void *` next pointer beside a type-tag
// field, Vulkan's pNext + sType). Each rule appends one Evidence; fusion decides.
#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "remora/inference/text_util.h"
#include "rules_internal.h"
#include "struct_rules.h"

namespace remora::inference {

using spec::AnnotationPatch;
using spec::Direction;
using spec::Kind;
using spec::SizeUnit;

namespace {

AnnotationPatch claim(std::optional<Direction> d, std::optional<Kind> k) {
  return claim_kind(d, k);
}

// Irregular plurals that the generic singularizer leaves half-done.
std::string normalize_word(std::string w) {
  static const std::map<std::string, std::string> kIrregular = {
      {"indice", "index"}, {"vertice", "vertex"}, {"matrice", "matrix"}, {"children", "child"}};
  auto it = kIrregular.find(w);
  return it == kIrregular.end() ? w : it->second;
}

// Words that say a member holds an amount, beyond the parameter size words.
bool is_amount_word(const std::string& w) {
  return w == "avail" || w == "available" || w == "max" || w == "capacity" || w == "cap" ||
         w == "total";
}

bool is_capacity_name(const names::Words& w) {
  return names::has_any_word(w, {"max", "capacity", "cap"});
}

// Hungarian pointer prefixes (p, pp) say nothing about what is pointed to.
names::Words pointer_subject(const std::string& name) {
  names::Words out;
  for (auto& w : names::subject(name))
    if (w != "p" && w != "pp" && w != "ppp") out.push_back(normalize_word(w));
  return out;
}

// What a count member counts: its words without the amount words. Unlike
// parameter names, "in"/"out" matter here (avail_in counts next_in).
names::Words counted_words(const std::string& name) {
  static const std::set<std::string> kAmount = {
      "size",   "sizes", "len", "length",  "count", "num",      "number", "n",
      "cnt",    "sz",    "cb",  "nbytes",  "bytes", "elements", "nelems", "nelements",
      "nitems", "of",    "ret", "element", "item",  "byte",     "nelem",  "nitem"};
  names::Words out;
  for (auto& w : names::subject(name))
    if (!kAmount.count(w) && !is_amount_word(w)) out.push_back(normalize_word(w));
  return out;
}

// Every counted word appears in the pointer's words (or abbreviates one:
// comm_max -> comment).
bool covers(const names::Words& counted, const names::Words& subject) {
  if (counted.empty()) return false;
  for (const auto& c : counted) {
    bool found = std::any_of(subject.begin(), subject.end(), [&](const std::string& s) {
      if (s == c) return true;
      return c.size() >= 4 && s.size() > c.size() && s.compare(0, c.size(), c) == 0;
    });
    if (!found) return false;
  }
  return true;
}

struct Link {
  std::size_t count = 0;
  double weight = 0;
  std::string why;
  std::size_t words = 0;  // how many of the pointer's words the count names
};

class StructRules {
 public:
  StructRules(const ParsedType& parsed, spec::Type& type) : pt_(parsed), type_(type) {
    for (const auto& f : pt_.fields) words_.push_back(identifier_words(f.name));
  }

  void run() {
    find_tag_and_chain();
    find_counts();
    bool has_callback = false;
    for (const auto& info : pt_.field_info)
      has_callback = has_callback || info.type.is_function_pointer();
    has_callback_ = has_callback;
    for (std::size_t i = 0; i < pt_.fields.size() && i < type_.fields.size(); ++i) annotate(i);
  }

  const std::string& tag_field() const { return tag_; }

 private:
  const ParsedField& info(std::size_t i) const { return pt_.field_info[i]; }
  const std::string& name(std::size_t i) const { return pt_.fields[i].name; }
  std::string location(std::size_t i) const {
    return pt_.file + ":" + std::to_string(info(i).line);
  }

  void add(std::size_t i, AnnotationPatch says, double weight, std::string why) {
    type_.fields[i].evidence.push_back(
        header_evidence(std::move(says), weight, std::move(why), location(i)));
  }

  bool names_user_data(std::size_t i) const {
    return names::is_user_data_name(name(i)) || names::has_word(words_[i], "opaque");
  }

  // Another untyped pointer member named as user data, if any.
  std::optional<std::size_t> other_user_data(std::size_t i) const {
    for (std::size_t k = 0; k < pt_.fields.size(); ++k) {
      const TypeInfo& t = info(k).type;
      if (k != i && t.is_pointer() && t.pointee && t.pointee->shape == TypeShape::Void &&
          names_user_data(k))
        return k;
    }
    return std::nullopt;
  }

  bool is_count(std::size_t i) const {
    const TypeInfo& t = info(i).type;
    if (t.is_pointer() || !(t.shape == TypeShape::Integer)) return false;
    return names::is_size_like(name(i)) ||
           std::any_of(words_[i].begin(), words_[i].end(),
                       [](const std::string& w) { return is_amount_word(w) && w != "total"; });
  }

  // Whether count member c, which does not name pointer member p, may still size the p
  // beside it. A bare count (`count`, `size`, `num_bytes`) may; so may a count of some
  // other noun (`descriptorSetCount` beside `pSetLayouts`: parallel arrays are often named
  // apart), but not text. A limit (`maxStdPPSCount`) or a measure of something else
  // (`uncompressed_size`, `sharedMemBytes`, `rowLength`) does not say how long p is, nor
  // does a named count after p (`nRef` after `pModule`: lengths follow as bare `len`).
  bool adjacent_count_fits(std::size_t c, std::size_t p) const {
    if (is_capacity_name(words_[c])) return false;
    if (counted_words(name(c)).empty()) return true;
    if (p < c || info(p).type.pointee->shape == TypeShape::Char) return false;
    return names::has_any_word(words_[c], {"count", "num", "number", "n", "cnt", "nelems", "nitems", "nelem", "nitem"});
  }

  bool is_data_pointer(std::size_t i) const {
    const TypeInfo& t = info(i).type;
    return t.shape == TypeShape::Pointer && !t.is_handle && !t.is_function_pointer() && t.pointee &&
           static_cast<int>(i) != chain_;
  }

  // "sType", "type", or one word ending in it ("stype"): lower-case C APIs glue the
  // structure prefix on.
  static bool names_a_type(const names::Words& words) {
    for (const std::string& w : words)
      if (w.size() >= 4 && w.compare(w.size() - 4, 4, "type") == 0) return true;
    return false;
  }

  // A type tag (first enum member named *type*) and a next pointer: the struct
  // is a member of an extension chain, and the next pointer is the chain.
  void find_tag_and_chain() {
    std::optional<std::size_t> tag, next;
    for (std::size_t i = 0; i < pt_.fields.size(); ++i) {
      const TypeInfo& t = info(i).type;
      if (!tag && t.shape == TypeShape::Enum && names_a_type(words_[i])) tag = i;
      bool void_or_record =
          t.shape == TypeShape::Pointer && t.pointee &&
          (t.pointee->shape == TypeShape::Void || t.pointee->shape == TypeShape::Record);
      if (!next && void_or_record && names::has_word(words_[i], "next")) next = i;
    }
    if (!tag || !next || *tag > 1) return;  // the tag leads the struct (sType first)
    tag_ = name(*tag);
    chain_ = static_cast<int>(*next);
  }

  // Of two counts that name the pointer equally strongly, the one naming more of it wins
  // (`preset_dict_size` over `dict_size` for `preset_dict`).
  void link(std::size_t target, std::size_t count, double weight, std::string why, std::size_t words = 0) {
    auto it = links_.find(target);
    if (it != links_.end() && (it->second.weight > weight || (it->second.weight == weight && it->second.words >= words)))
      return;
    links_[target] = Link{count, weight, std::move(why), words};
  }

  // Which count member sizes which pointer member.
  void find_counts() {
    std::size_t n = pt_.fields.size();
    auto parallel_run = [&](std::size_t from, std::size_t c) {
      for (std::size_t j = from; j < n && is_data_pointer(j); ++j) {
        const TypeInfo& p = *info(j).type.pointee;
        if (p.shape == TypeShape::Char) break;  // a lone string is one string
        if (!(p.is_const || names::is_plural_name(name(j)))) break;
        link(j, c, 0.45,
             "'" + name(j) + "' follows an array counted by '" + name(c) +
                 "'; parallel arrays share one count");
      }
    };
    for (std::size_t c = 0; c < n; ++c) {
      if (!is_count(c)) continue;
      names::Words counted = counted_words(name(c));
      double by_name = is_capacity_name(words_[c]) ? 0.6 : 0.8;
      std::size_t last = n;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == c || !is_data_pointer(j) || !covers(counted, pointer_subject(name(j)))) continue;
        link(j, c, by_name,
             "sibling '" + name(c) + "' names what it counts: '" + name(j) + "'" +
                 (by_name < 0.8 ? " (a capacity: how much room the buffer has)" : ""),
             counted.size());
        last = j;
      }
      if (last != n) {
        parallel_run(last + 1, c);
        continue;
      }
      if (c + 1 < n && is_data_pointer(c + 1) && adjacent_count_fits(c, c + 1)) {
        link(c + 1, c, 0.65,
             "count '" + name(c) + "' directly precedes pointer member '" + name(c + 1) + "'");
        parallel_run(c + 2, c);
        continue;
      }
      if (c > 0 && is_data_pointer(c - 1) && adjacent_count_fits(c, c - 1))
        link(c - 1, c, 0.55,
             "size '" + name(c) + "' directly follows pointer member '" + name(c - 1) + "'");
    }
  }

  // What the library does with the pointee: const says read; names may say more.
  void pointer_direction(std::size_t i) {
    const TypeInfo& p = *info(i).type.pointee;
    if (p.is_const)
      return add(i, claim(Direction::In, std::nullopt), 0.8,
                 "const pointee: the library only reads it");
    if (names::has_any_word(words_[i], {"out", "output", "dst", "result", "results"}))
      return add(i, claim(Direction::Out, std::nullopt), 0.6,
                 "the name says the library writes it (out/dst/result)");
    if (names::has_any_word(words_[i], {"in", "input", "src", "source"}))
      return add(i, claim(Direction::In, std::nullopt), 0.6,
                 "the name says the library reads it (in/src)");
    add(i, claim(Direction::InOut, std::nullopt), 0.35,
        "non-const pointee and nothing says which way: the library may read and write it");
  }

  void sized(std::size_t i, const Link& l) {
    const TypeInfo& p = *info(i).type.pointee;
    AnnotationPatch says = claim(std::nullopt, Kind::Buffer);
    says.size = name(l.count);
    bool bytes = p.shape == TypeShape::Void ||
                 (names::names_bytes(name(l.count)) && p.shape != TypeShape::Char);
    says.size_unit = bytes ? SizeUnit::Bytes : SizeUnit::Elements;
    if (p.is_handle)
      says.element_kind = Kind::Handle;
    else if (p.shape == TypeShape::Pointer && p.pointee && p.pointee->shape == TypeShape::Char)
      says.element_kind = Kind::String;
    std::string unit =
        bytes ? (p.shape == TypeShape::Void ? " (void* counts bytes)" : " (a size counts bytes)")
              : " (counts " + p.spelling + " elements)";
    add(i, says, l.weight, l.why + unit);
  }

  void annotate(std::size_t i) {
    const TypeInfo& t = info(i).type;
    spec::StructField& field = type_.fields[i];
    if (t.is_handle) {
      field.ann.handle_type = t.typedef_name;
      return add(i, claim(std::nullopt, Kind::Handle), 0.9,
                 "'" + t.typedef_name +
                     "' is a typedef of a pointer to a struct the header never defines: a handle");
    }
    if (t.shape == TypeShape::Array) return fixed_array(i);
    if (t.shape != TypeShape::Pointer || !t.pointee) return;  // a value, copied with the struct
    if (t.is_function_pointer()) {
      add(i, claim(Direction::In, Kind::Callback), 0.9,
          "pointer to a function (" + t.function_signature + "): the library calls it");
      return add(i, claim_nullable(), 0.5, "a callback member is usually optional (NULL = none)");
    }
    if (static_cast<int>(i) == chain_) return chain(i);
    if (info(i).in_union)
      return add(i, {}, 0.0,
                 "member of a union: another member may be the live one, so the pointer cannot be "
                 "followed "
                 "without a rule saying which (annotate it)");
    const TypeInfo& p = *t.pointee;
    field.ann.pointee = p.spelling;
    add(i, claim_nullable(), 0.5, "a pointer member may be left NULL (unused, or its count is 0)");
    if (names::has_word(words_[i], "reserved"))
      return add(i, claim(std::nullopt, Kind::Opaque), 0.7,
                 "member named reserved: kept for later versions, which the library does not "
                 "read now; passed through as it is");
    if (auto l = links_.find(i); l != links_.end()) {
      sized(i, l->second);
      return pointer_direction(i);
    }
    switch (p.shape) {
      case TypeShape::Char:
        if (p.is_const)
          return add(i, claim(Direction::In, Kind::String), 0.85,
                     "'const char *' member: a NUL-terminated string");
        return add(
            i, claim(Direction::InOut, Kind::String), 0.5,
            "'char *' member without a size: a NUL-terminated string the library may set or fill");
      case TypeShape::Void:
        if (names_user_data(i))
          return add(i, claim(Direction::In, Kind::Userdata), 0.65,
                     "untyped pointer named as user data: passed back to the callbacks, never "
                     "dereferenced by "
                     "the library");
        // Callbacks take one user-data pointer: where another member is named as it, this
        // one is the library's own (bz_stream's `state` beside `opaque`).
        if (has_callback_ && other_user_data(i))
          return add(i, claim(std::nullopt, Kind::Opaque), 0.6,
                     "untyped pointer beside callback members whose user data is '" +
                         name(*other_user_data(i)) +
                         "': the library's private state, passed through and never dereferenced by "
                         "the caller");
        if (has_callback_)
          return add(i, claim(Direction::In, Kind::Userdata), 0.65,
                     "untyped pointer beside callback members: passed back to the callbacks, never "
                     "dereferenced "
                     "by the library");
        return;  // nothing says how big it is or what it is: fusion flags it
      case TypeShape::Record:
        if (!p.record_complete)
          return add(i, claim(std::nullopt, Kind::Opaque), 0.75,
                     "pointer to '" + p.spelling +
                         "', which the header never defines: library-private state, "
                         "passed through and never dereferenced by the caller");
        [[fallthrough]];
      default:
        if (names::is_plural_name(name(i))) {
          add(i, claim(std::nullopt, Kind::Buffer), 0.5,
              "plural name '" + name(i) +
                  "' says an array, but no sibling member gives its length");
        } else {
          add(i, claim(std::nullopt, Kind::Element), 0.6,
              "pointer to one '" + p.spelling + "' (singular name, no sibling count)");
        }
        return pointer_direction(i);
    }
  }

  void fixed_array(std::size_t i) {
    const TypeInfo& t = info(i).type;
    spec::StructField& field = type_.fields[i];
    const spec::CType& c = spec::bare(field.ctype);
    if (!t.pointee || !t.pointee->is_handle || !c.extent) return;  // values: copied with the struct
    AnnotationPatch says = claim(std::nullopt, Kind::Buffer);
    says.size = std::to_string(*c.extent);
    says.size_unit = SizeUnit::Elements;
    says.element_kind = Kind::Handle;
    field.ann.handle_type = t.pointee->typedef_name;
    add(i, says, 0.9,
        "array of " + std::to_string(*c.extent) +
            " handles inside the struct: each one is translated");
  }

  void chain(std::size_t i) {
    const TypeInfo& p = *info(i).type.pointee;
    std::string why = "next pointer beside the type tag '" + tag_ +
                      "': an extension chain of tagged structs, each identified by its '" + tag_ +
                      "'";
    add(i, claim(p.is_const ? Direction::In : Direction::InOut, Kind::Chain), 0.85,
        why + (p.is_const ? " (const: the library reads the chain)"
                          : " (non-const: the library fills the chain's structs)"));
    add(i, claim_nullable(), 0.8, "NULL ends an extension chain");
  }

  const ParsedType& pt_;
  spec::Type& type_;
  std::vector<names::Words> words_;
  std::map<std::size_t, Link> links_;
  std::string tag_;
  int chain_ = -1;
  bool has_callback_ = false;
};

// A tagged struct's tag value: the constant of the tag's enum whose words,
// past the family prefix, spell the struct's name past the API prefix
// (VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO <-> VkInstanceCreateInfo).
class TagValues {
 public:
  explicit TagValues(const ParsedHeader& header) : header_(header) {}

  std::string value_for(const std::string& struct_name, const TypeInfo& tag_type) {
    const std::vector<spec::EnumConstant>* constants = constants_of(tag_type);
    if (!constants) return "";
    auto& keys = keys_[constants];
    if (keys.empty()) keys = keys_of(*constants);
    names::Words w = identifier_words(struct_name);
    if (w.size() > 2 && w.back() == "t") w.pop_back();  // C's `_t` type suffix (ze_context_desc_t)
    if (w.size() < 2) return "";
    std::string key;
    for (std::size_t k = 1; k < w.size(); ++k) key += w[k];
    if (auto it = keys.find(key); it != keys.end()) return it->second;
    // A family of few constants shares more than its prefix (QUEUE_DESC and
    // QUEUE_PRIORITY_DESC): the one constant whose words end in the struct's.
    names::Words wanted(w.begin() + 1, w.end());
    std::string found;
    for (const auto& c : *constants) {
      names::Words cw = identifier_words(c.name);
      if (cw.size() <= wanted.size() ||
          !std::equal(wanted.begin(), wanted.end(), cw.end() - wanted.size()))
        continue;
      if (!found.empty()) return "";  // two candidates: no answer rather than a guess
      found = c.name;
    }
    return found;
  }

 private:
  const std::vector<spec::EnumConstant>* constants_of(const TypeInfo& t) {
    for (const std::string& name : {t.typedef_name, t.spelling}) {
      if (name.empty()) continue;
      if (const ParsedType* pt = header_.find_type(name); pt && !pt->constants.empty())
        return &pt->constants;
      std::string bare = name.rfind("enum ", 0) == 0 ? name.substr(5) : name;
      if (const ParsedType* pt = header_.find_type(bare); pt && !pt->constants.empty())
        return &pt->constants;
    }
    return nullptr;
  }

  static std::map<std::string, std::string> keys_of(
      const std::vector<spec::EnumConstant>& constants) {
    std::vector<names::Words> words;
    for (const auto& c : constants) words.push_back(identifier_words(c.name));
    std::size_t prefix = words.empty() ? 0 : words.front().size();
    for (const auto& w : words) {
      std::size_t k = 0;
      while (k < prefix && k < w.size() && w[k] == words.front()[k]) ++k;
      prefix = k;
    }
    std::map<std::string, std::string> keys;
    for (std::size_t i = 0; i < constants.size(); ++i) {
      std::string key;
      for (std::size_t k = prefix; k < words[i].size(); ++k) key += words[i][k];
      keys.emplace(key, constants[i].name);  // the first spelling wins over later aliases
    }
    return keys;
  }

  const ParsedHeader& header_;
  std::map<const std::vector<spec::EnumConstant>*, std::map<std::string, std::string>> keys_;
};

}  // namespace

void add_field_evidence(spec::Spec& spec, const ParsedHeader& header) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < spec.types.size(); ++i) index.emplace(spec.types[i].name, i);
  TagValues tags(header);
  for (const ParsedType& pt : header.types) {
    if (pt.form != ParsedType::Form::Struct || pt.fields.size() != pt.field_info.size()) continue;
    auto it = index.find(pt.name);
    if (it == index.end()) continue;
    spec::Type& type = spec.types[it->second];
    if (type.kind != spec::TypeKind::Struct || type.fields.size() != pt.fields.size()) continue;
    StructRules rules(pt, type);
    rules.run();
    if (rules.tag_field().empty()) continue;
    type.tag.field = rules.tag_field();
    for (std::size_t i = 0; i < pt.fields.size(); ++i)
      if (pt.fields[i].name == type.tag.field)
        type.tag.value = tags.value_for(pt.name, pt.field_info[i].type);
  }
}

}  // namespace remora::inference
